import { MissingPolicy } from './stats/timeSeries';

/** Where A and B come from. */
export enum SeriesSource {
  /** Directions when the data has a reverse (negative-Y) series, queries otherwise. */
  Auto = 'auto',
  /** Two queries: A and B by refId. */
  Queries = 'queries',
  /** The forward and reverse directions of one bidirectional query. */
  Directions = 'directions',
}

export enum DirectionForA {
  Forward = 'forward',
  Reverse = 'reverse',
}

export enum ChartLayout {
  /** A above the axis, B below it. */
  Mirrored = 'mirrored',
  Overlaid = 'overlaid',
}

export interface CorrelationPanelOptions {
  source: SeriesSource;
  refIdA: string;
  refIdB: string;
  /** Directions mode: which query (empty = every query). */
  directionRefId: string;
  directionForA: DirectionForA;
  /** Keep only series whose display name contains this text (empty = all, summed). */
  seriesMatch: string;
  layout: ChartLayout;
  maxLag: number;
  spikeK: number;
  minPoints: number;
  missing: MissingPolicy;
  strongR: number;
  weakR: number;
  volumeTolerance: number;
  colorA: string;
  colorB: string;
  spikeColor: string;
}

export const DEFAULT_OPTIONS: CorrelationPanelOptions = {
  source: SeriesSource.Auto,
  refIdA: 'A',
  refIdB: 'B',
  directionRefId: '',
  directionForA: DirectionForA.Forward,
  seriesMatch: '',
  layout: ChartLayout.Mirrored,
  maxLag: 10,
  spikeK: 3,
  minPoints: 4,
  missing: 'zero',
  strongR: 0.9,
  weakR: 0.5,
  volumeTolerance: 0.1,
  colorA: 'green',
  colorB: 'blue',
  spikeColor: 'orange',
};

/**
 * The options with their defaults: an option without a value takes the default. Grafana's number
 * editor sets undefined while its input is empty, and a spread would keep that undefined (a lag
 * window of undefined finds no lag at all).
 */
export function withDefaultOptions(options: Partial<CorrelationPanelOptions> | undefined): CorrelationPanelOptions {
  const set = Object.entries(options ?? {}).filter(([, v]) => v !== undefined && v !== null);
  return { ...DEFAULT_OPTIONS, ...Object.fromEntries(set) };
}
