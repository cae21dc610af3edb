/**
 * Stage 2: which table answers — the raw hypertable or a continuous aggregate (flows_1m /
 * flows_1h). Rule (after akvorado's getBestTable): the coarsest rollup that holds every column
 * the query reads, whose buckets tile the requested buckets (or range) exactly, and whose data
 * reaches back to the start. Exact tiling is what makes a rollup answer equal the raw answer.
 */
import { alignBuckets, chooseStep, type Buckets } from './buckets.js';
import { dimensionInRollups } from './dimensions.js';
import { QueryError } from './errors.js';
import type { CheckedNode, ValidQuery } from './validate.js';
import type { PlanContext, TableChoice } from './types.js';

export interface Resolution {
  table: TableChoice;
  /** The relation to read: always a fixed name, never user input. */
  relation: 'flows' | 'flows_1m' | 'flows_1h';
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

function needsBuckets(q: ValidQuery): boolean {
  return q.mode === 'timeseries' || (q.mode === 'table' && q.aggregation !== 'total');
}

/** Stage 2 of the pipeline: see the file comment. Also enforces the row cap on buckets. */
export function resolveTable(q: ValidQuery, ctx: PlanContext): Resolution {
  let buckets: Buckets | null = null;
  if (needsBuckets(q)) {
    buckets = alignBuckets(q.fromMs, q.toMs, chooseStep(q.fromMs, q.toMs, q.maxDataPoints, q.intervalMs));
    const series = q.mode === 'timeseries' ? (q.dimensions.length > 0 ? q.topN + (q.other ? 1 : 0) : 1) * (q.bidirectional ? 2 : 1) : 1;
    if (buckets.count * series > ctx.limits.maxRows) {
      throw new QueryError(
        `intervalMs: ${buckets.count} buckets × ${series} series exceeds the cap of ${ctx.limits.maxRows} points; widen the interval or lower maxDataPoints`,
        { field: q.intervalMs !== null ? 'intervalMs' : 'maxDataPoints', statusCode: 422 },
      );
    }
  }
  const raw = (reason: string): Resolution => ({ table: 'raw', relation: 'flows', reason, buckets });
  if (!ctx.timescale) return raw('plain PostgreSQL: no rollups, raw table');
  const required = rawRequirement(q);
  if (required) return raw(required);
  const start = buckets ? buckets.startMs : q.fromMs;
  const candidates = [...ctx.rollups].sort((a, b) => b.bucketMs - a.bucketMs);
  const skipped: string[] = [];
  for (const rollup of candidates) {
    const label = rollup.name === 'flows_1h' ? '1h' : '1m';
    if (rollup.oldestMs === null || rollup.oldestMs > start) {
      skipped.push(`${label} does not reach back to the start`);
      continue;
    }
    const tiles = buckets
      ? buckets.stepMs % rollup.bucketMs === 0
      : q.fromMs % rollup.bucketMs === 0 && q.toMs % rollup.bucketMs === 0;
    if (!tiles) {
      skipped.push(buckets ? `${label} buckets do not divide the ${buckets.stepMs / 1000}s step` : `range not aligned to ${label}`);
      continue;
    }
    return {
      table: label,
      relation: rollup.name,
      reason: `rollup ${rollup.name}: every column is kept there and its buckets tile the ${buckets ? 'step' : 'range'}`,
      buckets,
    };
  }
  return raw(skipped.length ? `raw table: ${skipped.join('; ')}` : 'raw table: no rollups available');
}
