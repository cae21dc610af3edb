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
