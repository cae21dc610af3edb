import { finiteOrNull } from './timeSeries';

export interface VolumeComparison {
  /** Buckets counted: those in scope where both series have a value. */
  buckets: number;
  sumA: number;
  sumB: number;
  /** B / A, null when A is 0. */
  ratio: number | null;
  /** |A − B| / max(A, B): symmetric, so "within 3%" reads the same whichever side is larger. */
  difference: number | null;
}

/**
 * Compares the two series' volumes over the given bucket indices of A (all buckets when
 * omitted), pairing A's bucket i with B's bucket i + lag so a trailing B is compared with the
 * burst it follows. Only pairs where both have a value count: a gap does not skew the ratio.
 */
export function compareVolumes(a: Array<number | null>, b: Array<number | null>, indices?: number[], lag = 0): VolumeComparison {
  const scope = indices ?? Array.from({ length: a.length }, (_, i) => i);
  let sumA = 0;
  let sumB = 0;
  let buckets = 0;
  for (const i of scope) {
    const x = finiteOrNull(a[i]);
    const y = finiteOrNull(b[i + lag]);
    if (x === null || y === null) {
      continue;
    }
    sumA += x;
    sumB += y;
    buckets++;
  }
  const larger = Math.max(Math.abs(sumA), Math.abs(sumB));
  return {
    buckets,
    sumA,
    sumB,
    ratio: buckets > 0 && sumA !== 0 ? sumB / sumA : null,
    difference: buckets > 0 && larger > 0 ? Math.abs(sumA - sumB) / larger : null,
  };
}
