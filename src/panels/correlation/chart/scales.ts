/** Smallest "nice" number (1, 2, 2.5 or 5 × 10^k) at or above v, so axis labels read cleanly. */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) {
    return 1;
  }
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * base >= v * (1 - 1e-12)) {
      return m * base;
    }
  }
  return 10 * base;
}

export type Scale = (v: number) => number;

export function linearScale(domain: [number, number], range: [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (v) => r0 + ((v - d0) / span) * (r1 - r0);
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_INTERVALS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 30 * DAY];

/**
 * Tick times for a time axis: the finest interval that leaves ≥ minSpacing pixels between
 * labels, placed on round wall-clock times of the dashboard's zone (offsetMs = zone − UTC).
 */
export function timeTicks(from: number, to: number, pixelWidth: number, offsetMs = 0, minSpacing = 90): { interval: number; ticks: number[] } {
  if (!(to > from) || pixelWidth <= 0) {
    return { interval: 0, ticks: [] };
  }
  const maxTicks = Math.max(1, Math.floor(pixelWidth / minSpacing));
  const interval = TICK_INTERVALS.find((iv) => (to - from) / iv <= maxTicks) ?? TICK_INTERVALS[TICK_INTERVALS.length - 1];
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offsetMs) / interval) * interval - offsetMs; t <= to; t += interval) {
    ticks.push(t);
  }
  return { interval, ticks };
}

/** Label format for a tick interval: seconds only when ticks are seconds apart, dates past a day. */
export function timeTickFormat(interval: number, spanMs: number): string {
  if (interval < MINUTE) {
    return 'HH:mm:ss';
  }
  if (interval >= DAY) {
    return 'MM/DD';
  }
  return spanMs > DAY ? 'MM/DD HH:mm' : 'HH:mm';
}
