import { ROLLUP_DIMENSION_COLUMNS, ROLLUP_MEASURE_COLUMNS, rollupLevels } from './002-rollups.js';

/**
 * The relations Grafana alert rules read (provisioning/alerting/), with the same names and columns
 * on both database flavours so one SQL text per rule runs everywhere:
 *
 * - flows_1m / flows_1h: TimescaleDB has them as continuous aggregates (migration 002); plain
 *   PostgreSQL gets ordinary views with the same columns (computed from the raw table on every
 *   read, so slower, but the alert SQL and its results are identical). Migration 006 replaces
 *   these two views with real-time views over rollup tables the proxy keeps.
 * - flow_connections_1m: connections opened per minute per (source, destination, protocol,
 *   destination port, action). The traffic rollups keep no addresses or ports, so "attempts per
 *   source" (brute force) and "distinct ports per source → destination pair" (scan) cannot be
 *   derived from them. Only rows that open a connection (flows > 0) are kept: reverse and
 *   continuation rows carry the initiator's ephemeral port as destination port, which would
 *   blow up the cardinality and count nothing useful. Source ports are dropped for the same
 *   reason, so a brute force of hundreds of connections is one row per minute.
 */
export const CONNECTION_AGGREGATE = 'flow_connections_1m';

/** Group-by columns of flow_connections_1m, besides the minute. */
export const CONNECTION_DIMENSION_COLUMNS = ['src_ip', 'dst_ip', 'protocol', 'dst_port', 'action', 'src_country', 'dst_country', 'src_site', 'dst_site'] as const;

function connectionSelect(bucket: string): string {
  const dims = CONNECTION_DIMENSION_COLUMNS.join(', ');
  return `SELECT ${bucket} AS time, ${dims}, sum(flows) AS connections, sum(bytes) AS bytes, sum(packets) AS packets
  FROM flows
  WHERE flows > 0
  GROUP BY 1, ${dims}`;
}

export function alertViewsMigration(timescale: boolean): string[] {
  if (timescale) {
    return [
      `CREATE MATERIALIZED VIEW ${CONNECTION_AGGREGATE}
  WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  ${connectionSelect("time_bucket(INTERVAL '1 minute', time)")}
  WITH NO DATA`,
      // Same refresh window and retention as flows_1m: alert rules look minutes back, baselines days.
      `SELECT add_continuous_aggregate_policy('${CONNECTION_AGGREGATE}',
  start_offset => INTERVAL '3 hours', end_offset => INTERVAL '1 minute', schedule_interval => INTERVAL '1 minute')`,
      `SELECT add_retention_policy('${CONNECTION_AGGREGATE}', INTERVAL '30 days')`,
    ];
  }
  const dims = ROLLUP_DIMENSION_COLUMNS.join(', ');
  const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c}) AS ${c}`).join(', ');
  const unit: Record<string, string> = { flows_1m: 'minute', flows_1h: 'hour' };
  return [
    ...rollupLevels().map(
      (level) => `CREATE VIEW ${level.name} AS
  SELECT date_trunc('${unit[level.name]}', time) AS time, ${dims}, ${sums}
  FROM flows
  GROUP BY 1, ${dims}`,
    ),
    `CREATE VIEW ${CONNECTION_AGGREGATE} AS
  ${connectionSelect("date_trunc('minute', time)")}`,
  ];
}
