import type pg from 'pg';

/** The continuous aggregates whose per-column indexes migration 008 drops. */
export const LEAN_AGGREGATES = ['flows_1m', 'flows_1h'] as const;

/**
 * TimescaleDB creates, for every continuous aggregate, one (column, time) index per GROUP BY
 * column: seventeen on each traffic rollup. Every refresh writes all of them. Measured on the
 * embedded TimescaleDB with 1M flows over a day: materializing flows_1m took 346 s with those
 * indexes and 60 s without (docs/benchmarks.md). The rollups are read by time range (their
 * time index stays) and grouped whole; a single-column index is no help for that.
 * Plain PostgreSQL (migration 006) never had them: nothing to do there.
 */
export async function dropRollupGroupIndexes(client: pg.PoolClient | pg.Pool, timescale: boolean): Promise<void> {
  if (!timescale) return;
  const indexes = await client.query<{ name: string }>(
    `SELECT format('%I.%I', i.schemaname, i.indexname) AS name
       FROM timescaledb_information.continuous_aggregates c
       JOIN pg_indexes i ON i.schemaname = c.materialization_hypertable_schema AND i.tablename = c.materialization_hypertable_name
      WHERE c.view_schema = current_schema() AND c.view_name = ANY($1::text[])
        AND i.indexname <> c.materialization_hypertable_name || '_time_idx'`,
    [LEAN_AGGREGATES],
  );
  // Names come from the catalogue, quoted by format(%I).
  for (const index of indexes.rows) await client.query(`DROP INDEX ${index.name}`);
}
