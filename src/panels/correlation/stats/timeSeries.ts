/** One series as the statistics see it: bucket start times (ms) and values (null = no data). */
export interface TimeSeries {
  times: number[];
  values: Array<number | null>;
  /** Bucket length in ms when the source states it (e.g. field.config.interval); inferred otherwise. */
  stepMs?: number;
}

/**
 * How several fine buckets merge into one coarse bucket: volumes per bucket (bytes) add up,
 * rates (bits/s) are averaged, so the volume ratio stays right whichever the unit.
 */
export type CombineMode = 'sum' | 'mean';

/**
 * What a bucket without a point means. For flow records "no row" is "no traffic" (zero);
 * for a generic data source it is "unknown" (gap, left out of every statistic).
 */
export type MissingPolicy = 'zero' | 'gap';

/** Two series on one grid: index i of a and b describes the same bucket times[i]. */
export interface AlignedPair {
  times: number[];
  stepMs: number;
  a: Array<number | null>;
  b: Array<number | null>;
}

export interface AlignOptions {
  combineA?: CombineMode;
  combineB?: CombineMode;
  missing?: MissingPolicy;
  /** Visible range: the grid covers exactly the buckets that overlap it. */
  range?: { from: number; to: number };
  /** Guard against a degenerate step producing a huge grid. */
  maxBuckets?: number;
}

const DEFAULT_MAX_BUCKETS = 100_000;

/** A usable number, or null for null/undefined/NaN/±Infinity. */
export function finiteOrNull(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * The bucket length of a series: the smallest positive gap between its timestamps. The
 * smallest (not the median) gap stays right when many buckets are missing.
 */
export function inferStepMs(times: number[]): number | null {
  const sorted = times.filter((t) => Number.isFinite(t)).sort((x, y) => x - y);
  let step = Infinity;
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i] - sorted[i - 1];
    if (gap > 0 && gap < step) {
      step = gap;
    }
  }
  return Number.isFinite(step) ? step : null;
}

function seriesStep(s: TimeSeries): number | null {
  return s.stepMs && s.stepMs > 0 ? s.stepMs : inferStepMs(s.times);
}

function positiveMod(x: number, m: number): number {
  return ((x % m) + m) % m;
}

const EMPTY: AlignedPair = { times: [], stepMs: 0, a: [], b: [] };

/**
 * Puts two series on one grid before any statistic: the grid step is the coarser of the two
 * steps (a fine series can be summed or averaged up, a coarse one cannot be split), anchored on
 * the coarse series' bucket boundaries, and spanning the visible range (or both series).
 * Fine buckets that straddle a coarse boundary go to the bucket holding their start.
 */
export function alignSeries(a: TimeSeries, b: TimeSeries, options: AlignOptions = {}): AlignedPair {
  const stepA = seriesStep(a);
  const stepB = seriesStep(b);
  const step = Math.max(stepA ?? 0, stepB ?? 0);
  if (step <= 0) {
    return EMPTY;
  }
  const coarse = (stepA ?? 0) >= (stepB ?? 0) ? a : b;
  const anchorSource = coarse.times.find((t) => Number.isFinite(t)) ?? 0;
  const origin = positiveMod(anchorSource, step);
  const alignDown = (t: number) => t - positiveMod(t - origin, step);

  let start: number;
  let end: number; // exclusive
  if (options.range && options.range.to > options.range.from) {
    start = alignDown(options.range.from);
    end = options.range.to;
  } else {
    const all = [...a.times, ...b.times].filter((t) => Number.isFinite(t));
    if (all.length === 0) {
      return EMPTY;
    }
    start = alignDown(Math.min(...all));
    end = alignDown(Math.max(...all)) + step;
  }
  const count = Math.min(Math.max(0, Math.ceil((end - start) / step)), options.maxBuckets ?? DEFAULT_MAX_BUCKETS);
  const times = Array.from({ length: count }, (_, i) => start + i * step);
  const missing = options.missing ?? 'gap';
  return {
    times,
    stepMs: step,
    a: rebucket(a, start, step, count, options.combineA ?? 'sum', missing),
    b: rebucket(b, start, step, count, options.combineB ?? 'sum', missing),
  };
}

function rebucket(
  s: TimeSeries,
  start: number,
  step: number,
  count: number,
  combine: CombineMode,
  missing: MissingPolicy
): Array<number | null> {
  const sums = new Array<number>(count).fill(0);
  const counts = new Array<number>(count).fill(0);
  const n = Math.min(s.times.length, s.values.length);
  for (let i = 0; i < n; i++) {
    const v = finiteOrNull(s.values[i]);
    const t = s.times[i];
    if (v === null || !Number.isFinite(t)) {
      continue;
    }
    const idx = Math.floor((t - start) / step);
    if (idx >= 0 && idx < count) {
      sums[idx] += v;
      counts[idx]++;
    }
  }
  return sums.map((sum, i) => {
    if (counts[i] === 0) {
      return missing === 'zero' ? 0 : null;
    }
    return combine === 'mean' ? sum / counts[i] : sum;
  });
}
