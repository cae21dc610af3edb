import { ROLLUP_DIMENSION_COLUMNS, ROLLUP_MEASURE_COLUMNS, rollupLevels } from './002-rollups.js';

/**
 * Rollups on plain PostgreSQL, kept by the proxy (TimescaleDB has its continuous aggregates from
 * migration 002; nothing changes there). Same names, columns and semantics as the continuous
 * aggregates, so the query planner and the alert rules read `flows_1m` / `flows_1h` alike on
 * both flavours:
 *
 * - `flows_1m_store` / `flows_1h_store`: materialized buckets, written only by the refresher
 *   (src/execute/table-rollups.ts).
 * - `rollup_watermarks`: per level, the end of what is materialized.
 * - `flows_1m` / `flows_1h`: "real-time" views (they replace the raw-computing views of migration
 *   004): stored buckets below the watermark, buckets computed above it (flows_1m from the raw
 *   table, flows_1h from flows_1m).
 *   Like TimescaleDB's materialized_only = false, an answer never misses rows just ingested.
 * - `rollup_invalidations`: every statement that inserts, updates or deletes flows logs the time
 *   range it touched, in the same transaction (statement triggers with transition tables), so
 *   late rows below the watermark are recomputed by the next refresh — whoever wrote them, and
 *   even if the proxy stopped right after the commit. TRUNCATE empties the rollups with the table.
 */
export const TABLE_ROLLUP_STORE = { flows_1m: 'flows_1m_store', flows_1h: 'flows_1h_store' } as const;

const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

function columnDefinitions(): string {
  const dims = ROLLUP_DIMENSION_COLUMNS.map((c) => `${c} ${c === 'protocol' ? 'smallint' : 'text'}`);
  // bigint, not the numeric of sum(): sums of int8 run on 128-bit accumulators, numeric ones do not.
  const measures = ROLLUP_MEASURE_COLUMNS.map((c) => `${c} bigint NOT NULL`);
  return ['time timestamptz NOT NULL', ...dims, ...measures].join(', ');
}

export function tableRollupMigration(timescale: boolean): string[] {
  if (timescale) return [];
  const dims = ROLLUP_DIMENSION_COLUMNS.join(', ');
  const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c})::bigint AS ${c}`).join(', ');
  const columns = ['time', ...ROLLUP_DIMENSION_COLUMNS, ...ROLLUP_MEASURE_COLUMNS].join(', ');
  const statements: string[] = [
    `CREATE TABLE rollup_watermarks (level text PRIMARY KEY, watermark timestamptz)`,
    `CREATE TABLE rollup_invalidations (id bigserial PRIMARY KEY, lo timestamptz NOT NULL, hi timestamptz NOT NULL)`,
  ];
  let finer = 'flows';
  for (const level of rollupLevels()) {
    const store = TABLE_ROLLUP_STORE[level.name];
    const watermark = `COALESCE((SELECT watermark FROM rollup_watermarks WHERE level = '${level.name}'), '-infinity')`;
    // Above its watermark the hour level sums the minute level (itself stored up to a minute
    // ago), not an hour or more of raw rows. The always-true upper bound is for the planner: the
    // watermark is only known when the query runs, and a range with one unknown end is estimated
    // as narrow (0.5 %) where a lone ">=" is guessed at a third of the table; so the few rows
    // above the watermark are found through the time index instead of a scan of the raw table.
    statements.push(
      `CREATE TABLE ${store} (${columnDefinitions()})`,
      `CREATE INDEX ${store}_time_idx ON ${store} (time)`,
      `INSERT INTO rollup_watermarks (level, watermark) VALUES ('${level.name}', NULL)`,
      `DROP VIEW IF EXISTS ${level.name}`,
      `CREATE VIEW ${level.name} AS
  SELECT ${columns} FROM ${store} WHERE time < ${watermark}
  UNION ALL
  SELECT date_bin(INTERVAL '${level.bucket}', time, ${EPOCH}) AS time, ${dims}, ${sums}
  FROM ${finer} WHERE time >= ${watermark} AND time <= 'infinity'
  GROUP BY 1, ${dims}`,
    );
    finer = level.name;
  }
  statements.push(
    // One function for the three statement triggers: PL/pgSQL plans a statement when it first
    // runs, so the branch naming the other operation's transition table is never planned.
    `CREATE FUNCTION flows_log_rollup_invalidation() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO rollup_invalidations (lo, hi) SELECT min(time), max(time) FROM new_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO rollup_invalidations (lo, hi) SELECT min(time), max(time) FROM old_rows HAVING count(*) > 0;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO rollup_invalidations (lo, hi)
      SELECT min(time), max(time) FROM (SELECT time FROM old_rows UNION ALL SELECT time FROM new_rows) t HAVING count(*) > 0;
  ELSIF TG_OP = 'TRUNCATE' THEN
    TRUNCATE ${Object.values(TABLE_ROLLUP_STORE).join(', ')}, rollup_invalidations;
  END IF;
  RETURN NULL;
END
$fn$`,
    `CREATE TRIGGER flows_rollup_insert AFTER INSERT ON flows REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flows_log_rollup_invalidation()`,
    `CREATE TRIGGER flows_rollup_delete AFTER DELETE ON flows REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flows_log_rollup_invalidation()`,
    `CREATE TRIGGER flows_rollup_update AFTER UPDATE ON flows REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION flows_log_rollup_invalidation()`,
    `CREATE TRIGGER flows_rollup_truncate AFTER TRUNCATE ON flows
  FOR EACH STATEMENT EXECUTE FUNCTION flows_log_rollup_invalidation()`,
  );
  return statements;
}
