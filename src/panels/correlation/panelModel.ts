import { DataFrame } from '@grafana/data';

import { extractSeries, Extraction, hasReverseSeries, NamedSeries, SeriesSelection } from './series/extractSeries';
import { analyzeCorrelation, CorrelationResult } from './stats/analyze';
import { CorrelationPanelOptions, DirectionForA, SeriesSource } from './types';

export interface PanelModel {
  source: SeriesSource.Queries | SeriesSource.Directions;
  extraction: Extraction;
  a: NamedSeries | null;
  b: NamedSeries | null;
  /** Null when A or B could not be found in the data. */
  result: CorrelationResult | null;
}

/** Turns panel options into the series selection; "auto" looks for a reverse series. */
export function selectionFor(frames: DataFrame[], o: CorrelationPanelOptions): SeriesSelection {
  const directions = o.source === SeriesSource.Directions || (o.source === SeriesSource.Auto && hasReverseSeries(frames));
  const match = o.seriesMatch.trim() || undefined;
  return directions
    ? { kind: 'directions', refId: o.directionRefId.trim() || undefined, aIsReverse: o.directionForA === DirectionForA.Reverse, match }
    : { kind: 'queries', refIdA: o.refIdA.trim() || 'A', refIdB: o.refIdB.trim() || 'B', match };
}

/** Everything the panel draws, from frames, options and the visible range: no React in here. */
export function buildPanelModel(frames: DataFrame[], o: CorrelationPanelOptions, range: { from: number; to: number }): PanelModel {
  const selection = selectionFor(frames, o);
  const extraction = extractSeries(frames, selection);
  const source = selection.kind === 'directions' ? SeriesSource.Directions : SeriesSource.Queries;
  if (!extraction.ok) {
    return { source, extraction, a: extraction.a, b: extraction.b, result: null };
  }
  const { a, b } = extraction;
  const result = analyzeCorrelation(
    a,
    b,
    {
      maxLag: o.maxLag,
      spikeK: o.spikeK,
      minPoints: o.minPoints,
      missing: o.missing,
      combineA: a.isRate ? 'mean' : 'sum',
      combineB: b.isRate ? 'mean' : 'sum',
      thresholds: { strongR: o.strongR, weakR: o.weakR, volumeTolerance: o.volumeTolerance },
      compareVolumes: a.unit === b.unit,
    },
    range
  );
  return { source, extraction, a, b, result };
}
