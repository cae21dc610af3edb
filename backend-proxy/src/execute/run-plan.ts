import type pg from 'pg';
import type { QueryPlan } from '../query/types.js';

export interface RunOptions {
  /** Rows beyond this are an error, not a silent truncation. */
  maxRows: number;
  /** Aborted when nobody waits for the answer any more (the client went away). */
  signal?: AbortSignal;
  /**
   * The server can cancel a running statement from a second connection (pg_cancel_backend).
   * Not the embedded PGlite: one connection at a time, and it runs a statement to its end.
   */
  cancellable?: boolean;
}

/** The error a plan stops with when its signal is aborted (HTTP 499: the client closed the request). */
export class QueryCancelledError extends Error {
  readonly statusCode = 499;
  constructor() {
    super('the query was cancelled: the client closed the request');
  }
}

/**
 * Runs a plan's statements in order on one connection and hands the rows to the plan's shaper.
 * Rows beyond `maxRows` are an error, not a silent truncation: a dashboard must not show a
 * partial answer as if it were whole. When the signal aborts (Grafana cancels a superseded panel
 * query by closing its request), the running statement is cancelled on the server and no further
 * statement starts, so an abandoned scan stops holding a connection and the CPU.
 */
export async function runPlan(pool: pg.Pool, plan: QueryPlan, options: RunOptions): Promise<ReturnType<QueryPlan['shape']>> {
  const { maxRows, signal } = options;
  if (signal?.aborted) throw new QueryCancelledError();
  const client = await pool.connect();
  let cancelled: Promise<unknown> | null = null;
  const onAbort = (): void => {
    const pid = (client as pg.PoolClient & { processID?: number }).processID;
    // pg_cancel_backend only cancels a statement of this role's own sessions, and a pid that
    // is idle again by then is left alone: a late cancel is harmless.
    if (options.cancellable && pid) cancelled = pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw new QueryCancelledError();
    // JIT compilation costs ~100 ms per statement: a loss for rollup reads, which take tens of
    // milliseconds, and for the planner's guesses about a real-time tail that is nearly always
    // empty. Long raw scans keep the server's setting, where it can pay off.
    await client.query(plan.explain.table === 'raw' ? 'RESET jit' : 'SET jit = off');
    const results: Record<string, unknown>[][] = [];
    for (const statement of plan.statements) {
      if (signal?.aborted) throw new QueryCancelledError();
      const result = await client.query(statement.sql, statement.params as unknown[]);
      if (result.rows.length > maxRows) {
        const { message, field } = statement.overCap ?? { message: `the query returned more than ${maxRows} rows; narrow the time range, add filters or lower topN`, field: undefined };
        throw Object.assign(new Error(message), { statusCode: 422, ...(field ? { field } : {}) });
      }
      results.push(result.rows);
    }
    return plan.shape(results);
  } catch (err) {
    // A statement cancelled on our behalf ends with 57014 like a timeout: report it as what it was.
    if (signal?.aborted) throw new QueryCancelledError();
    throw err;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // The connection goes back to the pool only once a pending cancel can no longer hit its next user.
    if (cancelled) await cancelled;
    client.release();
  }
}
