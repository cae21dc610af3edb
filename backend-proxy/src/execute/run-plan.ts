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
