import { dateTime, RawTimeRange, rangeUtil, TimeRange } from '@grafana/data';

/** A relative range ("now-21d" → now), re-evaluated at each run like a dashboard's. */
export function relativeRange(from: string, to = 'now'): TimeRange {
  return rangeUtil.convertRawToRange({ from, to });
}

export function absoluteRange(fromMs: number, toMs: number): TimeRange {
  const from = dateTime(fromMs);
  const to = dateTime(toMs);
  return { from, to, raw: { from, to } };
}

/** Relative ranges move with "now" on every refresh; absolute ones stay put. */
export function refreshed(range: TimeRange): TimeRange {
  const raw: RawTimeRange = range.raw;
  return typeof raw.from === 'string' || typeof raw.to === 'string' ? rangeUtil.convertRawToRange(raw) : range;
}

/** Bucket size Grafana would pick for this range and width, never under a minute (the finest rollup). */
export function intervalFor(range: TimeRange, maxDataPoints: number): { interval: string; intervalMs: number } {
  return rangeUtil.calculateInterval(range, maxDataPoints, '1m');
}
