/**
 * GET /api/v1/dimensions/:name/values: the most frequent values of a dimension, optionally
 * starting with a prefix, for the QueryEditor's suggestions. Reads only recent rows (a bounded
 * window) so a suggestion never scans the whole history.
 */
import { lookupDimension } from './dimensions.js';
import { QueryError } from './errors.js';
import type { Statement } from './types.js';

export const DIMENSION_VALUES_WINDOW = '7 days';

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export function dimensionValuesQuery(name: string, prefix: string, limit: number, options: { window?: string } = {}): Statement {
  const def = lookupDimension(name);
  if (!def) throw new QueryError(`unknown dimension ${JSON.stringify(name)}`, { field: 'name' });
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new QueryError('limit must be an integer between 1 and 1000', { field: 'limit' });
  }
  if (prefix.includes('\u0000')) throw new QueryError('prefix: contains a NUL character (U+0000), which no stored value can hold', { field: 'prefix' });
  const window = options.window ?? DIMENSION_VALUES_WINDOW;
  if (!/^\d+ (minute|hour|day)s?$/.test(window)) throw new Error(`invalid window ${window}`);
  const params: unknown[] = [];
  let where = `time >= now() - INTERVAL '${window}'`;
  if (prefix) {
    params.push(`${escapeLike(prefix)}%`);
    where += ` AND (${def.select})::text ILIKE $${params.length}`;
  }
  params.push(limit);
  const sql =
    `SELECT v AS value, count(*) AS count FROM (SELECT ${def.select} AS v FROM flows WHERE ${where}) s ` +
    `WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v LIMIT $${params.length}`;
  return { sql, params };
}
