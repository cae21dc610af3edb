import { finiteOrNull } from './timeSeries';

/** Scales a MAD to a standard deviation for normally distributed noise. */
export const MAD_TO_SIGMA = 1.4826;
/** Scales a mean absolute deviation to a standard deviation (used when the MAD is 0). */
export const MEAN_AD_TO_SIGMA = 1.2533;

export function median(values: number[]): number | null {
  if (values.length === 0) {
    return null;
  }
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function medianAbsoluteDeviation(values: number[], center = median(values)): number | null {
  if (center === null) {
    return null;
  }
  return median(values.map((v) => Math.abs(v - center)));
}

export interface SpikeThreshold {
  median: number;
  /** Robust standard deviation: 1.4826·MAD, or 1.2533·mean |x − median| when the MAD is 0. */
  spread: number;
  threshold: number;
}

/**
 * median + k·spread. Traffic that is idle most of the time has a MAD of 0 (more than half of
 * the buckets equal the median), which would flag every non-idle bucket; falling back to the
 * mean absolute deviation (as the modified z-score does) keeps a real margin in that case.
 */
export function spikeThreshold(values: Array<number | null>, k: number): SpikeThreshold | null {
  const present = values.map(finiteOrNull).filter((v): v is number => v !== null);
  const med = median(present);
  if (med === null) {
    return null;
  }
  let spread = MAD_TO_SIGMA * (medianAbsoluteDeviation(present, med) ?? 0);
  if (spread === 0) {
    const meanAd = present.reduce((acc, v) => acc + Math.abs(v - med), 0) / present.length;
    spread = MEAN_AD_TO_SIGMA * meanAd;
  }
  return { median: med, spread, threshold: med + k * spread };
}

/** True where a bucket is strictly above the threshold; a flat series (spread 0) never spikes. */
export function spikeMask(values: Array<number | null>, t: SpikeThreshold | null): boolean[] {
  return values.map((v) => {
    const x = finiteOrNull(v);
    return t !== null && t.spread > 0 && x !== null && x > t.threshold;
  });
}

/** A run of consecutive buckets where both series spike; `to` is the end of the last bucket. */
export interface SpikeWindow {
  startIndex: number;
  endIndex: number;
  from: number;
  to: number;
}

/**
 * Merges buckets where both masks are set into windows of consecutive buckets (indices and
 * times are A's). With a lag, A's bucket i is paired with B's bucket i + lag.
 */
export function jointSpikeWindows(times: number[], stepMs: number, maskA: boolean[], maskB: boolean[], lag = 0): SpikeWindow[] {
  const windows: SpikeWindow[] = [];
  let open: SpikeWindow | null = null;
  for (let i = 0; i < times.length; i++) {
    if (maskA[i] && maskB[i + lag]) {
      if (open) {
        open.endIndex = i;
        open.to = times[i] + stepMs;
      } else {
        open = { startIndex: i, endIndex: i, from: times[i], to: times[i] + stepMs };
        windows.push(open);
      }
    } else {
      open = null;
    }
  }
  return windows;
}

/** Bucket indices covered by the windows, in order. */
export function windowIndices(windows: SpikeWindow[]): number[] {
  const out: number[] = [];
  for (const w of windows) {
    for (let i = w.startIndex; i <= w.endIndex; i++) {
      out.push(i);
    }
  }
  return out;
}
