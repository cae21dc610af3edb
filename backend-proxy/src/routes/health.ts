import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';

/** Below this many rows an exact count is cheap; above it the planner's estimate is good enough. */
const EXACT_COUNT_BELOW = 2_000_000;

async function rowCount(db: Database): Promise<{ rows: number; exact: boolean }> {
  const estimate = db.capabilities.timescale
    ? await db.pool.query<{ n: number }>("SELECT approximate_row_count('flows') AS n")
    : await db.pool.query<{ n: number }>("SELECT GREATEST(reltuples, 0)::bigint AS n FROM pg_class WHERE relname = 'flows'");
  const approx = Number(estimate.rows[0]?.n ?? 0);
  if (approx >= EXACT_COUNT_BELOW) return { rows: approx, exact: false };
  const exact = await db.pool.query<{ n: number }>('SELECT count(*) AS n FROM flows');
  return { rows: Number(exact.rows[0]?.n ?? 0), exact: true };
}

/** Liveness plus what an operator checks first: which database, how much data, how fresh. */
export function healthRoutes(app: FastifyInstance, db: Database): void {
  app.get('/api/health', async (_request, reply) => {
    try {
      const count = await rowCount(db);
      // max(time) walks the time index (or the hypertable's newest chunk) instead of the table.
      const newest = await db.pool.query<{ newest: Date | null }>('SELECT max(time) AS newest FROM flows');
      return {
        status: 'ok',
        database: db.capabilities.description,
        timescale: db.capabilities.timescale,
        embedded: db.embedded,
        rows: count.rows,
        rowsExact: count.exact,
        newest: newest.rows[0]?.newest ? newest.rows[0].newest.toISOString() : null,
      };
    } catch (err) {
      return reply.status(503).send({ status: 'error', message: `database unreachable: ${(err as Error).message}` });
    }
  });
}
