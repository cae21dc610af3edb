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

/**
 * A volume ratio as people read one: "1.03" near 1, "1/400" when B is a small fraction of A,
 * "250" or "12,000" when it is many times A. Never exponent notation ("2.5e-3" reads as noise).
 */
export function formatRatio(ratio: number): string {
  if (!Number.isFinite(ratio)) {
    return ratio > 0 ? '∞' : '—';
  }
  if (ratio <= 0) {
    return '0';
  }
  if (ratio < 0.095) {
    return `1/${twoSignificant(1 / ratio)}`;
  }
  if (ratio < 9.995) {
    return ratio.toFixed(2);
  }
  return twoSignificant(ratio);
}

/** 12 → "12", 398.7 → "400", 12_345 → "12,000": enough digits for a ratio, no false precision. */
function twoSignificant(n: number): string {
  const digits = Math.floor(Math.log10(n)) + 1;
  const step = Math.pow(10, Math.max(0, digits - 2));
  return (Math.round(n / step) * step).toLocaleString('en-US');
}
