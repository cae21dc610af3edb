/**
 * Stage 2: which table answers — the raw table or a rollup (flows_1m / flows_1h: continuous
 * aggregates on TimescaleDB, the proxy's own real-time rollup views on plain PostgreSQL). Rule (after akvorado's getBestTable): the coarsest rollup that holds every column
 * the query reads, whose buckets tile the requested buckets (or range) exactly, and whose data
 * reaches back to the start. Exact tiling is what makes a rollup answer equal the raw answer.
 * Whole-range questions (table totals, topology) over an unaligned range are stitched: whole
 * coarse buckets in the middle, finer levels and finally raw rows at the edges.
 */
import { alignBuckets, chooseStep, type Buckets } from './buckets.js';
import { dimensionInRollups } from './dimensions.js';
import { ROLLUP_LEVEL_COLUMNS, levelOf } from './rollup-levels.js';
import { QueryError } from './errors.js';
import { FIRST_TIME_MS, LAST_TIME_MS, type CheckedNode, type ValidQuery } from './validate.js';
import type { PlanContext, Relation, RollupInfo, RollupName, TableChoice } from './types.js';

export interface Segment {
  relation: Relation;
  fromMs: number;
  toMs: number;
}

export interface Resolution {
  table: TableChoice;
  /** The relation to read: always a fixed name, never user input. */
  relation: Relation;
  /** Set when the range is stitched from several levels (coarse middle, finer edges). */
  segments: Segment[] | null;
  reason: string;
  /** Time buckets, for time series and per-bucket table aggregations; null otherwise. */
  buckets: Buckets | null;
  /** Said to the user with the answer (Grafana shows frame notices), e.g. a widened step. */
  notice?: string;
}

// Metrics computed from the summed columns alone (bytes, packets, flows), which the rollups keep.
const ROLLUP_METRICS = new Set(['bytes', 'packets', 'flows', 'bits_per_second', 'packets_per_second', 'flows_per_second', 'bytes_per_flow']);

function rawOnlyFilterDimension(node: CheckedNode): string | null {
  if (node.kind === 'rule') return dimensionInRollups(node.def) ? null : node.def.name;
  for (const child of node.rules) {
    const found = rawOnlyFilterDimension(child);
    if (found) return found;
  }
  return null;
}

/** Why the raw table is required, or null when a rollup could answer. */
export function rawRequirement(q: ValidQuery): string | null {
  if (!ROLLUP_METRICS.has(q.metric)) return `metric ${q.metric} needs individual addresses/ports (raw table)`;
  if (q.mode !== 'topology') {
    const dim = q.dimensions.find((d) => !dimensionInRollups(d));
    if (dim) return `dimension ${dim.name} is not kept in the rollups`;
  }
  const filterDim = q.filter ? rawOnlyFilterDimension(q.filter) : null;
  if (filterDim) return `filter on ${filterDim} is not kept in the rollups`;
  return null;
}

/** Base columns a query reads (dimensions, filters; topology: the node columns). */
export function neededColumns(q: ValidQuery): Set<string> {
  const needed = new Set<string>();
  if (q.mode === 'topology') {
    for (const side of ['src', 'dst']) for (const c of ['site', 'country', 'region']) needed.add(`${side}_${c}`);
    // Both statements read one resolution: asking for applications moves the map off the narrow levels.
    if (q.topApplications) needed.add('application');
  } else {
    for (const d of q.dimensions) for (const c of d.columns) needed.add(c);
  }
  const walk = (node: CheckedNode): void => {
    if (node.kind === 'rule') for (const c of node.def.columns) needed.add(c);
    else node.rules.forEach(walk);
  };
  if (q.filter) walk(q.filter);
  return needed;
}

/**
 * The levels that hold every needed column, coarsest bucket first; of two levels with the same
 * bucket only the narrower one (fewer columns, so fewer rows) is kept.
 */
function eligibleLevels(q: ValidQuery, rollups: RollupInfo[]): RollupInfo[] {
  const needed = [...neededColumns(q)];
  const fits = rollups.filter((r) => needed.every((c) => ROLLUP_LEVEL_COLUMNS[r.name].includes(c)));
  const best = new Map<number, RollupInfo>();
  for (const r of fits) {
    const seen = best.get(r.bucketMs);
    if (!seen || ROLLUP_LEVEL_COLUMNS[r.name].length < ROLLUP_LEVEL_COLUMNS[seen.name].length) best.set(r.bucketMs, r);
  }
  return [...best.values()].sort((a, b) => b.bucketMs - a.bucketMs);
}

const MAX_TABLE_BUCKETS = 5000;

function needsBuckets(q: ValidQuery): boolean {
  return q.mode === 'timeseries' || (q.mode === 'table' && q.aggregation !== 'total');
}

/** Stage 2 of the pipeline: see the file comment. Also enforces the row cap on buckets. */
export function resolveTable(q: ValidQuery, ctx: PlanContext): Resolution {
  const { buckets, notice } = bucketsWithinCap(q, ctx);
  const resolution = pickTable(q, ctx, buckets);
  return notice ? { ...resolution, notice } : resolution;
}

/** The query's buckets (null when it needs none), widened to stay under the points cap. */
function bucketsWithinCap(q: ValidQuery, ctx: PlanContext): { buckets: Buckets | null; notice?: string } {
  if (!needsBuckets(q)) return { buckets: null };
  const series = q.mode === 'timeseries' ? (q.dimensions.length > 0 ? q.topN + (q.other ? 1 : 0) : 1) * (q.bidirectional ? 2 : 1) : 1;
  // Table p95 pads every group's buckets into an array: keep that array small.
  const cap = q.mode === 'table' ? Math.min(ctx.limits.maxRows, MAX_TABLE_BUCKETS) : ctx.limits.maxRows;
  // A grouped time series also answers one rank row per top group (compile.ts, part `rank`).
  const rankRows = q.mode === 'timeseries' && q.dimensions.length > 0 ? q.topN : 0;
  let buckets = alignBuckets(q.fromMs, q.toMs, chooseStep(q.fromMs, q.toMs, q.maxDataPoints, q.intervalMs));
  let notice: string | undefined;
  if (buckets.count * series + rankRows > cap) {
    // Grafana sends maxDataPoints = the panel's width in pixels and intervalMs derived from it,
    // so a wide panel of top-10 series passes the cap on an ordinary query. Widen the step, as
    // Grafana's own data sources do, and say so; refuse only when not even one bucket fits.
    const fitting = Math.floor((cap - rankRows) / series) - 1; // alignment can add one bucket
    if (fitting < 1) {
      throw new QueryError(`topN: ${series} series leave no room under the cap of ${cap} points; lower topN`, { field: 'topN', statusCode: 422 });
    }
    const asked = buckets.stepMs;
    buckets = alignBuckets(q.fromMs, q.toMs, chooseStep(q.fromMs, q.toMs, fitting, null));
    notice = `step widened from ${asked / 1000} s to ${buckets.stepMs / 1000} s: ${series} series × ${buckets.count} buckets stay under the cap of ${cap} points (FLOWATLAS_MAX_ROWS)`;
  }
  // Buckets are aligned to the epoch: a huge step starts or ends them beyond the years a time can be written in.
  if (buckets.startMs < FIRST_TIME_MS || buckets.endMs > LAST_TIME_MS) {
    const field = q.intervalMs !== null ? 'intervalMs' : 'maxDataPoints';
    throw new QueryError(`${field}: buckets of ${buckets.stepMs / 1000} s reach outside the supported time range (years 0001 to 9999); use a shorter step or range`, { field });
  }
  return { buckets, notice };
}

function pickTable(q: ValidQuery, ctx: PlanContext, buckets: Buckets | null): Resolution {
  const raw = (reason: string): Resolution => ({ table: 'raw', relation: 'flows', segments: null, reason, buckets });
  if (ctx.rollups.length === 0) return raw('raw table: no rollups in this database');
  const required = rawRequirement(q);
  if (required) return raw(required);
  const candidates = eligibleLevels(q, ctx.rollups);
  if (!buckets) return resolveRange(q, candidates, raw);
  const skipped: string[] = [];
  for (const [i, rollup] of candidates.entries()) {
    const label = levelLabel(rollup.name);
    if (rollup.oldestMs === null || rollup.oldestMs > buckets.startMs) {
      skipped.push(`${label} does not reach back to the start`);
      continue;
    }
    if (buckets.stepMs % rollup.bucketMs !== 0) {
      skipped.push(`${label} buckets do not divide the ${buckets.stepMs / 1000}s step`);
      continue;
    }
    const until = storedUntil(rollup);
    if (until <= buckets.startMs) {
      skipped.push(`${label} is not stored that far yet`);
      continue;
    }
    const reason = `rollup ${rollup.name}: every column is kept there and its buckets tile the step`;
    if (until >= buckets.endMs) return { table: label, relation: levelRelation(rollup), segments: null, reason, buckets };
    // Plain PostgreSQL: stored buckets up to the watermark, then finer levels and raw rows. The
    // finer buckets nest in this level's, which divide the step: every bucket stays exact.
    const segments = [{ relation: levelRelation(rollup), fromMs: buckets.startMs, toMs: until }, ...coverRange(until, buckets.endMs, candidates.slice(i + 1))];
    return { table: label, relation: levelRelation(rollup), segments, reason: `${reason}; ${describeSegments(segments)}`, buckets };
  }
  return raw(skipped.length ? `raw table: ${skipped.join('; ')}` : 'raw table: no rollups available');
}

const LEVEL_LABEL: Record<RollupName, TableChoice> = { flows_1m: '1m', flows_geo_1m: '1m', flows_geo_5m: '5m', flows_1h: '1h' };

function levelLabel(name: RollupName): TableChoice {
  return LEVEL_LABEL[name];
}

/** What a level's buckets are read from: its store table on plain PostgreSQL, else the aggregate. */
function levelRelation(rollup: RollupInfo): Relation {
  return rollup.store?.relation ?? rollup.name;
}

/** End of what a level holds (the store's watermark on plain PostgreSQL; unbounded otherwise). */
function storedUntil(rollup: RollupInfo): number {
  if (!rollup.store) return Number.POSITIVE_INFINITY;
  return rollup.store.untilMs ?? Number.NEGATIVE_INFINITY;
}

function describeSegments(segments: Segment[]): string {
  return `stitched: ${segments.map((s) => `${s.relation} ${new Date(s.fromMs).toISOString()}–${new Date(s.toMs).toISOString()}`).join(', ')}`;
}

/**
 * Covers [from, to) with the coarsest whole buckets available and finer levels at the edges:
 * e.g. 09:17:23 → 15:42:10 reads flows_1h for 10:00–15:00, flows_1m for 09:18–10:00 and
 * 15:00–15:42, and the raw table only for the two partial minutes.
 */
export function coverRange(fromMs: number, toMs: number, levels: RollupInfo[]): Segment[] {
  if (fromMs >= toMs) return [];
  const [level, ...finer] = levels;
  if (!level) return [{ relation: 'flows', fromMs, toMs }];
  const a = Math.ceil(fromMs / level.bucketMs) * level.bucketMs;
  // A store's watermark is a bucket boundary of its level.
  const b = Math.min(Math.floor(toMs / level.bucketMs) * level.bucketMs, storedUntil(level));
  if (a >= b || level.oldestMs === null || level.oldestMs > a) return coverRange(fromMs, toMs, finer);
  return [...coverRange(fromMs, a, finer), { relation: levelRelation(level), fromMs: a, toMs: b }, ...coverRange(b, toMs, finer)];
}

/** Table totals and topology: whole range, possibly stitched from several levels. */
function resolveRange(q: ValidQuery, levels: RollupInfo[], raw: (reason: string) => Resolution): Resolution {
  const segments = coverRange(q.fromMs, q.toMs, levels);
  const used = segments.filter((s) => s.relation !== 'flows');
  if (used.length === 0) return raw('raw table: the range holds no whole rollup bucket (or rollups do not reach back)');
  // The label names the coarsest level read (the first of the coarsest bucket).
  const bucketOf = (s: Segment) => levels.find((l) => l.name === levelOf(s.relation))!.bucketMs;
  const coarsest = used.reduce((x, y) => (bucketOf(y) > bucketOf(x) ? y : x));
  const table = levelLabel(levelOf(coarsest.relation)!);
  if (segments.length === 1) {
    return { table, relation: coarsest.relation, segments: null, reason: `rollup ${coarsest.relation}: every column is kept there and its buckets tile the range`, buckets: null };
  }
  return { table, relation: coarsest.relation, segments, reason: describeSegments(segments), buckets: null };
}
