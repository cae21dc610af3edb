import type pg from 'pg';
import type { QueryPlan } from '../query/types.js';

/**
 * Runs a plan's statements in order on one connection and hands the rows to the plan's shaper.
 * Rows beyond `maxRows` are an error, not a silent truncation: a dashboard must not show a
 * partial answer as if it were whole.
 */
export async function runPlan(pool: pg.Pool, plan: QueryPlan, maxRows: number): Promise<ReturnType<QueryPlan['shape']>> {
  const client = await pool.connect();
  try {
    // JIT compilation costs ~100 ms per statement: a loss for rollup reads, which take tens of
    // milliseconds, and for the planner's guesses about a real-time tail that is nearly always
    // empty. Long raw scans keep the server's setting, where it can pay off.
    await client.query(plan.explain.table === 'raw' ? 'RESET jit' : 'SET jit = off');
    const results: Record<string, unknown>[][] = [];
    for (const statement of plan.statements) {
      const result = await client.query(statement.sql, statement.params as unknown[]);
      if (result.rows.length > maxRows) {
        throw Object.assign(new Error(`the query returned more than ${maxRows} rows; narrow the time range, add filters or lower topN`), { statusCode: 422 });
      }
      results.push(result.rows);
    }
    return plan.shape(results);
  } finally {
    client.release();
  }
}
