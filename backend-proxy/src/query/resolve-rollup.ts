/**
 * Stage 2: which table answers — the raw hypertable or a continuous aggregate (flows_1m /
 * flows_1h). Rule (after akvorado's getBestTable): the coarsest rollup that holds every column
 * the query reads, whose buckets tile the requested buckets (or range) exactly, and whose data
 * reaches back to the start. Exact tiling is what makes a rollup answer equal the raw answer.
 * Whole-range questions (table totals, topology) over an unaligned range are stitched: whole
 * coarse buckets in the middle, finer levels and finally raw rows at the edges.
 */
import { alignBuckets, chooseStep, type Buckets } from './buckets.js';
import { dimensionInRollups } from './dimensions.js';
import { QueryError } from './errors.js';
import type { CheckedNode, ValidQuery } from './validate.js';
import type { PlanContext, RollupName, TableChoice } from './types.js';

export interface Segment {
  relation: 'flows' | 'flows_1m' | 'flows_1h';
  fromMs: number;
  toMs: number;
}

export interface Resolution {
  table: TableChoice;
  /** The relation to read: always a fixed name, never user input. */
  relation: 'flows' | 'flows_1m' | 'flows_1h';
  /** Set when the range is stitched from several levels (coarse middle, finer edges). */
  segments: Segment[] | null;
  reason: string;
  /** Time buckets, for time series and per-bucket table aggregations; null otherwise. */
  buckets: Buckets | null;
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

const MAX_TABLE_BUCKETS = 5000;

function needsBuckets(q: ValidQuery): boolean {
  return q.mode === 'timeseries' || (q.mode === 'table' && q.aggregation !== 'total');
}

/** Stage 2 of the pipeline: see the file comment. Also enforces the row cap on buckets. */
export function resolveTable(q: ValidQuery, ctx: PlanContext): Resolution {
  let buckets: Buckets | null = null;
  if (needsBuckets(q)) {
    buckets = alignBuckets(q.fromMs, q.toMs, chooseStep(q.fromMs, q.toMs, q.maxDataPoints, q.intervalMs));
    const series = q.mode === 'timeseries' ? (q.dimensions.length > 0 ? q.topN + (q.other ? 1 : 0) : 1) * (q.bidirectional ? 2 : 1) : 1;
    // Table p95 pads every group's buckets into an array: keep that array small.
    const cap = q.mode === 'table' ? Math.min(ctx.limits.maxRows, MAX_TABLE_BUCKETS) : ctx.limits.maxRows;
    if (buckets.count * series > cap) {
      throw new QueryError(
        `${q.intervalMs !== null ? 'intervalMs' : 'maxDataPoints'}: ${buckets.count} buckets × ${series} series exceeds the cap of ${cap} points; widen the interval or lower maxDataPoints`,
        { field: q.intervalMs !== null ? 'intervalMs' : 'maxDataPoints', statusCode: 422 },
      );
    }
  }
  const raw = (reason: string): Resolution => ({ table: 'raw', relation: 'flows', segments: null, reason, buckets });
  if (!ctx.timescale) return raw('plain PostgreSQL: no rollups, raw table');
  const required = rawRequirement(q);
  if (required) return raw(required);
  const candidates = [...ctx.rollups].sort((a, b) => b.bucketMs - a.bucketMs);
  if (!buckets) return resolveRange(q, candidates, raw);
  const skipped: string[] = [];
  for (const rollup of candidates) {
    const label = levelLabel(rollup.name);
    if (rollup.oldestMs === null || rollup.oldestMs > buckets.startMs) {
      skipped.push(`${label} does not reach back to the start`);
      continue;
    }
    if (buckets.stepMs % rollup.bucketMs !== 0) {
      skipped.push(`${label} buckets do not divide the ${buckets.stepMs / 1000}s step`);
      continue;
    }
    return {
      table: label,
      relation: rollup.name,
      segments: null,
      reason: `rollup ${rollup.name}: every column is kept there and its buckets tile the step`,
      buckets,
    };
  }
  return raw(skipped.length ? `raw table: ${skipped.join('; ')}` : 'raw table: no rollups available');
}

function levelLabel(name: RollupName): TableChoice {
  return name === 'flows_1h' ? '1h' : '1m';
}

/**
 * Covers [from, to) with the coarsest whole buckets available and finer levels at the edges:
 * e.g. 09:17:23 → 15:42:10 reads flows_1h for 10:00–15:00, flows_1m for 09:18–10:00 and
 * 15:00–15:42, and the raw table only for the two partial minutes.
 */
export function coverRange(fromMs: number, toMs: number, levels: PlanContext['rollups']): Segment[] {
  if (fromMs >= toMs) return [];
  const [level, ...finer] = levels;
  if (!level) return [{ relation: 'flows', fromMs, toMs }];
  const a = Math.ceil(fromMs / level.bucketMs) * level.bucketMs;
  const b = Math.floor(toMs / level.bucketMs) * level.bucketMs;
  if (a >= b || level.oldestMs === null || level.oldestMs > a) return coverRange(fromMs, toMs, finer);
  return [...coverRange(fromMs, a, finer), { relation: level.name, fromMs: a, toMs: b }, ...coverRange(b, toMs, finer)];
}

/** Table totals and topology: whole range, possibly stitched from several levels. */
function resolveRange(q: ValidQuery, levels: PlanContext['rollups'], raw: (reason: string) => Resolution): Resolution {
  const segments = coverRange(q.fromMs, q.toMs, levels);
  const used = segments.filter((s) => s.relation !== 'flows');
  if (used.length === 0) return raw('raw table: the range holds no whole rollup bucket (or rollups do not reach back)');
  const coarsest = used.reduce((x, y) => (y.relation === 'flows_1h' ? y : x));
  const table = levelLabel(coarsest.relation as RollupName);
  if (segments.length === 1) {
    return { table, relation: coarsest.relation, segments: null, reason: `rollup ${coarsest.relation}: every column is kept there and its buckets tile the range`, buckets: null };
  }
  const parts = segments.map((s) => `${s.relation} ${new Date(s.fromMs).toISOString()}–${new Date(s.toMs).toISOString()}`);
  return { table, relation: coarsest.relation, segments, reason: `stitched: ${parts.join(', ')}`, buckets: null };
}
