import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultFlowQuery, FlowQueryModel, ProxyFrame } from '../../src/shared/flowQuery';
import { toAlertFrames } from './alertFrames';

const meta = { executedQueryString: 'select 1', custom: { table: 'raw', reason: 'test' } };
const seriesFrame = (labels: Record<string, string>, values: number[], times = [1000, 2000]): ProxyFrame => ({
  name: Object.values(labels).join(' '),
  fields: [
    { name: 'time', type: 'time', values: times },
    { name: 'bits_per_second', type: 'number', values, labels, config: { unit: 'bps', displayNameFromDS: 'x' } },
  ],
  meta,
});
const model = (m: Partial<FlowQueryModel>): FlowQueryModel => ({ ...defaultFlowQuery(), ...m });

test('time series: one wide frame, a labelled number field per series', () => {
  const frames = toAlertFrames([seriesFrame({ src_site: 'a' }, [1, 2]), seriesFrame({ other: 'true' }, [3, 4])], model({ dimensions: ['src_site'] }), 'A');
  assert.equal(frames.length, 1);
  const [wide] = frames;
  assert.equal(wide.refId, 'A');
  assert.deepEqual(wide.meta, { ...meta, type: 'timeseries-wide', typeVersion: [0, 1] });
  assert.deepEqual(wide.fields.map((f) => [f.name, f.type, f.labels]), [
    ['time', 'time', undefined],
    ['bits_per_second', 'number', { src_site: 'a' }],
    ['bits_per_second', 'number', { other: 'true' }],
  ]);
  assert.deepEqual(wide.fields[2].values, [3, 4]);
});

test('time series on different buckets fall back to one frame per series', () => {
  const frames = toAlertFrames([seriesFrame({ s: 'a' }, [1, 2]), seriesFrame({ s: 'b' }, [3], [1000])], model({ dimensions: ['s'] }), 'A');
  assert.deepEqual(frames.map((f) => f.meta?.type), ['timeseries-multi', 'timeseries-multi']);
});

test('table: a numeric table whose dimensions (numbers too) are string label columns; Other reads Other', () => {
  const table: ProxyFrame = {
    name: 'flows',
    fields: [
      { name: 'src_ip', type: 'string', values: ['1.2.3.4', 'Other'] },
      { name: 'dst_port', type: 'number', values: [22, null] },
      { name: 'flows', type: 'number', values: [40, 3], config: { unit: 'short' } },
    ],
    meta: { ...meta, custom: { ...meta.custom, otherRow: 1 } },
  };
  const [frame] = toAlertFrames([table], model({ mode: 'table', metric: 'flows', dimensions: ['src_ip', 'dst_port'] }), 'B');
  assert.equal(frame.meta?.type, 'numeric-long');
  assert.deepEqual(frame.fields.map((f) => [f.name, f.type, f.values]), [
    ['src_ip', 'string', ['1.2.3.4', 'Other']],
    ['dst_port', 'string', ['22', 'Other']],
    ['flows', 'number', [40, 3]],
  ]);
});

test('bidirectional table: reverse values become rows labelled by the twin marker', () => {
  const table: ProxyFrame = {
    fields: [
      { name: 'direction', type: 'string', values: ['inbound'] },
      { name: 'bytes', type: 'number', values: [10], labels: { twin: 'forward' } },
      { name: 'bytes_reverse', type: 'number', values: [7], labels: { twin: 'reverse' }, config: { custom: { transform: 'negative-Y' } } },
    ],
  };
  const [frame] = toAlertFrames([table], model({ mode: 'table', metric: 'bytes', dimensions: ['direction'], bidirectional: true }), 'C');
  assert.deepEqual(frame.fields.map((f) => [f.name, f.values]), [
    ['direction', ['inbound', 'inbound']],
    ['twin', ['forward', 'reverse']],
    ['bytes', [10, 7]],
  ]);
  assert.equal(frame.fields[2].config?.custom, undefined);
});

test('no answer from the proxy still gives alerting a frame of the right type (no data)', () => {
  assert.equal(toAlertFrames([], model({ mode: 'table' }), 'A')[0].meta?.type, 'numeric-long');
  assert.equal(toAlertFrames([], model({}), 'A')[0].meta?.type, 'timeseries-wide');
});
