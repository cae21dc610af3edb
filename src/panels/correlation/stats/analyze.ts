import { crossCorrelation, LagCorrelation, peakLag } from './crossCorrelation';
import { pearson } from './pearson';
import { jointSpikeWindows, spikeMask, SpikeThreshold, spikeThreshold, SpikeWindow, windowIndices } from './spikes';
import { DataProblem, pairProblem } from './sufficiency';
import { AlignedPair, alignSeries, CombineMode, finiteOrNull, MissingPolicy, TimeSeries } from './timeSeries';
import { buildVerdict, DEFAULT_THRESHOLDS, Verdict, VerdictThresholds } from './verdict';
import { compareVolumes, VolumeComparison } from './volume';

export interface AnalysisOptions {
  /** Lag window in buckets: cross-correlation is searched in [-maxLag, maxLag]. */
  maxLag: number;
  /** Spike threshold = median + k · robust standard deviation. */
  spikeK: number;
  /** Fewest points (and common buckets) for any statistic. */
  minPoints: number;
  missing: MissingPolicy;
  combineA: CombineMode;
  combineB: CombineMode;
  thresholds: VerdictThresholds;
  /** False when A and B are in different units (bytes, bits/s): their volumes are no ratio. */
  compareVolumes: boolean;
}

export const DEFAULT_ANALYSIS_OPTIONS: AnalysisOptions = {
  maxLag: 10,
  spikeK: 3,
  minPoints: 4,
  missing: 'zero',
  combineA: 'sum',
  combineB: 'sum',
  thresholds: DEFAULT_THRESHOLDS,
  compareVolumes: true,
};

export interface CorrelationResult {
  aligned: AlignedPair;
  /** Set when the numbers below are withheld ("not enough data"). */
  problem: DataProblem | null;
  /** Pearson r at lag 0. */
  r: number | null;
  byLag: LagCorrelation[];
  /** Lag (buckets, positive = B later) where r peaks, and r there. */
  peak: { lag: number; r: number } | null;
  thresholdA: SpikeThreshold | null;
  thresholdB: SpikeThreshold | null;
  spikesA: boolean[];
  spikesB: boolean[];
  /** Runs of buckets where both series spike: the shaded windows. */
  windows: SpikeWindow[];
  /** spikes: over the buckets where A spikes and B spikes peak-lag buckets later. */
  volumes: { overall: VolumeComparison | null; spikes: VolumeComparison | null };
  verdict: Verdict;
}

function hasAnyValue(s: TimeSeries): boolean {
  return s.values.some((v) => finiteOrNull(v) !== null);
}

/**
 * Everything the panel shows, from two raw series: align onto one grid, refuse flat/empty/
 * short data, then r, the lagged peak, spikes, joint spike windows, volumes and the verdict.
 */
export function analyzeCorrelation(
  a: TimeSeries,
  b: TimeSeries,
  options: Partial<AnalysisOptions> = {},
  range?: { from: number; to: number }
): CorrelationResult {
  const o = { ...DEFAULT_ANALYSIS_OPTIONS, ...options };
  const aligned = alignSeries(a, b, { combineA: o.combineA, combineB: o.combineB, missing: o.missing, range });
  // Zero-filling would turn an empty series into a flat one; report what the user actually has.
  const emptyA = !hasAnyValue(a);
  const emptyB = !hasAnyValue(b);
  const problem: DataProblem | null =
    emptyA || emptyB
      ? { series: emptyA && emptyB ? 'both' : emptyA ? 'A' : 'B', reason: 'empty' }
      : pairProblem(aligned.a, aligned.b, o.minPoints);

  const thresholdA = spikeThreshold(aligned.a, o.spikeK);
  const thresholdB = spikeThreshold(aligned.b, o.spikeK);
  const spikesA = spikeMask(aligned.a, thresholdA);
  const spikesB = spikeMask(aligned.b, thresholdB);
  const windows = problem ? [] : jointSpikeWindows(aligned.times, aligned.stepMs, spikesA, spikesB);

  const r = problem ? null : pearson(aligned.a, aligned.b, o.minPoints);
  const byLag = problem ? [] : crossCorrelation(aligned.a, aligned.b, o.maxLag, o.minPoints);
  const peak = peakLag(byLag);
  const overall = problem || !o.compareVolumes ? null : compareVolumes(aligned.a, aligned.b);
  // A trailing B is compared with the burst it follows: spikes paired at the peak lag.
  const lag = peak?.lag ?? 0;
  const lagWindows = lag === 0 ? windows : problem ? [] : jointSpikeWindows(aligned.times, aligned.stepMs, spikesA, spikesB, lag);
  const spikes = lagWindows.length > 0 && o.compareVolumes ? compareVolumes(aligned.a, aligned.b, windowIndices(lagWindows), lag) : null;

  const verdict = buildVerdict(
    {
      problem,
      r,
      peak,
      stepMs: aligned.stepMs,
      volumes: spikes ?? overall,
      volumeScope: spikes ? 'spikes' : 'overall',
      unitsDiffer: !o.compareVolumes,
    },
    o.thresholds
  );
  return { aligned, problem, r, byLag, peak, thresholdA, thresholdB, spikesA, spikesB, windows, volumes: { overall, spikes }, verdict };
}
