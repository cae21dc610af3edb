import { ROLLUP_MEASURE_COLUMNS } from './002-rollups.js';
import { TABLE_ROLLUP_STORE } from './006-table-rollups.js';

/**
 * flows_geo_1m: a narrow minute rollup over where traffic goes — sites, countries, regions,
 * providers — plus direction and action, summed from flows_1m. The full minute level keeps
 * seventeen columns; with a few thousand distinct combinations a minute it holds millions of
 * rows a day (2.5M for the 20M-flow benchmark day), so a day of "traffic between sites" read
 * from it costs a second. Without services, rules and resources the combinations are a few
 * hundred a minute: the same questions read ~10× fewer rows. The planner takes the narrowest
 * level that holds every column a query needs, so site, country and topology views use this one
 * and anything else the full level.
 *
 * TimescaleDB: a continuous aggregate on the continuous aggregate flows_1m (hierarchical; the
 * refresher refreshes flows_1m first). Plain PostgreSQL: a store table and real-time view like
 * migration 006's, its tail summed from flows_1m.
 */
export const GEO_DIMENSION_COLUMNS = [
  'direction',
  'action',
  'src_country',
  'dst_country',
  'src_site',
  'dst_site',
  'src_region',
  'dst_region',
  'src_provider',
  'dst_provider',
] as const;

export const GEO_ROLLUP = { name: 'flows_geo_1m', bucketMs: 60_000, bucket: '1 minute', store: 'flows_geo_1m_store' } as const;

const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

/** A narrow level over GEO_DIMENSION_COLUMNS: its view, bucket width, store table (plain PostgreSQL). */
export interface GeoLevel {
  name: string;
  bucket: string;
  store: string;
}

export function geoRollupMigration(timescale: boolean): string[] {
  return geoLevelStatements(GEO_ROLLUP, 'flows_1m', timescale, [...Object.values(TABLE_ROLLUP_STORE), GEO_ROLLUP.store], '1 minute');
}

/**
 * The statements creating one narrow level summed from `source` (a level of a finer bucket): on
 * TimescaleDB a hierarchical continuous aggregate with the same refresh window and retention as
 * the minute levels; on plain PostgreSQL a store table, its watermark, the real-time view, and the
 * invalidation trigger function again, now emptying every store in `stores` on TRUNCATE flows.
 * `endOffset`: the policy leaves the newest bucket alone (at least one bucket of this level).
 */
export function geoLevelStatements(level: GeoLevel, source: string, timescale: boolean, stores: string[], endOffset: string): string[] {
  const dims = GEO_DIMENSION_COLUMNS.join(', ');
  const columns = ['time', ...GEO_DIMENSION_COLUMNS, ...ROLLUP_MEASURE_COLUMNS].join(', ');
  if (timescale) {
    const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ');
    return [
      `CREATE MATERIALIZED VIEW ${level.name}
  WITH (timescaledb.continuous, timescaledb.materialized_only = false, timescaledb.create_group_indexes = false) AS
  SELECT time_bucket(INTERVAL '${level.bucket}', time) AS time, ${dims}, ${sums}
  FROM ${source}
  GROUP BY 1, ${dims}
  WITH NO DATA`,
      // Same window and retention as the minute levels.
      `SELECT add_continuous_aggregate_policy('${level.name}',
  start_offset => INTERVAL '3 hours', end_offset => INTERVAL '${endOffset}', schedule_interval => INTERVAL '1 minute')`,
      `SELECT add_retention_policy('${level.name}', INTERVAL '30 days')`,
    ];
  }
  const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ');
  const definitions = ['time timestamptz NOT NULL', ...GEO_DIMENSION_COLUMNS.map((c) => `${c} text`), ...ROLLUP_MEASURE_COLUMNS.map((c) => `${c} bigint NOT NULL`)];
  const watermark = `COALESCE((SELECT watermark FROM rollup_watermarks WHERE level = '${level.name}'), '-infinity')`;
  return [
    `CREATE TABLE ${level.store} (${definitions.join(', ')})`,
    `CREATE INDEX ${level.store}_time_idx ON ${level.store} (time)`,
    `INSERT INTO rollup_watermarks (level, watermark) VALUES ('${level.name}', NULL)`,
    // As in migration 006: the always-true upper bound lets the planner use the time index.
    `CREATE VIEW ${level.name} AS
  SELECT ${columns} FROM ${level.store} WHERE time < ${watermark}
  UNION ALL
  SELECT date_bin(INTERVAL '${level.bucket}', time, ${EPOCH}) AS time, ${dims}, ${sums}
  FROM ${source} WHERE time >= ${watermark} AND time <= 'infinity'
  GROUP BY 1, ${dims}`,
    // TRUNCATE flows now empties this store too (the rest as in migration 006).
    `CREATE OR REPLACE FUNCTION flows_log_rollup_invalidation() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_invalidations (lo, hi) SELECT min(time), max(time) FROM new_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_invalidations (lo, hi) SELECT min(time), max(time) FROM old_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_invalidations (lo, hi)
      SELECT min(time), max(time) FROM (SELECT time FROM old_rows UNION ALL SELECT time FROM new_rows) t HAVING count(*) > 0;
  ELSIF TG_OP = 'TRUNCATE' THEN
    TRUNCATE ${stores.join(', ')}, rollup_invalidations;
  END IF;
  RETURN NULL;
END
$fn$`,
  ];
}
