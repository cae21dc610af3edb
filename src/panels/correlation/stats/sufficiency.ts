import { finiteOrNull } from './timeSeries';

export type InsufficientReason = 'empty' | 'too-short' | 'flat' | 'no-overlap';

export interface DataProblem {
  series: 'A' | 'B' | 'both';
  reason: InsufficientReason;
}

/** Why one aligned series cannot carry a statistic, or null when it can. */
export function seriesProblem(values: Array<number | null>, minPoints: number): InsufficientReason | null {
  const present = values.map(finiteOrNull).filter((v): v is number => v !== null);
  if (present.length === 0) {
    return 'empty';
  }
  if (present.length < minPoints) {
    return 'too-short';
  }
  return present.every((v) => v === present[0]) ? 'flat' : null;
}

/**
 * The first reason the pair cannot be compared: either series empty, too short or flat, or
 * too few buckets where both have a value. Numbers are shown only when this is null.
 */
export function pairProblem(a: Array<number | null>, b: Array<number | null>, minPoints: number): DataProblem | null {
  const pa = seriesProblem(a, minPoints);
  const pb = seriesProblem(b, minPoints);
  if (pa && pb && pa === pb) {
    return { series: 'both', reason: pa };
  }
  if (pa) {
    return { series: 'A', reason: pa };
  }
  if (pb) {
    return { series: 'B', reason: pb };
  }
  let both = 0;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (finiteOrNull(a[i]) !== null && finiteOrNull(b[i]) !== null) {
      both++;
    }
  }
  return both < minPoints ? { series: 'both', reason: 'no-overlap' } : null;
}
