import { finiteOrNull } from './timeSeries';

/** Pairs where both values are numbers; a gap on either side drops the pair. */
export function completePairs(x: Array<number | null>, y: Array<number | null>): { xs: number[]; ys: number[] } {
  const xs: number[] = [];
  const ys: number[] = [];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const a = finiteOrNull(x[i]);
    const b = finiteOrNull(y[i]);
    if (a !== null && b !== null) {
      xs.push(a);
      ys.push(b);
    }
  }
  return { xs, ys };
}

/**
 * Pearson correlation over the complete pairs, or null when it is undefined (fewer than
 * minPairs pairs, or one side constant: a flat series correlates with nothing).
 * Two passes (means first) keep large byte counts from cancelling out.
 */
export function pearson(x: Array<number | null>, y: Array<number | null>, minPairs = 3): number | null {
  const { xs, ys } = completePairs(x, y);
  const n = xs.length;
  if (n < Math.max(2, minPairs)) {
    return null;
  }
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += xs[i];
    meanY += ys[i];
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - meanX;
    const dy = ys[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  // Relative tolerance: a "constant" series of large numbers still leaves rounding noise.
  const scaleX = Math.max(1, Math.abs(meanX)) ** 2 * n * 1e-20;
  const scaleY = Math.max(1, Math.abs(meanY)) ** 2 * n * 1e-20;
  if (sxx <= scaleX || syy <= scaleY) {
    return null;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}
