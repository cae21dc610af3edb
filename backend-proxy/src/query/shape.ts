/**
 * Stage 5: database rows → response frames (Grafana data-frame JSON). Divides raw aggregates
 * into rates and averages, fills empty buckets with zeros, orders series by rank, attaches the
 * reverse twins (negative-Y, `direction: reverse`) and the "Other" remainder.
 */
import type { Buckets } from './buckets.js';
import type { DimensionDef } from './dimensions.js';
import type { Resolution } from './resolve-rollup.js';
import type { Field, Frame, Metric } from './types.js';
import type { ValidQuery } from './validate.js';

type Row = Record<string, unknown>;

/** Rate metrics: multiplier applied to the summed counter before dividing by seconds. */
const RATE_MULTIPLIER: Partial<Record<Metric, number>> = {
  bits_per_second: 8,
  packets_per_second: 1,
  flows_per_second: 1,
};

/** Grafana unit ids per metric. */
export const METRIC_UNITS: Record<Metric, string> = {
  bytes: 'decbytes',
  packets: 'short',
  flows: 'short',
  bits_per_second: 'bps',
  packets_per_second: 'pps',
  flows_per_second: 'cps',
  unique_src_ips: 'short',
  unique_dst_ips: 'short',
  unique_dst_ports: 'short',
  bytes_per_flow: 'decbytes',
};

export const OTHER_LABEL = 'Other';

export interface ShapeInput {
  q: ValidQuery;
  resolution: Resolution;
  sql: string;
  /** The $n values of `sql`, shown with it (Show SQL); absent in tests that shape rows alone. */
  params?: unknown[];
  layout: 'plain' | 'parts';
}

function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return Number(value);
}

/**
 * The value a client sees, from the raw aggregate v (and w). `scope` says what v covers: one
 * bucket (time series, and max/p95 which are per-bucket already), the whole range (table
 * total), or a sum over all buckets that must be averaged (table avg).
 */
export function metricValue(
  q: ValidQuery,
  buckets: Buckets | null,
  v: unknown,
  w: unknown,
  scope: 'bucket' | 'range' | 'bucket-sum',
): number | null {
  if (q.metric === 'bytes_per_flow') {
    const flows = toNumber(w);
    if (!flows) return null;
    return Number(v) / flows;
  }
  let x = toNumber(v) ?? 0;
  if (scope === 'bucket-sum') x = x / buckets!.count;
  const multiplier = RATE_MULTIPLIER[q.metric];
  if (multiplier !== undefined) {
    const seconds = scope === 'range' ? (q.toMs - q.fromMs) / 1000 : buckets!.stepMs / 1000;
    x = (x * multiplier) / seconds;
  }
  return x;
}

function tableScope(q: ValidQuery): 'range' | 'bucket' | 'bucket-sum' {
  if (q.aggregation === 'total') return 'range';
  return q.aggregation === 'avg' ? 'bucket-sum' : 'bucket';
}

function keyOf(values: unknown[]): string {
  return JSON.stringify(values);
}

function labelValue(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function dimValues(row: Row, count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => row[`d${i}`] ?? null);
}

function seriesName(dims: DimensionDef[], values: unknown[], fallback: string): string {
  if (dims.length === 0) return fallback;
  return dims.map((d, i) => `${d.name}=${labelValue(values[i])}`).join(', ');
}

function meta(input: ShapeInput): Frame['meta'] {
  return {
    executedQueryString: input.sql,
    custom: { table: input.resolution.table, reason: input.resolution.reason, ...(input.params ? { params: input.params } : {}) },
    ...(input.resolution.notice ? { notices: [{ severity: 'info' as const, text: input.resolution.notice }] } : {}),
  };
}

const NEGATIVE_Y = { custom: { transform: 'negative-Y' } };

/**
 * Label marking forward / reverse twins: `direction`, unless the query groups by the
 * `direction` dimension (as logged by the NSG), whose label keeps that name; then `twin`.
 */
export function twinLabel(dims: DimensionDef[]): string {
  return dims.some((d) => d.name === 'direction') ? 'twin' : 'direction';
}

function shapeTable(input: ShapeInput, rows: Row[]): Frame[] {
  const { q } = input;
  const dims = q.dimensions;
  const scope = tableScope(q);
  const buckets = input.resolution.buckets;
  const value = (row: Row | undefined): number | null =>
    row ? metricValue(q, buckets, row.v, row.w, scope) : q.metric === 'bytes_per_flow' ? null : 0;
  const parts = input.layout === 'parts';
  const rank = parts ? rows.filter((r) => r.part === 'rank').sort((a, b) => Number(a.pos) - Number(b.pos)) : rows;
  const reverse = new Map<string, Row>();
  for (const r of rows) if (r.part === 'rev') reverse.set(keyOf(dimValues(r, dims.length)), r);
  const otherRow = rows.find((r) => r.part === 'other');
  const reverseOther = rows.find((r) => r.part === 'rev_other');

  const columns: unknown[][] = dims.map(() => []);
  const forward: (number | null)[] = [];
  const backward: (number | null)[] = [];
  for (const row of rank) {
    const values = dimValues(row, dims.length);
    values.forEach((v, i) => columns[i]!.push(v));
    forward.push(value(row));
    if (q.bidirectional) backward.push(value(reverse.get(keyOf(values))));
  }
  if (q.other && dims.length > 0) {
    dims.forEach((d, i) => columns[i]!.push(d.type === 'number' ? null : OTHER_LABEL));
    forward.push(value(otherRow));
    if (q.bidirectional) backward.push(value(reverseOther));
  }
  const unit = METRIC_UNITS[q.metric];
  const fields: Field[] = dims.map((d, i) => ({
    name: d.name,
    type: d.type === 'number' ? 'number' : 'string',
    values: columns[i]!,
    config: { displayName: d.label },
  }));
  fields.push({
    name: q.metric,
    type: 'number',
    values: forward,
    ...(q.bidirectional ? { labels: { [twinLabel(dims)]: 'forward' } } : {}),
    config: { unit },
  });
  if (q.bidirectional) {
    fields.push({
      name: `${q.metric}_reverse`,
      type: 'number',
      values: backward,
      labels: { [twinLabel(dims)]: 'reverse' },
      config: { unit, ...NEGATIVE_Y },
    });
  }
  const frameMeta = meta(input);
  if (q.other && dims.length > 0) frameMeta.custom = { ...frameMeta.custom, otherRow: forward.length - 1 };
  return [{ name: q.metric, refId: q.refId, fields, meta: frameMeta }];
}

function shapeTimeseries(input: ShapeInput, rows: Row[]): Frame[] {
  const { q } = input;
  const dims = q.dimensions;
  const buckets = input.resolution.buckets!;
  const times = Array.from({ length: buckets.count }, (_, i) => buckets.startMs + i * buckets.stepMs);
  const unit = METRIC_UNITS[q.metric];

  /** Zero-filled values per bucket for the rows of one series. */
  const fill = (seriesRows: Row[]): (number | null)[] => {
    const out: (number | null)[] = times.map(() => (q.metric === 'bytes_per_flow' ? null : 0));
    for (const r of seriesRows) {
      const t = r.t instanceof Date ? r.t.getTime() : Date.parse(String(r.t));
      const index = Math.round((t - buckets.startMs) / buckets.stepMs);
      if (index >= 0 && index < out.length) out[index] = metricValue(q, buckets, r.v, r.w, 'bucket');
    }
    return out;
  };
  const byKey = (part: string): Map<string, Row[]> => {
    const map = new Map<string, Row[]>();
    for (const r of rows) {
      if (r.part !== part) continue;
      const key = keyOf(dimValues(r, dims.length));
      const list = map.get(key);
      if (list) list.push(r);
      else map.set(key, [r]);
    }
    return map;
  };
  const frame = (name: string, labels: Record<string, string>, values: (number | null)[], reverse: boolean): Frame => ({
    name: reverse ? `${name} (reverse)` : name,
    refId: q.refId,
    fields: [
      { name: 'time', type: 'time', values: times },
      {
        name: q.metric,
        type: 'number',
        values,
        labels: reverse ? { ...labels, [twinLabel(dims)]: 'reverse' } : labels,
        config: {
          unit,
          displayNameFromDS: reverse ? `${name} (reverse)` : name,
          ...(reverse ? NEGATIVE_Y : {}),
        },
      },
    ],
    meta: meta(input),
  });

  const forward = byKey('series');
  const reverse = byKey('rev');
  const groups =
    dims.length > 0
      ? rows
          .filter((r) => r.part === 'rank')
          .sort((a, b) => Number(a.pos) - Number(b.pos))
          .map((r) => dimValues(r, dims.length))
      : [[]];
  const frames: Frame[] = [];
  const emit = (name: string, labels: Record<string, string>, fwdRows: Row[], revRows: Row[]): void => {
    frames.push(frame(name, labels, fill(fwdRows), false));
    if (q.bidirectional) frames.push(frame(name, labels, fill(revRows), true));
  };
  for (const values of groups) {
    const key = keyOf(values);
    const labels = Object.fromEntries(dims.map((d, i) => [d.name, labelValue(values[i])]));
    if (q.bidirectional) labels[twinLabel(dims)] = 'forward';
    emit(seriesName(dims, values, q.metric), labels, forward.get(key) ?? [], reverse.get(key) ?? []);
  }
  if (q.other && dims.length > 0) {
    const labels: Record<string, string> = { other: 'true' };
    if (q.bidirectional) labels[twinLabel(dims)] = 'forward';
    emit(OTHER_LABEL, labels, rows.filter((r) => r.part === 'other'), rows.filter((r) => r.part === 'rev_other'));
  }
  return frames;
}

/** Stage 5 for table and time series modes (topology has its own shaper). */
export function shapeRows(input: ShapeInput, rows: Row[]): Frame[] {
  return input.q.mode === 'timeseries' ? shapeTimeseries(input, rows) : shapeTable(input, rows);
}
