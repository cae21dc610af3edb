import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { planDemo, type DemoPlan } from './generate.js';
import { topSshSourcesQuery } from './example-query.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { openTestApp, type TestApp } from '../test-support/app.js';

/**
 * The forensic story, found by querying a dataset generated from a RANDOM seed: nothing here
 * knows the addresses, ports or times; they are only used to check what the queries found.
 */
const seed = Number(process.env.FLOWATLAS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
let t: TestApp;
let plan: DemoPlan;

type Frame = { name?: string; fields: { name: string; type: string; values: unknown[]; labels?: Record<string, string> }[] };

async function query(body: Record<string, unknown>): Promise<Frame[]> {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: { from: plan.startMs, to: plan.endMs, ...body } });
  assert.equal(response.statusCode, 200, response.body);
  return (response.json() as { frames: Frame[] }).frames;
}

function column(frame: Frame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  assert.ok(field, `field ${name} in ${frame.fields.map((f) => f.name).join(', ')}`);
  return field.values;
}

before(async () => {
  console.log(`scenario seed ${seed} (set FLOWATLAS_TEST_SEED to replay)`);
  t = await openTestApp();
  plan = planDemo({ seed, flows: 15_000, now: Date.now(), locate: (ip) => sharedGeoLocator().country(ip) });
  for (const body of plan.bodies()) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-nsg?source=${encodeURIComponent(body.source)}`, payload: body.json, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 200, r.body);
    assert.equal(r.json().rejected, 0);
  }
});
after(async () => {
  await t?.close();
});

test('step 1: the host under ssh attack, and one foreign source dominating the attempts', async () => {
  const [targets] = await query({ mode: 'table', metric: 'flows', dimensions: ['dst_ip'], filters: [{ dimension: 'dst_port', op: '=', values: ['22'] }], topN: 3 });
  const jump = column(targets!, 'dst_ip')[0];
  assert.equal(jump, plan.scenario.jumpHost);

  const [sources] = await query({ mode: 'table', metric: 'flows', dimensions: ['src_ip', 'src_country'], filters: [{ dimension: 'dst_ip', op: '=', values: [jump] }, { dimension: 'dst_port', op: '=', values: ['22'] }], topN: 10 });
  const ips = column(sources!, 'src_ip');
  const attempts = column(sources!, 'flows') as number[];
  assert.equal(ips[0], plan.scenario.attacker);
  assert.notEqual(column(sources!, 'src_country')[0], 'US');
  assert.equal(column(sources!, 'src_country')[0], plan.scenario.attackerCountry);
  // Every failed attempt plus the successful login, each counted once.
  assert.equal(attempts[0], plan.scenario.attemptCount + 1);
  assert.ok(attempts[0]! > 5 * (attempts[1] ?? 0), `attacker ${attempts[0]} vs next ${attempts[1]}`);
});

test('step 2: the one flow from the attacker that moved far more data, and when it started', async () => {
  const { attacker, jumpHost } = plan.scenario;
  const [flows] = await query({ mode: 'table', metric: 'bytes', dimensions: ['src_ip', 'src_port', 'dst_ip', 'dst_port'], filters: [{ dimension: 'src_ip', op: '=', values: [attacker] }], topN: 5 });
  const ports = column(flows!, 'src_port');
  const bytes = column(flows!, 'bytes') as number[];
  assert.equal(Number(ports[0]), plan.scenario.loginSourcePort);
  assert.equal(column(flows!, 'dst_ip')[0], jumpHost);
  assert.ok(bytes[0]! > 20 * bytes[1]!, `login ${bytes[0]} vs next ${bytes[1]}`);

  // Its start: the first minute with traffic of that source port is T0.
  const series = await query({ mode: 'timeseries', metric: 'flows', dimensions: [], filters: [{ dimension: 'src_ip', op: '=', values: [attacker] }, { dimension: 'src_port', op: '=', values: [String(ports[0])] }], from: plan.scenario.t0 - 3_600_000, to: plan.scenario.t0 + 3_600_000, intervalMs: 60_000 });
  const times = column(series[0]!, 'time') as number[];
  const values = column(series[0]!, 'flows') as number[];
  const opened = times.filter((_, i) => values[i]! > 0);
  assert.deepEqual(opened, [plan.scenario.t0]);
});

test('the query npm start prints names the attacker in its first row', async () => {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: topSshSourcesQuery(plan.endMs) });
  assert.equal(response.statusCode, 200, response.body);
  const [frame] = (response.json() as { frames: Frame[] }).frames;
  assert.equal(column(frame!, 'src_ip')[0], plan.scenario.attacker);
  assert.equal(column(frame!, 'src_country')[0], plan.scenario.attackerCountry);
});

test('denied traffic moved no data: every denied flow is one counted attempt without bytes', async () => {
  // A denied ssh attempt was once generated as B + E tuples with counters, so a denied group could show
  // bytes, or 0 flows where only its E tuple fell inside a dashboard's range.
  const [denied] = await query({ mode: 'table', metric: 'flows', dimensions: ['src_country'], filters: [{ dimension: 'action', op: '=', values: ['deny'] }], topN: 200 });
  const flows = column(denied!, 'flows') as number[];
  assert.ok(flows.length > 0);
  assert.deepEqual(flows.filter((n) => !(n > 0)), []);
  const [bytes] = await query({ mode: 'table', metric: 'bytes', dimensions: ['action'], filters: [{ dimension: 'action', op: '=', values: ['deny'] }] });
  assert.deepEqual(column(bytes!, 'bytes'), [0]);
});

test('the denied sweep during the brute force: one internet source tried hundreds of the jump host\'s ports, every one denied', async () => {
  const { sweepSource, sweepPorts, sweepStart, sweepMinutes, jumpHost } = plan.scenario;
  const [sources] = await query({ mode: 'table', metric: 'flows', dimensions: ['src_ip', 'dst_ip'], filters: [{ dimension: 'action', op: '=', values: ['deny'] }], topN: 2 });
  assert.equal(column(sources!, 'src_ip')[0], sweepSource);
  assert.equal(column(sources!, 'dst_ip')[0], jumpHost);
  const attempts = column(sources!, 'flows') as number[];
  assert.equal(attempts[0], sweepPorts.length);
  assert.ok(attempts[0]! > 20 * (attempts[1] ?? 0), `sweep ${attempts[0]} vs next ${attempts[1]}`);
  // Each port once, never ssh (which the jump host allows), all inside the sweep's minutes.
  const [ports] = await query({ mode: 'table', metric: 'unique_dst_ports', dimensions: [], filters: [{ dimension: 'src_ip', op: '=', values: [sweepSource] }, { dimension: 'action', op: '=', values: ['deny'] }] });
  assert.deepEqual(column(ports!, 'unique_dst_ports'), [sweepPorts.length]);
  const [ssh] = await query({ mode: 'table', metric: 'flows', dimensions: [], filters: [{ dimension: 'src_ip', op: '=', values: [sweepSource] }, { dimension: 'dst_port', op: '=', values: ['22'] }] });
  assert.deepEqual(column(ssh!, 'flows'), [0]);
  const [during] = await query({ mode: 'table', metric: 'flows', dimensions: [], from: sweepStart, to: sweepStart + sweepMinutes * 60_000, filters: [{ dimension: 'src_ip', op: '=', values: [sweepSource] }] });
  assert.deepEqual(column(during!, 'flows'), [sweepPorts.length]);
});
