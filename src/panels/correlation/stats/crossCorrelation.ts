import { pearson } from './pearson';

/** r(k) = corr(A[t], B[t + k]): positive k means B repeats A's pattern k buckets later. */
export interface LagCorrelation {
  lag: number;
  r: number | null;
}

/**
 * Pearson r for every lag in [-maxLag, maxLag], each over the overlapping part of the two
 * series only (no wrap-around, no zero padding, which would invent data).
 */
export function crossCorrelation(
  a: Array<number | null>,
  b: Array<number | null>,
  maxLag: number,
  minPairs = 3
): LagCorrelation[] {
  const n = Math.min(a.length, b.length);
  const w = Math.max(0, Math.min(Math.floor(maxLag), n - 1));
  const out: LagCorrelation[] = [];
  for (let lag = -w; lag <= w; lag++) {
    const from = Math.max(0, -lag);
    const to = Math.min(n, n - lag);
    const xs = a.slice(from, to);
    const ys = b.slice(from + lag, to + lag);
    out.push({ lag, r: pearson(xs, ys, minPairs) });
  }
  return out;
}

const TIE = 1e-9;

/**
 * The lag where the two series agree best (highest r). Ties go to the smallest |lag|, so two
 * identical flat-topped spikes are reported as simultaneous rather than shifted.
 */
export function peakLag(byLag: LagCorrelation[]): { lag: number; r: number } | null {
  let best: { lag: number; r: number } | null = null;
  for (const { lag, r } of byLag) {
    if (r === null) {
      continue;
    }
    if (
      best === null ||
      r > best.r + TIE ||
      (Math.abs(r - best.r) <= TIE && (Math.abs(lag) < Math.abs(best.lag) || (Math.abs(lag) === Math.abs(best.lag) && lag > best.lag)))
    ) {
      best = { lag, r };
    }
  }
  return best;
}
