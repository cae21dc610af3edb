import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { RollupRefresher } from '../execute/rollup-refresher.js';
import { runPlan } from '../execute/run-plan.js';
import { dimensionCatalogue, dimensionValuesQuery, parseFilterText, planQuery, printFilter } from '../query/index.js';
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

  app.post('/api/v1/query', async (request) => {
    const context: PlanContext = {
      timescale: db.capabilities.timescale,
      now: Date.now(),
      rollups: refresher.rollups(),
      sites: options.sites(),
      limits: options.limits,
    };
    const plan = planQuery(request.body, context);
    if (plan.explainOnly) return { explain: plan.explain };
    // A rollup must not answer before the rows it summarizes are in it.
    if (plan.explain.table !== 'raw' && refresher.pending) await refresher.refresh();
    const started = performance.now();
    const answer = await runPlan(db.pool, plan, options.limits.maxRows);
    request.log.info({ table: plan.explain.table, ms: Math.round(performance.now() - started), sql: plan.explain.sql }, 'flow query');
    return answer;
  });

  app.post('/api/v1/filter/validate', async (request) => {
    const text = (request.body as { filterText?: unknown } | null)?.filterText;
    const tree = parseFilterText(typeof text === 'string' ? text : '');
    return { ok: true, tree, text: printFilter(tree) };
  });

  app.get('/api/v1/dimensions', async () => dimensionCatalogue());

  app.get<{ Params: { name: string }; Querystring: { prefix?: string; limit?: string } }>('/api/v1/dimensions/:name/values', async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 50) || 50, 1), 1000);
    const statement = dimensionValuesQuery(request.params.name, request.query.prefix ?? '', limit);
    const result = await db.pool.query(statement.sql, statement.params as unknown[]);
    return { values: result.rows.map((r) => String(Object.values(r)[0])) };
  });
}
