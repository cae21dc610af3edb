import { BusEventWithPayload, DataFrame, dateTimeFormat, TimeZone } from '@grafana/data';

import { formatDuration, formatR, formatRatio } from '../stats/format';

/**
 * What the panel publishes on the dashboard's event bus whenever its findings change: the two
 * frames of correlationResultFrames (summary row, joint spike windows). Grafana gives panels no
 * way to hand computed frames to other panels' queries (the "-- Dashboard --" data source reuses
 * a panel's query results, before the panel computes anything), so a panel that wants the numbers
 * subscribes to this event: `eventBus.getStream(CorrelationFindingsEvent)`.
 */
export class CorrelationFindingsEvent extends BusEventWithPayload<{ panelId: number; frames: DataFrame[] }> {
  static type = 'flowatlas-correlation-findings';
}

const DASH = '—';

function summaryValue(summary: DataFrame | undefined, name: string): unknown {
  return summary?.fields.find((f) => f.name === name)?.values[0] ?? null;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * The findings as plain text for an incident report or ticket, read from the result frames (so
 * "Copy findings" and the published frames can never disagree): the verdict, each number the
 * header shows with its meaning spelled out, and every joint spike window in the dashboard's zone.
 */
export function findingsText(frames: DataFrame[], opts: { timeZone: TimeZone; range: { from: number; to: number } }): string {
  const [summary, windows] = frames;
  const when = (t: number) => dateTimeFormat(t, { timeZone: opts.timeZone, format: 'YYYY-MM-DD HH:mm:ss' });
  const r = num(summaryValue(summary, 'r'));
  const lagBuckets = num(summaryValue(summary, 'lag_buckets'));
  const lagMs = num(summaryValue(summary, 'lag'));
  const rAtLag = num(summaryValue(summary, 'r_at_lag'));
  const spikes = num(summaryValue(summary, 'volume_ratio_spikes'));
  const overall = num(summaryValue(summary, 'volume_ratio_overall'));
  const bucket = num(summaryValue(summary, 'bucket'));
  const lines = [
    `FlowAtlas correlation, ${when(opts.range.from)} – ${when(opts.range.to)} (${opts.timeZone || 'browser'})`,
    `A: ${summaryValue(summary, 'a') ?? DASH}`,
    `B: ${summaryValue(summary, 'b') ?? DASH}`,
    `Verdict: ${summaryValue(summary, 'verdict') ?? DASH}`,
    `Pearson r at lag 0: ${r === null ? DASH : formatR(r)}`,
    `Cross-correlation peak: ${
      lagBuckets === null || rAtLag === null ? DASH : `lag ${lagBuckets} bucket(s) (${formatDuration(lagMs ?? 0)}, positive = B later), r = ${formatR(rAtLag)}`
    }`,
    `Volume B/A: ${spikes === null ? DASH : formatRatio(spikes)} in the joint spike windows, ${overall === null ? DASH : formatRatio(overall)} overall`,
    `Bucket: ${bucket === null ? DASH : formatDuration(bucket)}`,
  ];
  const from = windows?.fields.find((f) => f.name === 'time')?.values ?? [];
  const to = windows?.fields.find((f) => f.name === 'timeEnd')?.values ?? [];
  const buckets = windows?.fields.find((f) => f.name === 'buckets')?.values ?? [];
  lines.push(`Joint spike windows (both series above their spike threshold): ${from.length === 0 ? 'none' : from.length}`);
  from.forEach((t, i) => lines.push(`  ${when(t)} – ${when(to[i])} (${buckets[i]} bucket(s))`));
  return lines.join('\n');
}
