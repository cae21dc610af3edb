import { formatDuration, formatR, percentCeil } from './format';
import { DataProblem } from './sufficiency';
import { VolumeComparison } from './volume';

export interface VerdictThresholds {
  /** r at the peak lag from which B is said to follow A. */
  strongR: number;
  /** r from which a loose relation is reported. */
  weakR: number;
  /** Largest |A − B| / max(A, B) still called "volumes within …". */
  volumeTolerance: number;
}

export const DEFAULT_THRESHOLDS: VerdictThresholds = { strongR: 0.9, weakR: 0.5, volumeTolerance: 0.1 };

export type VerdictLevel = 'same-event' | 'correlated' | 'weak' | 'anti-correlated' | 'unrelated' | 'not-enough-data';

export interface Verdict {
  level: VerdictLevel;
  text: string;
}

export interface VerdictInput {
  problem: DataProblem | null;
  /** r at lag 0. */
  r: number | null;
  peak: { lag: number; r: number } | null;
  stepMs: number;
  /** Volumes over the joint spike windows when there are any, overall otherwise. */
  volumes: VolumeComparison | null;
  volumeScope: 'spikes' | 'overall';
  /** A and B are in different units: the volumes were not compared. */
  unitsDiffer?: boolean;
}

/** [one series, both series] */
const REASON_TEXT: Record<DataProblem['reason'], [string, string]> = {
  empty: ['has no data', 'have no data'],
  'too-short': ['has too few points', 'have too few points'],
  flat: ['is flat', 'are flat'],
  'no-overlap': ['has too few buckets in common with the other', 'have too few buckets in common'],
};

function problemText(p: DataProblem): string {
  const [one, both] = REASON_TEXT[p.reason];
  return p.series === 'both' ? `Not enough data: A and B ${both}` : `Not enough data: ${p.series} ${one}`;
}

function lagPhrase(lag: number, stepMs: number): string {
  if (lag === 0) {
    return 'B follows A at lag 0';
  }
  const who = lag > 0 ? 'B follows A' : 'A follows B';
  const k = Math.abs(lag);
  return `${who} at lag ${k} (${formatDuration(k * stepMs)})`;
}

function volumePhrase(v: VolumeComparison | null, scope: VerdictInput['volumeScope'], tolerance: number): { text: string; close: boolean } {
  if (!v || v.difference === null) {
    return { text: '', close: false };
  }
  const where = scope === 'spikes' ? ' in the spikes' : '';
  if (v.difference <= tolerance) {
    return { text: `, volumes within ${percentCeil(v.difference)}%${where}`, close: true };
  }
  return { text: `, but volumes differ by ${percentCeil(v.difference)}%${where}`, close: false };
}

/**
 * The plain-language line under the numbers, e.g. "B follows A at lag 0, r = 0.97, volumes
 * within 3%". Same event = strong correlation at the peak lag and volumes within tolerance.
 */
export function buildVerdict(input: VerdictInput, t: VerdictThresholds = DEFAULT_THRESHOLDS): Verdict {
  if (input.problem) {
    return { level: 'not-enough-data', text: problemText(input.problem) };
  }
  if (!input.peak || input.r === null) {
    return { level: 'not-enough-data', text: 'Not enough data: no lag with enough buckets in common' };
  }
  const { lag, r } = input.peak;
  if (r >= t.strongR) {
    const vol = input.unitsDiffer
      ? { text: ', volumes not compared: A and B are in different units', close: false }
      : volumePhrase(input.volumes, input.volumeScope, t.volumeTolerance);
    return {
      level: vol.close ? 'same-event' : 'correlated',
      text: `${lagPhrase(lag, input.stepMs)}, r = ${formatR(r)}${vol.text}`,
    };
  }
  if (input.r <= -t.strongR) {
    return { level: 'anti-correlated', text: `A and B move in opposite directions, r = ${formatR(input.r)}` };
  }
  if (r >= t.weakR) {
    return { level: 'weak', text: `${lagPhrase(lag, input.stepMs).replace('follows', 'loosely follows')}, r = ${formatR(r)}` };
  }
  return { level: 'unrelated', text: `No clear relation: best r = ${formatR(r)} at lag ${lag}` };
}
