import { FlowQueryModel, metricUnit, ProxyField, ProxyFrame } from '../../src/shared/flowQuery';

/**
 * Proxy frames → the frame shapes Grafana alerting evaluates (its server-side expressions read
 * them):
 * - time series mode: one *wide* frame, a time field and one number field per series, each series
 *   told apart by its labels (dataplane `timeseries-wide`);
 * - table mode: a *numeric table*, one number field and string fields that become the labels of
 *   each row (dataplane `numeric-long`);
 * - topology: passed through (a node graph, which no alert rule can reduce).
 */
export type BackendFieldType = 'time' | 'number' | 'string' | 'boolean';

export interface BackendField {
  name: string;
  type: BackendFieldType;
  values: unknown[];
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface BackendFrame {
  name?: string;
  refId: string;
  meta?: Record<string, unknown>;
  fields: BackendField[];
}

const OTHER = 'Other';

function baseMeta(frame: ProxyFrame | undefined): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (frame?.meta?.executedQueryString) {
    meta.executedQueryString = frame.meta.executedQueryString;
  }
  if (frame?.meta?.custom) {
    meta.custom = frame.meta.custom;
  }
  return meta;
}

function numberConfig(field: ProxyField, model: FlowQueryModel): Record<string, unknown> {
  return { unit: metricUnit(model.metric), ...(field.config ?? {}) };
}

function sameTimes(a: unknown[], b: unknown[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function toWideSeries(frames: ProxyFrame[], model: FlowQueryModel, refId: string): BackendFrame[] {
  const series = frames
    .map((f) => ({ frame: f, time: f.fields.find((x) => x.type === 'time'), value: f.fields.find((x) => x.type === 'number') }))
    .filter((s): s is { frame: ProxyFrame; time: ProxyField; value: ProxyField } => s.time !== undefined && s.value !== undefined);
  const meta = { ...baseMeta(frames[0]), type: 'timeseries-wide', typeVersion: [0, 1] };
  if (series.length === 0) {
    return [{ name: model.metric, refId, meta, fields: [{ name: 'time', type: 'time', values: [] }] }];
  }
  const times = series[0].time.values;
  // the proxy gives every series of one query the same buckets; if that ever changes, one frame
  // per series (time + number) is the other shape alerting accepts
  if (!series.every((s) => sameTimes(s.time.values, times))) {
    return series.map((s) => ({
      name: s.frame.name,
      refId,
      meta: { ...baseMeta(s.frame), type: 'timeseries-multi', typeVersion: [0, 1] },
      fields: [
        { name: 'time', type: 'time', values: s.time.values },
        { name: s.value.name, type: 'number', values: s.value.values, labels: s.value.labels ?? {}, config: numberConfig(s.value, model) },
      ],
    }));
  }
  return [
    {
      name: model.metric,
      refId,
      meta,
      fields: [
        { name: 'time', type: 'time', values: times },
        ...series.map((s): BackendField => ({
          name: s.value.name,
          type: 'number',
          values: s.value.values,
          labels: s.value.labels ?? {},
          config: numberConfig(s.value, model),
        })),
      ],
    },
  ];
}

/** A dimension value as a label value: numbers (ports, ASNs) as text, the Other row's nulls as "Other". */
function labelText(value: unknown, isOther: boolean): string {
  if (value === null || value === undefined) {
    return isOther ? OTHER : '';
  }
  return String(value);
}

export function toNumericTable(frames: ProxyFrame[], model: FlowQueryModel, refId: string): BackendFrame[] {
  const frame = frames[0];
  const meta = { ...baseMeta(frame), type: 'numeric-long', typeVersion: [0, 1] };
  if (!frame) {
    return [{ name: model.metric, refId, meta, fields: [{ name: model.metric, type: 'number', values: [] }] }];
  }
  const numbers = frame.fields.filter((f) => !model.dimensions.includes(f.name) && f.type === 'number');
  const dims = frame.fields.filter((f) => model.dimensions.includes(f.name));
  const rows = Math.max(0, ...frame.fields.map((f) => f.values.length));
  const otherRow = typeof frame.meta?.custom?.otherRow === 'number' ? frame.meta.custom.otherRow : -1;
  const dimTexts = dims.map((d) => Array.from({ length: rows }, (_, i) => labelText(d.values[i], i === otherRow)));
  if (numbers.length <= 1) {
    const metric = numbers[0] ?? { name: model.metric, type: 'number' as const, values: [] };
    return [
      {
        name: frame.name ?? model.metric,
        refId,
        meta,
        fields: [
          ...dims.map((d, i): BackendField => ({ name: d.name, type: 'string', values: dimTexts[i], config: d.config })),
          { name: metric.name, type: 'number', values: metric.values, config: numberConfig(metric, model) },
        ],
      },
    ];
  }
  // bidirectional: forward and reverse columns become rows told apart by their twin label
  // (`direction` or `twin`), so there is still exactly one number field
  const twinKey = Object.keys(numbers[0].labels ?? {})[0] ?? 'direction';
  const twinValues = numbers.map((n, i) => n.labels?.[twinKey] ?? (i === 0 ? 'forward' : 'reverse'));
  const config = numberConfig(numbers[0], model);
  delete config.custom;
  return [
    {
      name: frame.name ?? model.metric,
      refId,
      meta,
      fields: [
        ...dims.map((d, i): BackendField => ({ name: d.name, type: 'string', values: numbers.flatMap(() => dimTexts[i]), config: d.config })),
        { name: twinKey, type: 'string', values: twinValues.flatMap((t) => Array(rows).fill(t)) },
        { name: model.metric, type: 'number', values: numbers.flatMap((n) => n.values), config },
      ],
    },
  ];
}

function passThrough(frames: ProxyFrame[], refId: string): BackendFrame[] {
  return frames.map((f) => ({
    name: f.name,
    refId,
    meta: baseMeta(f),
    fields: f.fields.map((x) => ({ name: x.name, type: x.type, values: x.values, labels: x.labels, config: x.config })),
  }));
}

export function toAlertFrames(frames: ProxyFrame[], model: FlowQueryModel, refId: string): BackendFrame[] {
  switch (model.mode) {
    case 'timeseries':
      return toWideSeries(frames, model, refId);
    case 'table':
      return toNumericTable(frames, model, refId);
    default:
      return passThrough(frames, refId);
  }
}
