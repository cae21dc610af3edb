/** Compact duration for lags: 90_000 → "1m30s", 7_200_000 → "2h". */
export function formatDuration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.round(Math.abs(ms) / 1000);
  if (rest === 0) {
    return Math.abs(ms) > 0 ? `${sign}${Math.abs(ms)}ms` : '0s';
  }
  const parts: string[] = [];
  for (const [unit, secs] of [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= secs) {
      parts.push(`${Math.floor(rest / secs)}${unit}`);
      rest %= secs;
    }
  }
  return sign + parts.join('');
}

/** r with two decimals and a real minus sign, as people write it. */
export function formatR(r: number): string {
  return r.toFixed(2).replace('-', '−');
}

/** A share as a whole percentage, rounded up so "within 3%" is never an understatement. */
export function percentCeil(share: number): number {
  return Math.max(1, Math.ceil(share * 100 - 1e-9));
}

export function formatRatio(ratio: number): string {
  return ratio >= 100 || ratio < 0.01 ? ratio.toExponential(1) : ratio.toFixed(2);
}
