/** Index of the point whose time is closest to t (times sorted ascending), or -1 when empty. */
export function nearestIndex(times: number[], t: number): number {
  if (times.length === 0) {
    return -1;
  }
  let lo = 0;
  let hi = times.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid] <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return Math.abs(times[lo] - t) <= Math.abs(times[hi] - t) ? lo : hi;
}

export interface ReadoutRow {
  series: 'A' | 'B';
  /** "A (MySQL inside)": the letter the header uses, and the series name. */
  label: string;
  value: string;
}

/** Longest series name kept in the readout; the header and legend show the full name. */
const MAX_NAME = 28;

const shorten = (name: string) => (name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name);

/**
 * What the crosshair reads out: one labelled line per series, so "A 0 B   B 0 B" (A zero bytes,
 * B zero bytes) can no longer be read as a formula.
 */
export function hoverReadout(a: { name: string; value: string }, b: { name: string; value: string }): ReadoutRow[] {
  return [
    { series: 'A', label: `A (${shorten(a.name)})`, value: a.value },
    { series: 'B', label: `B (${shorten(b.name)})`, value: b.value },
  ];
}
