/**
 * Continuous aggregates flows_1m and flows_1h (TimescaleDB only): traffic summed per time bucket
 * over the low-cardinality dimensions, so dashboard queries over days read thousands of rows
 * instead of millions.
 *
 * What is kept (ROLLUP_DIMENSION_COLUMNS) and why: only columns with a bounded set of values.
 * Addresses, ports, MACs, TCP flags and AS numbers are left out: ephemeral source ports and
 * addresses would make each bucket nearly as large as the raw rows. The service behind a
 * well-known destination port is still available through `application` (ssh, https, mysql, …),
 * so "traffic by service" stays on the rollups while `dst_port` itself forces the raw table.
 * The query resolver reads these lists too (one source of truth): any dimension, filter or
 * metric that needs another column goes to the raw hypertable.
 *
 * The aggregates are real-time (materialized_only = false): buckets not yet materialized are
 * computed from the raw table on the fly, so a rollup answer always equals the raw answer.
 * Plain PostgreSQL has no continuous aggregates: nothing is created here; migration 006 gives it
 * the same levels as tables the proxy keeps itself (execute/table-rollups.ts).
 */
export const ROLLUP_DIMENSION_COLUMNS = [
  'direction',
  'action',
  'protocol',
  'application',
  'flow_state',
  'source_type',
  'resource',
  'rule',
  'provider',
  'src_country',
  'dst_country',
  'src_site',
  'dst_site',
  'src_region',
  'dst_region',
  'src_provider',
  'dst_provider',
] as const;

/** Additive counters summed into each bucket (the rollup keeps the raw column names). */
export const ROLLUP_MEASURE_COLUMNS = ['bytes', 'packets', 'flows'] as const;

export interface RollupLevel {
  name: 'flows_1m' | 'flows_1h';
  bucketMs: number;
  bucket: string;
  /** How far back a refresh policy re-aggregates, how late it stops, how often it runs. */
  startOffset: string;
  endOffset: string;
  schedule: string;
  retention: string;
}

export interface RollupOptions {
  /** Retention of each level, as a PostgreSQL interval (defaults: 1m → 30 days, 1h → 400 days). */
  retention1m?: string;
  retention1h?: string;
}

export function rollupLevels(options: RollupOptions = {}): RollupLevel[] {
  return [
    {
      name: 'flows_1m',
      bucketMs: 60_000,
      bucket: '1 minute',
      startOffset: '3 hours',
      endOffset: '1 minute',
      schedule: '1 minute',
      retention: options.retention1m ?? '30 days',
    },
    {
      name: 'flows_1h',
      bucketMs: 3_600_000,
      bucket: '1 hour',
      startOffset: '3 days',
      endOffset: '1 hour',
      schedule: '30 minutes',
      retention: options.retention1h ?? '400 days',
    },
  ];
}

// Interval literals come from the code or from operator configuration; refuse anything that is
// not a plain "<number> <unit>" so configuration can never inject SQL.
function checkInterval(value: string): string {
  if (!/^\d+ (second|minute|hour|day|week|month|year)s?$/.test(value)) {
    throw new Error(`invalid rollup interval ${JSON.stringify(value)}`);
  }
  return value;
}

/** SQL statements of migration 002; empty on plain PostgreSQL. */
export function rollupMigration(timescale: boolean, options: RollupOptions = {}): string[] {
  if (!timescale) return [];
  const dims = ROLLUP_DIMENSION_COLUMNS.join(', ');
  const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  const statements: string[] = [];
  for (const level of rollupLevels(options)) {
    statements.push(
      `CREATE MATERIALIZED VIEW ${level.name}
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT time_bucket(INTERVAL '${checkInterval(level.bucket)}', time) AS time, ${dims}, ${sums}
  FROM flows
  GROUP BY 1, ${dims}
  WITH NO DATA`,
      `SELECT add_continuous_aggregate_policy('${level.name}',
  start_offset => INTERVAL '${checkInterval(level.startOffset)}',
  end_offset => INTERVAL '${checkInterval(level.endOffset)}',
  schedule_interval => INTERVAL '${checkInterval(level.schedule)}')`,
      `SELECT add_retention_policy('${level.name}', INTERVAL '${checkInterval(level.retention)}')`,
    );
  }
  return statements;
}
