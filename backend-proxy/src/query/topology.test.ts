/**
 * The topology frames' node details and units, as the geo panel's side card and Grafana's Node
 * Graph read them: provider, region and CIDRs from the site configuration, and flow counts with
 * unit 'none' so a panel's default unit (bytes, bps) never turns "412 flows" into "412 B".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planQuery } from './index.js';
import { TEST_SITES } from './oracle-reference.js';
import type { Frame, PlanContext, SiteInfo } from './types.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 0, 5);
const SITES: SiteInfo[] = [
  ...TEST_SITES,
  { name: 'azure-eastus2', kind: 'cloud', provider: 'azure', region: 'eastus', country: 'US', lat: 36.67, lon: -78.39, cidrs: ['10.11.0.0/16', '10.12.0.0/16'] },
];
const ctx: PlanContext = { timescale: false, now: T0, rollups: [], sites: SITES, limits: { maxRows: 10_000, maxSeries: 20, maxTopN: 50 } };

const field = (frame: Frame, name: string) => {
  const f = frame.fields.find((x) => x.name === name);
  assert.ok(f, `field ${name} in frame ${frame.name}`);
  return f;
};

test('topology nodes carry provider, region and CIDRs from the site configuration', () => {
  const plan = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'site', metric: 'bytes' }, ctx);
  const rows = [
    { a: 'azure-eastus', b: 'CN', v: '1000', f: '3', x: true },
    { a: 'dc-chicago', b: 'azure-eastus', v: '70', f: '1', x: false },
    { a: 'mystery', b: 'azure-eastus', v: '5', f: '1', x: false },
  ];
  const [nodes] = plan.shape([rows]).frames;
  assert.deepEqual(field(nodes!, 'id').values, ['azure-eastus', 'CN', 'dc-chicago', 'mystery']);
  assert.deepEqual(field(nodes!, 'detail__provider').values, ['azure', null, null, null]);
  assert.deepEqual(field(nodes!, 'detail__region').values, ['eastus', null, null, null]);
  assert.deepEqual(field(nodes!, 'detail__cidrs').values, ['10.10.0.0/16', null, '172.16.0.0/16', null]);
  assert.deepEqual(field(nodes!, 'detail__provider').config, { displayName: 'provider' });
  assert.equal(field(nodes!, 'detail__cidrs').type, 'string');
});

test('region-level nodes gather their sites: providers, the region, every CIDR once', () => {
  const plan = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'region', metric: 'bytes' }, ctx);
  const [nodes] = plan.shape([[{ a: 'eastus', b: 'GB', v: '10', f: '1', x: true }]]).frames;
  // Equal totals: ordered by id, upper case first.
  assert.deepEqual(field(nodes!, 'id').values, ['GB', 'eastus']);
  assert.deepEqual(field(nodes!, 'detail__provider').values, [null, 'azure']);
  assert.deepEqual(field(nodes!, 'detail__region').values, [null, 'eastus']);
  assert.deepEqual(field(nodes!, 'detail__cidrs').values, [null, '10.10.0.0/16, 10.11.0.0/16, 10.12.0.0/16']);
});

test('flow counts have unit none and no decimals; volumes keep the metric unit', () => {
  const plan = planQuery({ from: T0, to: T0 + H, mode: 'topology', level: 'site', metric: 'bytes' }, ctx);
  const [nodes, edges] = plan.shape([[{ a: 'azure-eastus', b: 'CN', v: '1000', f: '412', x: true }]]).frames;
  for (const [frame, name] of [
    [nodes!, 'secondarystat'],
    [edges!, 'secondarystat'],
    [edges!, 'detail__flows'],
  ] as const) {
    assert.deepEqual(field(frame, name).config, { unit: 'none', decimals: 0, displayName: 'flows' }, `${frame.name}.${name}`);
    assert.deepEqual(field(frame, name).values, [412, 412].slice(0, frame.name === 'nodes' ? 2 : 1), `${frame.name}.${name}`);
  }
  for (const [frame, name] of [
    [nodes!, 'mainstat'],
    [nodes!, 'detail__in'],
    [nodes!, 'detail__out'],
    [edges!, 'mainstat'],
    [edges!, 'detail__a_to_b'],
    [edges!, 'detail__b_to_a'],
  ] as const) {
    assert.equal(field(frame, name).config?.unit, 'decbytes', `${frame.name}.${name}`);
  }
});
