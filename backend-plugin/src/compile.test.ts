import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultFlowQuery, toProxyRequest } from '../../src/shared/flowQuery';
import { compileDataQuery, fitPointBudget } from './compile';

const range = { fromEpochMS: 1_767_000_000_000, toEpochMS: 1_767_003_600_000 };

test('compiles the saved model with the shared toProxyRequest, like the browser does', () => {
  const model = { ...defaultFlowQuery(), mode: 'table' as const, metric: 'flows' as const, aggregation: 'total' as const, dimensions: ['src_ip'], topN: 5 };
  const compiled = compileDataQuery({ refId: 'A', json: Buffer.from(JSON.stringify(model)), timeRange: range, intervalMS: 1000, maxDataPoints: 43200 });
  assert.deepEqual(compiled.request, toProxyRequest(model, { from: range.fromEpochMS, to: range.toEpochMS, intervalMs: 1000, maxDataPoints: 43200 }));
});

test('migrates a version 1 query saved before the filter tree', () => {
  const v1 = { mode: 'table', metric: 'bytes', dimensions: ['dst_port'], topN: 3, filters: [{ dimension: 'dst_port', op: '=', values: ['22'], exclude: true }] };
  const { request } = compileDataQuery({ refId: 'A', json: Buffer.from(JSON.stringify(v1)), timeRange: range });
  assert.deepEqual(request.filters, { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'], not: true }] });
});

test('alert defaults (43200 points) are lowered to what the proxy accepts for the series count', () => {
  const series = { ...defaultFlowQuery(), topN: 9, other: true };
  assert.equal(fitPointBudget(series, 43200), 1000);
  assert.equal(fitPointBudget({ ...series, bidirectional: true }, 43200), 500);
  assert.equal(fitPointBudget(series, 300), 300);
  assert.equal(fitPointBudget({ ...series, mode: 'table', aggregation: 'p95' }, 43200), 5000);
  assert.equal(fitPointBudget({ ...series, mode: 'table', aggregation: 'total' }, 43200), 43200);
});

test('a model that is not JSON, or an empty range, is an error for that query', () => {
  assert.throws(() => compileDataQuery({ refId: 'A', json: Buffer.from('{'), timeRange: range }), /not valid JSON/);
  assert.throws(() => compileDataQuery({ refId: 'A', json: Buffer.from('[]'), timeRange: range }), /not a JSON object/);
  assert.throws(() => compileDataQuery({ refId: 'A', json: Buffer.from('{}'), timeRange: { fromEpochMS: 5, toEpochMS: 5 } }), /time range/);
});
