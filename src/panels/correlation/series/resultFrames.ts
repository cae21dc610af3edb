import { createDataFrame, DataFrame, FieldType } from '@grafana/data';

import { CorrelationResult } from '../stats/analyze';

/**
 * The panel's findings as data frames (one summary row, one row per joint spike window), so
 * whatever hosts the panel (playground, alert rules, a future "expose as data" hook) can read
 * the numbers rather than scrape the header. Numbers withheld for "not enough data" are null.
 */
export function correlationResultFrames(result: CorrelationResult, names: { a: string; b: string }): DataFrame[] {
  const stepMs = result.aligned.stepMs;
  const summary = createDataFrame({
    name: 'correlation',
    fields: [
      { name: 'a', type: FieldType.string, values: [names.a] },
      { name: 'b', type: FieldType.string, values: [names.b] },
      { name: 'r', type: FieldType.number, values: [result.r] },
      { name: 'lag_buckets', type: FieldType.number, values: [result.peak?.lag ?? null] },
      { name: 'lag', type: FieldType.number, values: [result.peak ? result.peak.lag * stepMs : null], config: { unit: 'ms' } },
      { name: 'r_at_lag', type: FieldType.number, values: [result.peak?.r ?? null] },
      { name: 'volume_ratio_spikes', type: FieldType.number, values: [result.volumes.spikes?.ratio ?? null] },
      { name: 'volume_ratio_overall', type: FieldType.number, values: [result.volumes.overall?.ratio ?? null] },
      { name: 'bucket', type: FieldType.number, values: [stepMs], config: { unit: 'ms' } },
      { name: 'verdict', type: FieldType.string, values: [result.verdict.text] },
      { name: 'level', type: FieldType.string, values: [result.verdict.level] },
    ],
  });
  const windows = createDataFrame({
    name: 'joint spike windows',
    fields: [
      { name: 'time', type: FieldType.time, values: result.windows.map((w) => w.from) },
      { name: 'timeEnd', type: FieldType.time, values: result.windows.map((w) => w.to) },
      { name: 'buckets', type: FieldType.number, values: result.windows.map((w) => w.endIndex - w.startIndex + 1) },
    ],
  });
  return [summary, windows];
}
