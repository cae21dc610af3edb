/**
 * The frame contract the data source and panels read, checked from rows shaped like
 * node-postgres output (bigint / numeric as strings, timestamptz as Date).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dimensionCatalogue, DIMENSION_CATEGORIES } from './dimensions.js';
import { planQuery } from './index.js';
import { TEST_SITES } from './oracle-reference.js';
import type { Frame, PlanContext } from './types.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const ctx: PlanContext = {
  timescale: false,
  now: T0,
  rollups: [],
  sites: TEST_SITES,
  limits: { maxRows: 10_000, maxSeries: 20, maxTopN: 50 },
};

test('table: one frame, one row per group by rank, Other last, reverse twin negative-Y', () => {
  const plan = planQuery(
    { from: T0, to: T0 + H, metric: 'bits_per_second', dimensions: ['src_ip', 'dst_port'], topN: 2, other: true, bidirectional: true, refId: 'A' },
    ctx,
  );
  const rows = [
    { part: 'rev', pos: null, d0: '10.0.0.2', d1: 443, t: null, v: '900' },
    { part: 'rank', pos: '2', d0: '10.0.0.2', d1: 443, t: null, v: '3600' },
    { part: 'rank', pos: '1', d0: '10.0.0.1', d1: 22, t: null, v: '7200' },
    { part: 'other', pos: null, d0: null, d1: null, t: null, v: '450' },
    { part: 'rev_other', pos: null, d0: null, d1: null, t: null, v: null },
  ];
  const { frames } = plan.shape([rows]);
  assert.equal(frames.length, 1);
  const [frame] = frames;
  assert.equal(frame!.refId, 'A');
  assert.equal(frame!.meta.executedQueryString, plan.explain.sql);
  assert.deepEqual(frame!.meta.custom, { table: 'raw', reason: 'raw table: no rollups in this database', params: plan.explain.params, otherRow: 2 });
  assert.deepEqual(frame!.fields.map((f) => [f.name, f.type]), [
    ['src_ip', 'string'],
    ['dst_port', 'number'],
    ['bits_per_second', 'number'],
    ['bits_per_second_reverse', 'number'],
  ]);
  assert.deepEqual(frame!.fields[0]!.values, ['10.0.0.1', '10.0.0.2', 'Other']);
  assert.deepEqual(frame!.fields[1]!.values, [22, 443, null]);
  // bytes × 8 / 3600 s
  assert.deepEqual(frame!.fields[2]!.values, [16, 8, 1]);
  assert.deepEqual(frame!.fields[3]!.values, [0, 2, 0]);
  assert.deepEqual(frame!.fields[3]!.labels, { direction: 'reverse' });
  assert.deepEqual(frame!.fields[3]!.config, { unit: 'bps', custom: { transform: 'negative-Y' } });
});

test('time series: aligned buckets, zeros in gaps, one frame per group with its twin beside it', () => {
  const plan = planQuery(
    { from: T0 + 1000, to: T0 + 4 * 60_000 - 1, mode: 'timeseries', metric: 'bytes', dimensions: ['application'], intervalMs: 60_000, bidirectional: true },
    ctx,
  );
  const rows = [
    { part: 'rank', pos: '1', d0: 'ssh', t: null, v: '500' },
    { part: 'series', pos: null, d0: 'ssh', t: new Date(T0 + 60_000), v: '300' },
    { part: 'series', pos: null, d0: 'ssh', t: new Date(T0 + 180_000), v: '200' },
    { part: 'rev', pos: null, d0: 'ssh', t: new Date(T0), v: '42' },
  ];
  const { frames } = plan.shape([rows]);
  assert.deepEqual(frames.map((f) => f.name), ['application=ssh', 'application=ssh (reverse)']);
  assert.deepEqual(frames[0]!.fields[0], { name: 'time', type: 'time', values: [T0, T0 + 60_000, T0 + 120_000, T0 + 180_000] });
  assert.deepEqual(frames[0]!.fields[1]!.values, [0, 300, 0, 200]);
  assert.deepEqual(frames[0]!.fields[1]!.labels, { application: 'ssh', direction: 'forward' });
  assert.deepEqual(frames[1]!.fields[1]!.values, [42, 0, 0, 0]);
  assert.deepEqual(frames[1]!.fields[1]!.labels, { application: 'ssh', direction: 'reverse' });
  assert.deepEqual(frames[1]!.fields[1]!.config, {
    unit: 'decbytes',
    displayNameFromDS: 'application=ssh (reverse)',
    custom: { transform: 'negative-Y' },
  });
});

test('crosses_border as a dimension: a string column of true / false, an unknown crossing is null, not Other', () => {
  const plan = planQuery({ from: T0, to: T0 + H, metric: 'bytes', dimensions: ['src_site', 'crosses_border'], topN: 3, other: true }, ctx);
  const rows = [
    { part: 'rank', pos: '1', d0: 'azure-eastus', d1: 'true', t: null, v: '900' },
    { part: 'rank', pos: '2', d0: 'azure-eastus', d1: 'false', t: null, v: '500' },
    { part: 'rank', pos: '3', d0: null, d1: null, t: null, v: '70' },
    { part: 'other', pos: null, d0: null, d1: null, t: null, v: '5' },
  ];
  const [frame] = plan.shape([rows]).frames;
  assert.deepEqual(frame!.fields.map((f) => [f.name, f.type]), [['src_site', 'string'], ['crosses_border', 'string'], ['bytes', 'number']]);
  assert.deepEqual(frame!.fields[1]!.values, ['true', 'false', null, 'Other']);
  assert.deepEqual(frame!.fields[1]!.config, { displayName: 'Crosses a border (countries differ)' });
  assert.deepEqual(frame!.fields[2]!.values, [900, 500, 70, 5]);
});

test('topology: Node Graph nodes and edges, both directions on one edge, border crossings', () => {
  const plan = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'site', metric: 'bytes' }, ctx);
  const rows = [
    { a: 'azure-eastus', b: 'CN', v: '1000', f: '3', x: true },
    { a: 'CN', b: 'azure-eastus', v: '50', f: '0', x: true },
    { a: 'azure-eastus', b: 'dc-chicago', v: '70', f: '1', x: false },
    { a: 'azure-eastus', b: 'azure-eastus', v: '5', f: '1', x: false },
  ];
  const { frames } = plan.shape([rows]);
  assert.deepEqual(frames.map((f) => f.name), ['nodes', 'edges']);
  const col = (frame: number, name: string) => frames[frame]!.fields.find((f) => f.name === name)!.values;
  assert.deepEqual(col(0, 'id'), ['azure-eastus', 'CN', 'dc-chicago']);
  assert.deepEqual(col(0, 'kind'), ['cloud', 'country', 'datacenter']);
  assert.deepEqual(col(0, 'latitude'), [37.37, 35.86, 41.88]);
  assert.deepEqual(col(0, 'detail__out'), [1070, 50, 0]);
  assert.deepEqual(col(0, 'detail__in'), [50, 1000, 70]);
  assert.deepEqual(col(0, 'mainstat'), [1120, 1050, 70]);
  assert.deepEqual(col(1, 'id'), ['CN--azure-eastus', 'azure-eastus--dc-chicago']);
  assert.deepEqual(col(1, 'source'), ['CN', 'azure-eastus']);
  assert.deepEqual(col(1, 'target'), ['azure-eastus', 'dc-chicago']);
  assert.deepEqual(col(1, 'detail__a_to_b'), [50, 70]);
  assert.deepEqual(col(1, 'detail__b_to_a'), [1000, 0]);
  assert.deepEqual(col(1, 'mainstat'), [1050, 70]);
  assert.deepEqual(col(1, 'detail__flows'), [3, 1]);
  assert.deepEqual(col(1, 'crosses_border'), [true, false]);

  // Inside rows without a country still cross when the sites' countries differ.
  const london = plan.shape([[{ a: 'dc-chicago', b: 'branch-london', v: '10', f: '1', x: false }]]).frames[1]!;
  assert.deepEqual(london.fields.find((f) => f.name === 'crosses_border')!.values, [true]);
});

test('topology with topApplications: each direction of an edge lists its applications in rank order', () => {
  const plan = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'site', metric: 'bytes', topApplications: true }, ctx);
  assert.equal(plan.statements.length, 2);
  const rows = [
    { a: 'azure-eastus', b: 'CN', v: '1000', f: '3', x: true },
    { a: 'CN', b: 'azure-eastus', v: '50', f: '0', x: true },
    { a: 'azure-eastus', b: 'dc-chicago', v: '70', f: '1', x: false },
  ];
  const apps = [
    { a: 'CN', b: 'azure-eastus', app: 'ssh', v: '50' },
    { a: 'azure-eastus', b: 'CN', app: 'ssh', v: '900' },
    { a: 'azure-eastus', b: 'CN', app: 'https', v: '100' },
  ];
  const [nodes, edges] = plan.shape([rows, apps]).frames as [Frame, Frame];
  // Show SQL and the query inspector see both statements, each with its own $n values.
  for (const frame of [nodes, edges]) {
    assert.equal(frame.meta.executedQueryString, `${plan.statements[0]!.sql};\n\n-- then each arc's top applications per direction\n${plan.statements[1]!.sql}`);
    assert.deepEqual(frame.meta.custom?.statements, plan.statements.map(({ sql, params }) => ({ sql, params })));
  }
  assert.deepEqual(plan.explain.statements, statementsOf(plan));
  const col = (name: string) => edges.fields.find((f) => f.name === name)!;
  assert.deepEqual(col('id').values, ['CN--azure-eastus', 'azure-eastus--dc-chicago']);
  // source CN → target azure-eastus; the other way round is the exfiltration
  assert.deepEqual(col('detail__top_apps_a_to_b').values, ['ssh', null]);
  assert.deepEqual(col('detail__top_apps_b_to_a').values, ['ssh, https', null]);
  assert.deepEqual(col('detail__top_apps_b_to_a').config, { displayName: 'top applications target → source' });
  // without the option the frames have no such fields
  const plain = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'site', metric: 'bytes' }, ctx);
  assert.equal(plain.statements.length, 1);
  assert.ok(!plain.shape([rows]).frames[1]!.fields.some((f) => f.name.startsWith('detail__top_apps')));
  assert.equal(plain.shape([rows]).frames[1]!.meta.executedQueryString, plain.statements[0]!.sql);
  assert.equal(plain.explain.statements, undefined);
});

function statementsOf(plan: ReturnType<typeof planQuery>): Array<{ sql: string; params: unknown[] }> {
  return plan.statements.map(({ sql, params }) => ({ sql, params }));
}

test('dimension catalogue: every skeleton and issue-3 dimension, in the five categories', () => {
  const catalogue = dimensionCatalogue();
  const names = new Set(catalogue.map((d) => d.name));
  for (const name of [
    'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'application', 'src_country', 'dst_country', 'src_site',
    'dst_site', 'src_region', 'dst_region', 'provider', 'direction', 'action', 'flow_state', 'resource', 'rule',
    'source_type', 'src_asn', 'dst_asn', 'src_as_name', 'dst_as_name', 'tcp_flags', 'mac', 'src_provider',
    'dst_provider', 'src_inside', 'dst_inside', 'src_ip/24', 'dst_ip/64',
  ]) {
    assert.ok(names.has(name), name);
  }
  for (const d of catalogue) {
    assert.ok(DIMENSION_CATEGORIES.includes(d.category), d.name);
    assert.ok(['string', 'number', 'ip'].includes(d.type), d.name);
    assert.ok(d.label.length > 0, d.name);
  }
});
