/**
 * Stage 3: validated query + chosen table → SQL text and $n parameters. Pure: no database, no
 * clock. Result column layout (read by shape.ts):
 *   - plain table (no Other, no reverse twin): d0..dk, v[, w]
 *   - everything else: part, pos, d0..dk, t, v[, w], where `part` says which piece a row is:
 *       rank       the top-N groups in order (pos), with their values over the whole range
 *       series     per-bucket values of the top groups (time series)
 *       other      the remainder outside the top N ("Other")
 *       rev        the reverse twins of the top groups (src/dst swapped), keyed like the forward group
 *       rev_other  the reverse of the remainder
 *   - topology: a, b, v, f, x (node ids, metric, flows, crossed a border); with topApplications a
 *     second statement: a, b, app, v (each directed pair's top applications, in rank order)
 * `v` is the raw aggregate (a count or sum); rates and averages are divided out in shape.ts so the
 * database does exact integer arithmetic. `w` is the flow count for bytes_per_flow.
 * Two ways to find the pieces: sums over few groups aggregate every group once per direction and
 * pick from that (compileGroupedAdditive); distinct counts, per-bucket table aggregations and time
 * series of addresses/ports select rows by their group's membership in the top N (inTop).
 */
import { ROLLUP_DIMENSION_COLUMNS, ROLLUP_MEASURE_COLUMNS } from '../db/migrations/002-rollups.js';
import { stepInterval, type Buckets } from './buckets.js';
import { compileFilter, swapDimension } from './compile-filter.js';
import { dimensionInRollups, type DimensionDef } from './dimensions.js';
import { relationColumns } from './rollup-levels.js';
import type { Resolution } from './resolve-rollup.js';
import { SqlParams } from './sql-params.js';
import type { Metric, Statement, TopologyLevel } from './types.js';
import type { ValidQuery } from './validate.js';

/** The aggregate(s) over source rows for each metric: v, and w for ratios. */
const MEASURES: Record<Metric, string[]> = {
  bytes: ['sum(bytes)'],
  packets: ['sum(packets)'],
  flows: ['sum(flows)'],
  bits_per_second: ['sum(bytes)'],
  packets_per_second: ['sum(packets)'],
  flows_per_second: ['sum(flows)'],
  unique_src_ips: ['count(DISTINCT src_ip)'],
  unique_dst_ips: ['count(DISTINCT dst_ip)'],
  unique_dst_ports: ['count(DISTINCT dst_port)'],
  bytes_per_flow: ['sum(bytes)', 'sum(flows)'],
};

const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";

export interface Compiled {
  statement: Statement;
  layout: 'plain' | 'parts' | 'topology';
  /** Topology with topApplications: rows (a, b, app, v), the top applications of each directed pair. */
  applications?: Statement;
}

/** Applications listed per direction of a topology edge. */
export const TOP_APPLICATIONS = 3;

interface Context {
  q: ValidQuery;
  relation: string;
  params: SqlParams;
  buckets: Buckets | null;
  /** `time >= $a AND time < $b` over the (bucket-aligned when bucketed) range; null when the relation is already cut to the range. */
  timeCond: string | null;
  stepParam: string | null;
  /** Row cap: topology asks for one row more to detect an answer that would be cut. */
  maxRows: number;
}

function measureColumns(metric: Metric): string[] {
  return MEASURES[metric].map((sql, i) => `${sql} AS ${i === 0 ? 'v' : 'w'}`);
}

function valueAliases(metric: Metric): string[] {
  return MEASURES[metric].length === 2 ? ['v', 'w'] : ['v'];
}

function rankExpr(metric: Metric, prefix = ''): string {
  return metric === 'bytes_per_flow' ? `${prefix}v / NULLIF(${prefix}w, 0)` : `${prefix}v`;
}

function dimAliases(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `d${i}`);
}

function ordinals(count: number): string {
  return Array.from({ length: count }, (_, i) => String(i + 1)).join(', ');
}

function bucketExpr(c: Context): string {
  return `date_bin(${c.stepParam}::interval, time, ${EPOCH})`;
}

/**
 * One aggregate query: groups by `exprs` (aliased d0..), optionally per bucket (t), over rows
 * matching `where`. In table mode with avg / max / p95 the per-bucket values are aggregated
 * once more; p95 counts empty buckets as zeros (the array is padded up to the bucket count).
 */
function aggregate(c: Context, exprs: string[], where: string, perBucketSeries: boolean): string {
  const aliases = dimAliases(exprs.length);
  const select = exprs.map((e, i) => `${e} AS ${aliases[i]}`);
  const { metric, aggregation, mode } = c.q;
  const from = where === 'TRUE' ? `FROM ${c.relation}` : `FROM ${c.relation} WHERE ${where}`;
  if (perBucketSeries || mode !== 'table' || aggregation === 'total') {
    const cols = [...select, ...(perBucketSeries ? [`${bucketExpr(c)} AS t`] : []), ...measureColumns(metric)];
    const groupCount = exprs.length + (perBucketSeries ? 1 : 0);
    return `SELECT ${cols.join(', ')} ${from}${groupCount ? ` GROUP BY ${ordinals(groupCount)}` : ''}`;
  }
  // Per-bucket table aggregation.
  const inner = `SELECT ${[...select, `${bucketExpr(c)} AS t`, ...measureColumns(metric)].join(', ')} ${from} GROUP BY ${ordinals(exprs.length + 1)}`;
  const groupBy = aliases.length ? ` GROUP BY ${aliases.join(', ')}` : '';
  const keep = aliases.map((a) => `${a}, `).join('');
  if (aggregation === 'avg') return `SELECT ${keep}sum(v) AS v FROM (${inner}) b${groupBy}`;
  if (aggregation === 'max') return `SELECT ${keep}max(v) AS v FROM (${inner}) b${groupBy}`;
  const count = c.params.add(c.buckets!.count);
  const padded = `SELECT ${keep}array_agg(v::float8) || array_fill(0::float8, ARRAY[${count}::int - count(*)::int]) AS vals FROM (${inner}) b${groupBy}`;
  return `SELECT ${keep}(SELECT percentile_cont(0.95) WITHIN GROUP (ORDER BY x) FROM unnest(s.vals) AS x) AS v FROM (${padded}) s`;
}

/**
 * Null-safe membership of a row's group in the top N. The typed (e0, e1) IN (…) is a hashed
 * lookup but never matches NULLs; only rows with a NULL in their key pay for the exact
 * comparison of the rows' text forms (ROW(...)::text keeps NULL distinct from any value).
 * Never NULL itself, so NOT gives the exact complement ("Other").
 */
function inTop(exprs: string[], aliases: string[]): string {
  const tuple = (list: string[]) => (list.length === 1 ? list[0]! : `(${list.join(', ')})`);
  const typed = `COALESCE(${tuple(exprs)} IN (SELECT ${aliases.join(', ')} FROM top), false)`;
  const anyNull = exprs.map((e) => `${e} IS NULL`).join(' OR ');
  const exact = `ROW(${exprs.join(', ')})::text IN (SELECT ROW(${aliases.join(', ')})::text FROM top)`;
  return `(${typed} OR ((${anyNull}) AND ${exact}))`;
}

function whereClause(c: Context, swap: boolean): string {
  const { filter } = c.q;
  const parts = [c.timeCond, filter ? compileFilter(filter, c.params, swap) : null].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

function selectExprs(dims: DimensionDef[], swap: boolean): string[] {
  return dims.map((d) => (swap ? swapDimension(d) : d).select);
}

function compileGrouped(c: Context): Compiled {
  const { q } = c;
  const series = q.mode === 'timeseries';
  const values = valueAliases(q.metric);
  const exprs = selectExprs(q.dimensions, false);
  const aliases = dimAliases(exprs.length);
  // Per-bucket groups of high-cardinality dimensions (addresses, ports) would be as many as the
  // rows: those time series pick their rows by membership in the top N instead.
  const fewGroups = !series || q.dimensions.every(dimensionInRollups);
  const additive = ADDITIVE.has(q.metric) && (series || q.aggregation === 'total') && fewGroups;
  // The one-scan bidirectional form compiles the filter itself (an unused parameter has no type).
  if (additive && q.bidirectional) return compileGroupedAdditive(c, exprs, null, c.params.add(q.topN));
  const forwardWhere = whereClause(c, false);
  const limit = c.params.add(q.topN);

  if (!series && !q.other && !q.bidirectional) {
    const order = [`${rankExpr(q.metric)} DESC NULLS LAST`, ...aliases].join(', ');
    const sql = `SELECT ${[...aliases, ...values].join(', ')} FROM (${aggregate(c, exprs, forwardWhere, false)}) g ORDER BY ${order} LIMIT ${limit}`;
    return { statement: { sql, params: c.params.values }, layout: 'plain' };
  }

  if (additive) return compileGroupedAdditive(c, exprs, forwardWhere, limit);
  const order = [`${rankExpr(q.metric)} DESC NULLS LAST`, ...aliases].join(', ');
  const top = `top AS (SELECT ${[...aliases, ...values].join(', ')}, row_number() OVER (ORDER BY ${order}) AS pos FROM (${aggregate(c, exprs, forwardWhere, false)}) g ORDER BY pos LIMIT ${limit})`;
  const t = series ? 't' : 'NULL::timestamptz';
  const nulls = aliases.map(() => 'NULL');
  const parts: string[] = [`SELECT 'rank' AS part, pos, ${aliases.join(', ')}, NULL::timestamptz AS t, ${values.join(', ')} FROM top`];
  // `aggregate` output for a piece: columns (d.., [t], v[, w]) re-selected under a part label.
  const piece = (part: string, pieceExprs: string[], where: string): string => {
    const dimCols = pieceExprs.length ? aliases.join(', ') : nulls.join(', ');
    return `SELECT '${part}', NULL, ${dimCols}, ${t}, ${values.join(', ')} FROM (${aggregate(c, pieceExprs, where, series)}) p`;
  };
  if (series) parts.push(piece('series', exprs, `${forwardWhere} AND ${inTop(exprs, aliases)}`));
  if (q.other) parts.push(piece('other', [], `${forwardWhere} AND NOT ${inTop(exprs, aliases)}`));
  if (q.bidirectional) {
    const reverseWhere = whereClause(c, true);
    const reverseExprs = selectExprs(q.dimensions, true);
    parts.push(piece('rev', reverseExprs, `${reverseWhere} AND ${inTop(reverseExprs, aliases)}`));
    if (q.other) parts.push(piece('rev_other', [], `${reverseWhere} AND NOT ${inTop(reverseExprs, aliases)}`));
  }
  const sql = `WITH ${top} ${parts.join(' UNION ALL ')}`;
  return { statement: { sql, params: c.params.values }, layout: 'parts' };
}

/** Metrics that are sums: a group's total is the sum of its buckets, Other the sum of the rest. */
const ADDITIVE: ReadonlySet<Metric> = new Set([
  'bytes', 'packets', 'flows', 'bits_per_second', 'packets_per_second', 'flows_per_second', 'bytes_per_flow',
]);

/**
 * Sum metrics read the table once per direction: every group (per bucket for time series) is
 * aggregated into a CTE, and the top N, the series and Other are picked from that small result,
 * instead of re-scanning rows for each piece. Exact, because sums of sums are sums.
 */
function compileGroupedAdditive(c: Context, exprs: string[], forwardWhere: string | null, limit: string): Compiled {
  const { q } = c;
  const series = q.mode === 'timeseries';
  const values = valueAliases(q.metric);
  const aliases = dimAliases(exprs.length);
  const sums = values.map((v) => `sum(${v}) AS ${v}`).join(', ');
  const order = [`${rankExpr(q.metric)} DESC NULLS LAST`, ...aliases].join(', ');
  const ctes: string[] = [];
  if (q.bidirectional && q.dimensions.every(dimensionInRollups)) {
    ctes.push(...bothDirectionsRegrouped(c, exprs, selectExprs(q.dimensions, true), series));
  } else if (q.bidirectional) {
    // Both directions from one read of the table: each row is counted once under its forward
    // key and once under its reverse key (where the filter, mirrored, admits it).
    const keep = [...aliases, ...(series ? ['t'] : []), ...values].join(', ');
    ctes.push(
      `b AS (${bothDirections(c, exprs, selectExprs(q.dimensions, true), series)})`,
      `g AS (SELECT ${keep} FROM b WHERE NOT rev)`,
      `r AS (SELECT ${keep} FROM b WHERE rev)`,
    );
  } else {
    ctes.push(`g AS (${aggregate(c, exprs, forwardWhere ?? whereClause(c, false), series)})`);
  }
  const totals = series ? `SELECT ${aliases.join(', ')}, ${sums} FROM g GROUP BY ${aliases.join(', ')}` : 'SELECT * FROM g';
  ctes.push(`top AS (SELECT ${[...aliases, ...values].join(', ')}, row_number() OVER (ORDER BY ${order}) AS pos FROM (${totals}) s ORDER BY pos LIMIT ${limit})`);
  const nulls = aliases.map(() => 'NULL').join(', ');
  const qualified = (table: string) => aliases.map((a) => `${table}.${a}`);
  const parts: string[] = [`SELECT 'rank' AS part, pos, ${aliases.join(', ')}, NULL::timestamptz AS t, ${values.join(', ')} FROM top`];
  const pieces = (source: 'g' | 'r', part: string, otherPart: string): void => {
    if (series || part === 'rev') {
      parts.push(`SELECT '${part}', NULL, ${aliases.join(', ')}, ${series ? 't' : 'NULL::timestamptz'}, ${values.join(', ')} FROM ${source} WHERE ${inTop(qualified(source), aliases)}`);
    }
    if (q.other) {
      parts.push(
        `SELECT '${otherPart}', NULL, ${nulls}, ${series ? 't' : 'NULL::timestamptz'}, ${sums} FROM ${source} WHERE NOT ${inTop(qualified(source), aliases)}${series ? ' GROUP BY t' : ''}`,
      );
    }
  };
  pieces('g', 'series', 'other');
  if (q.bidirectional) pieces('r', 'rev', 'rev_other');
  const sql = `WITH ${ctes.join(', ')} ${parts.join(' UNION ALL ')}`;
  return { statement: { sql, params: c.params.values }, layout: 'parts' };
}

/**
 * Both directions of low-cardinality groups (sites, countries, services…) from one aggregate:
 * rows are summed once per combination of every forward and reverse key column (for `src_site`:
 * src_site and dst_site) and of the two filters' verdicts; the forward groups (g) and the reverse
 * twins (r) are then re-summed from that small result. One scan and one large aggregation, as
 * cheap as a one-directional query; exact, because sums of sums are sums.
 */
function bothDirectionsRegrouped(c: Context, forwardExprs: string[], reverseExprs: string[], perBucket: boolean): string[] {
  const { q } = c;
  const union = [...new Set([...forwardExprs, ...reverseExprs])];
  const col = (expr: string) => `u${union.indexOf(expr)}`;
  const filter = q.filter;
  const values = valueAliases(q.metric);
  const flags = filter ? [`${compileFilter(filter, c.params, false)} AS kf`, `${compileFilter(filter, c.params, true)} AS kr`] : [];
  const conditions = [c.timeCond, filter ? `(${compileFilter(filter, c.params, false)} OR ${compileFilter(filter, c.params, true)})` : null].filter(
    (p): p is string => p !== null,
  );
  const inner = [...union.map((e, i) => `${e} AS u${i}`), ...(perBucket ? [`${bucketExpr(c)} AS t`] : []), ...flags, ...measureColumns(q.metric)];
  const groupCount = union.length + (perBucket ? 1 : 0) + flags.length;
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  const sums = values.map((v) => `sum(${v}) AS ${v}`);
  const regroup = (exprs: string[], flag: string) => {
    const keys = [...exprs.map((e, i) => `${col(e)} AS d${i}`), ...(perBucket ? ['t'] : [])];
    return `SELECT ${[...keys, ...sums].join(', ')} FROM u${filter ? ` WHERE ${flag}` : ''} GROUP BY ${ordinals(keys.length)}`;
  };
  return [
    `u AS (SELECT ${inner.join(', ')} FROM ${c.relation}${where} GROUP BY ${ordinals(groupCount)})`,
    `g AS (${regroup(forwardExprs, 'kf')})`,
    `r AS (${regroup(reverseExprs, 'kr')})`,
  ];
}

/**
 * Sums per forward key and per reverse key in one scan: a lateral VALUES turns each row into its
 * forward and its reverse twin (`rev`), each kept only where its own filter holds. The scan
 * itself only admits rows one of the two filters holds for, so an address filter still uses the
 * address indexes (src = X or dst = X).
 */
function bothDirections(c: Context, forwardExprs: string[], reverseExprs: string[], perBucket: boolean): string {
  const { q } = c;
  const aliases = dimAliases(forwardExprs.length);
  const filter = q.filter;
  const forward = filter ? compileFilter(filter, c.params, false) : null;
  const reverse = filter ? compileFilter(filter, c.params, true) : null;
  const twin = (flag: string, exprs: string[], cond: string | null) => `(${[flag, ...exprs, ...(cond ? [cond] : [])].join(', ')})`;
  const columns = ['rev', ...aliases, ...(filter ? ['keep'] : [])].join(', ');
  const lateral = `CROSS JOIN LATERAL (VALUES ${twin('false', forwardExprs, forward)}, ${twin('true', reverseExprs, reverse)}) AS x(${columns})`;
  const conditions = [
    c.timeCond,
    filter ? `(${compileFilter(filter, c.params, false)} OR ${compileFilter(filter, c.params, true)})` : null,
    filter ? 'x.keep' : null,
  ].filter((p): p is string => p !== null);
  const select = ['x.rev AS rev', ...aliases.map((a) => `x.${a} AS ${a}`), ...(perBucket ? [`${bucketExpr(c)} AS t`] : []), ...measureColumns(q.metric)];
  const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
  return `SELECT ${select.join(', ')} FROM ${c.relation} ${lateral}${where} GROUP BY ${ordinals(aliases.length + 1 + (perBucket ? 1 : 0))}`;
}

/** No dimensions: one group (the whole selection), plus its reverse twin when bidirectional. */
function compileUngrouped(c: Context): Compiled {
  const { q } = c;
  const series = q.mode === 'timeseries';
  const values = valueAliases(q.metric);
  const t = series ? 't' : 'NULL::timestamptz';
  const piece = (part: string, swap: boolean): string =>
    `SELECT '${part}' AS part, NULL::bigint AS pos, ${t} AS t, ${values.join(', ')} FROM (${aggregate(c, [], whereClause(c, swap), series)}) p`;
  if (!series && !q.bidirectional) {
    const sql = aggregate(c, [], whereClause(c, false), false);
    return { statement: { sql, params: c.params.values }, layout: 'plain' };
  }
  const parts = [piece(series ? 'series' : 'rank', false)];
  if (q.bidirectional) parts.push(piece('rev', true));
  return { statement: { sql: parts.join(' UNION ALL '), params: c.params.values }, layout: 'parts' };
}

/** Node id of one end of a row at a topology level (sites fall back to the country outside them). */
export function topologyNodeExpr(level: TopologyLevel, side: 'src' | 'dst'): string {
  if (level === 'site') return `COALESCE(${side}_site, ${side}_country, 'unknown')`;
  if (level === 'region') return `COALESCE(${side}_region, ${side}_site, ${side}_country, 'unknown')`;
  return `COALESCE(${side}_country, 'unknown')`;
}

function compileTopology(c: Context): Compiled {
  const { q } = c;
  const measure = MEASURES[q.metric][0]!;
  const sql =
    `SELECT ${topologyNodeExpr(q.level, 'src')} AS a, ${topologyNodeExpr(q.level, 'dst')} AS b, ` +
    `${measure} AS v, sum(flows) AS f, bool_or(COALESCE(src_country <> dst_country, false)) AS x ` +
    `FROM ${c.relation} WHERE ${whereClause(c, false)} GROUP BY 1, 2 ORDER BY v DESC NULLS LAST, a, b LIMIT ${c.params.add(c.maxRows + 1)}`;
  return { statement: { sql, params: c.params.values }, layout: 'topology' };
}

/**
 * The top applications of each directed pair of nodes, by the map's metric, from the same rows
 * as the map (same relation and filter): a second statement, so the map's own query is unchanged.
 * Applications without traffic in a direction (e.g. only denied attempts, 0 bytes) are not listed.
 */
function compileTopApplications(c: Context): Statement {
  const { q } = c;
  const measure = MEASURES[q.metric][0]!;
  const a = topologyNodeExpr(q.level, 'src');
  const b = topologyNodeExpr(q.level, 'dst');
  const sql =
    `SELECT a, b, app, v FROM (SELECT ${a} AS a, ${b} AS b, application AS app, ${measure} AS v, ` +
    `row_number() OVER (PARTITION BY ${a}, ${b} ORDER BY ${measure} DESC, application) AS r ` +
    `FROM ${c.relation} WHERE ${whereClause(c, false)} AND application IS NOT NULL GROUP BY 1, 2, 3 HAVING ${measure} > 0) s ` +
    `WHERE r <= ${c.params.add(TOP_APPLICATIONS)} AND a <> b ORDER BY a, b, r LIMIT ${c.params.add(c.maxRows + 1)}`;
  return { sql, params: c.params.values };
}

/** Stage 3 of the pipeline: see the file comment. */
export function compileQuery(q: ValidQuery, resolution: Resolution, maxRows = Number.MAX_SAFE_INTEGER - 1): Compiled {
  if (q.mode === 'topology') {
    // Each statement has parameters of its own: the relation and filter are written into both.
    const map = compileTopology(compileContext(q, resolution, maxRows));
    return q.topApplications ? { ...map, applications: compileTopApplications(compileContext(q, resolution, maxRows)) } : map;
  }
  const c = compileContext(q, resolution, maxRows);
  return q.dimensions.length ? compileGrouped(c) : compileUngrouped(c);
}

/** The relation (a table, or stitched slices of levels), time condition and step of a query, with fresh parameters. */
function compileContext(q: ValidQuery, resolution: Resolution, maxRows: number): Context {
  const params = new SqlParams();
  const buckets = resolution.buckets;
  const fromMs = buckets ? buckets.startMs : q.fromMs;
  const toMs = buckets ? buckets.endMs : q.toMs;
  const range = (a: number, b: number) =>
    `time >= ${params.add(new Date(a).toISOString())}::timestamptz AND time < ${params.add(new Date(b).toISOString())}::timestamptz`;
  let relation: string = resolution.relation;
  let timeCond: string | null;
  if (resolution.segments) {
    // Stitched range: each level contributes its slice; the union has the columns of the
    // narrowest level in it (all of which the query needs, see resolve-rollup).
    const kept = resolution.segments
      .map((s) => relationColumns(s.relation))
      .reduce<readonly string[]>((a, b) => (b && b.length < a.length ? b : a), ROLLUP_DIMENSION_COLUMNS);
    const columns = ['time', ...kept, ...ROLLUP_MEASURE_COLUMNS].join(', ');
    const slices = resolution.segments.map((s) => `SELECT ${columns} FROM ${s.relation} WHERE ${range(s.fromMs, s.toMs)}`);
    relation = `(${slices.join(' UNION ALL ')}) AS src`;
    timeCond = null;
  } else {
    timeCond = range(fromMs, toMs);
  }
  const stepParam = buckets ? params.add(stepInterval(buckets.stepMs)) : null;
  return { q, relation, params, buckets, timeCond, stepParam, maxRows };
}
