/**
 * Time-bucket arithmetic for time series (and per-bucket table aggregations). Buckets are aligned
 * to multiples of the step since the epoch, and the queried range is widened to whole buckets,
 * so every bucket is complete and its per-second rate is exact, at the edges too.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Widths a bucket may take when derived from maxDataPoints (readable, rollup-friendly). */
export const NICE_STEPS_MS: readonly number[] = [
  SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND,
  MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE,
  HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 30 * DAY,
];

export interface Buckets {
  stepMs: number;
  /** First bucket start (aligned, ≤ from). */
  startMs: number;
  /** End of the last bucket (aligned, ≥ to). */
  endMs: number;
  count: number;
}

function niceCeil(ms: number): number {
  for (const step of NICE_STEPS_MS) if (step >= ms) return step;
  return Math.ceil(ms / DAY) * DAY;
}

/**
 * The step: a requested whole-second interval is honoured when it keeps the number of points
 * within maxDataPoints; otherwise the smallest nice step that does.
 */
export function chooseStep(fromMs: number, toMs: number, maxDataPoints: number, intervalMs: number | null): number {
  const minimum = Math.max(SECOND, Math.ceil((toMs - fromMs) / maxDataPoints));
  if (intervalMs !== null && intervalMs >= minimum && intervalMs % SECOND === 0) return intervalMs;
  return niceCeil(Math.max(minimum, intervalMs ?? 0));
}

export function alignBuckets(fromMs: number, toMs: number, stepMs: number): Buckets {
  const startMs = Math.floor(fromMs / stepMs) * stepMs;
  const endMs = Math.max(Math.ceil(toMs / stepMs) * stepMs, startMs + stepMs);
  return { stepMs, startMs, endMs, count: (endMs - startMs) / stepMs };
}

/** PostgreSQL interval text for a step (passed as a parameter, never spliced). */
export function stepInterval(stepMs: number): string {
  return `${stepMs} milliseconds`;
}
