/**
 * The query engine's public entry: validate → resolve rollup → compile → (the route executes) →
 * shape. Pure: no database and no HTTP here; the route runs `statements` and hands the rows back
 * to `shape`.
 */
import { compileQuery } from './compile.js';
import { resolveTable } from './resolve-rollup.js';
import { shapeRows } from './shape.js';
import { shapeTopology } from './topology.js';
import type { Frame, PlanContext, QueryPlan } from './types.js';
import { validateQuery } from './validate.js';

export { QueryError } from './errors.js';
export { parseFilterText, printFilter } from './filter-text.js';
export { dimensionCatalogue, lookupDimension, DIMENSION_CATEGORIES, type CatalogueEntry } from './dimensions.js';
export { dimensionValuesQuery } from './dimension-values.js';
export * from './types.js';

/** Plans one POST /api/v1/query body. Throws QueryError (400 bad request, 422 over a cap). */
export function planQuery(body: unknown, ctx: PlanContext): QueryPlan {
  const q = validateQuery(body, ctx);
  const resolution = resolveTable(q, ctx);
  const compiled = compileQuery(q, resolution, ctx.limits.maxRows);
  const { sql, params } = compiled.statement;
  // A second statement (each arc's top applications) has $n values of its own: both are listed.
  const statements = compiled.applications ? [{ sql, params }, { sql: compiled.applications.sql, params: compiled.applications.params }] : undefined;
  const frameMeta: Frame['meta'] = {
    executedQueryString: statements ? statements.map((s) => s.sql).join(';\n\n-- then each arc\'s top applications per direction\n') : sql,
    // the $n values of executedQueryString, for Show SQL and Grafana's query inspector
    custom: { table: resolution.table, reason: resolution.reason, params, ...(statements ? { statements } : {}) },
    ...(resolution.notice ? { notices: [{ severity: 'info' as const, text: resolution.notice }] } : {}),
  };
  return {
    explain: { sql, params, table: resolution.table, reason: resolution.reason, ...(resolution.notice ? { notice: resolution.notice } : {}), ...(statements ? { statements } : {}) },
    explainOnly: q.explain,
    statements: [
      compiled.layout === 'topology'
        ? { ...compiled.statement, overCap: { message: `level: more than ${ctx.limits.maxRows} node pairs; choose a coarser level or filter`, field: 'level' } }
        : compiled.statement,
      ...(compiled.applications
        ? [{ ...compiled.applications, overCap: { message: `level: too many node pairs to list their applications (${ctx.limits.maxRows} rows); choose a coarser level or filter`, field: 'level' } }]
        : []),
    ],
    shape(results) {
      const rows = results[0] ?? [];
      if (compiled.layout === 'topology') return { frames: shapeTopology(q, ctx, rows, frameMeta, results[1]) };
      return { frames: shapeRows({ q, resolution, sql, params, layout: compiled.layout }, rows) };
    },
  };
}
