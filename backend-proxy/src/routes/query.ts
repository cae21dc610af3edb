import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { RollupRefresher } from '../execute/rollup-refresher.js';
import { runPlan } from '../execute/run-plan.js';
import { QueryError, dimensionCatalogue, dimensionValuesQuery, planQuery, printFilter } from '../query/index.js';
import { checkFilterText } from '../query/validate.js';
import type { PlanContext } from '../query/types.js';
import type { Site } from '../enrich/networks.js';

export interface QueryRouteOptions {
  db: Database;
  refresher: RollupRefresher;
  sites: () => Site[];
  limits: PlanContext['limits'];
}

export function queryRoutes(app: FastifyInstance, options: QueryRouteOptions): void {
  const { db, refresher } = options;

  app.post('/api/v1/query', async (request, reply) => {
    const now = Date.now();
    const plan = (): ReturnType<typeof planQuery> =>
      planQuery(request.body, {
        timescale: db.capabilities.timescale,
        now,
        rollups: refresher.rollups(),
        sites: options.sites(),
        limits: options.limits,
      } satisfies PlanContext);
    let planned = plan();
    if (planned.explainOnly) return { explain: planned.explain };
    // A rollup must not answer before the rows it summarizes are in it; a refresh may move where
    // the rollups start, so plan again after one.
    if (planned.explain.table !== 'raw' && (await refresher.ensureFresh())) planned = plan();
    const started = performance.now();
    // Grafana cancels a superseded panel query by closing its request: stop its SQL too.
    const abandoned = new AbortController();
    const onClose = (): void => {
      if (!reply.raw.writableEnded) abandoned.abort();
    };
    reply.raw.once('close', onClose);
    let answer: Awaited<ReturnType<typeof runPlan>>;
    try {
      answer = await runPlan(db.pool, planned, { maxRows: options.limits.maxRows, signal: abandoned.signal, cancellable: !db.embedded });
    } catch (err) {
      if (abandoned.signal.aborted) request.log.info({ table: planned.explain.table, ms: Math.round(performance.now() - started) }, 'flow query cancelled: the client went away');
      throw err;
    } finally {
      reply.raw.off('close', onClose);
    }
    request.log.info({ table: planned.explain.table, ms: Math.round(performance.now() - started), sql: planned.explain.sql }, 'flow query');
    return answer;
  });

  // The query's own filterText checks. A filter that does not pass is an answer, not a failed
  // request (editors ask while the user types): 200 with ok false, where and why, and the tree
  // when only the semantic checks failed.
  app.post('/api/v1/filter/validate', async (request) => {
    const text = (request.body as { filterText?: unknown } | null)?.filterText;
    // Absent is the empty filter; any other non-string is what the query rejects too.
    const { tree, error } = checkFilterText(text ?? '');
    if (error) {
      const { field, line, column, expected } = error;
      return { ok: false, message: error.message, field, line, column, expected, ...(tree ? { tree } : {}) };
    }
    return { ok: true, tree, text: printFilter(tree!) };
  });

  app.get('/api/v1/dimensions', async () => dimensionCatalogue());

  app.get<{ Params: { name: string }; Querystring: { prefix?: string | string[]; limit?: string } }>('/api/v1/dimensions/:name/values', async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50) || 50, 1), 1000);
    const prefix = request.query.prefix ?? '';
    // ?prefix=a&prefix=b parses into a list.
    if (typeof prefix !== 'string') throw new QueryError('prefix: give one prefix', { field: 'prefix' });
    const statement = dimensionValuesQuery(request.params.name, prefix, limit);
    const result = await db.pool.query(statement.sql, statement.params as unknown[]);
    return { values: result.rows.map((r) => String(Object.values(r)[0])) };
  });
}
