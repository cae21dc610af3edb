/**
 * POST /api/v1/query over HTTP: rollup answers include what was ingested a moment before (also
 * late rows below the materialized range), explain runs nothing, and every refusal is a clear
 * 4xx that says where.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { nsgBlob, type DemoTuple } from '../demo/nsg-tuples.js';
import { prng } from '../query/oracle-reference.js';
import { planQuery } from '../query/index.js';
import { runPlan } from '../execute/run-plan.js';
import type { Frame } from '../query/types.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { loadNetworkConfig } from '../enrich/networks.js';
import { DEMO_NETWORKS, openTestApp, type TestApp } from '../test-support/app.js';
import { openTestDatabase } from '../test-support/database.js';

const H = 3_600_000;
// Recent hours: older minutes than the minute level's retention (30 days) are not kept there.
const BASE = Math.floor(Date.now() / H) * H - 8 * H;
let t: TestApp;

before(async () => {
  t = await openTestApp({ FLOWATLAS_MAX_ROWS: '2000', FLOWATLAS_MAX_SERIES: '20' });
});
after(async () => t.close());

const HOSTS = ['10.10.1.4', '10.10.2.7', '10.20.0.9', '172.16.3.3', '172.20.1.1', '85.12.3.4', '203.0.113.9'];

function tuples(rand: () => number, count: number, fromMs: number, spanMs: number): DemoTuple[] {
  return Array.from({ length: count }, () => {
    const src = HOSTS[Math.floor(rand() * HOSTS.length)]!;
    const dst = HOSTS.filter((h) => h !== src)[Math.floor(rand() * (HOSTS.length - 1))]!;
    return {
      nsg: 'nsg-test',
      rule: 'UserRule_AllowAll',
      mac: '000D3A000001',
      ts: Math.floor((fromMs + rand() * spanMs) / 1000),
      src,
      dst,
      sport: 40000 + Math.floor(rand() * 1000),
      dport: [22, 443, 3306, 53][Math.floor(rand() * 4)]!,
      proto: 'T',
      dir: rand() < 0.5 ? 'I' : 'O',
      action: rand() < 0.1 ? 'D' : 'A',
      state: 'E',
      counters: [1 + Math.floor(rand() * 50), 100 + Math.floor(rand() * 100_000), Math.floor(rand() * 50), Math.floor(rand() * 100_000)],
    };
  });
}

async function ingest(source: string, list: DemoTuple[]): Promise<void> {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/v1/ingest/azure-nsg?source=${encodeURIComponent(source)}`,
    payload: nsgBlob(list, '00000000-0000-0000-0000-000000000001'),
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(r.statusCode, 200, r.body);
}

async function query(body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: body });
  return { status: r.statusCode, json: r.json() };
}

function frames(json: Record<string, unknown>): Frame[] {
  return json.frames as Frame[];
}

test('a rollup answer includes rows ingested a moment ago, also late rows below the materialized range', async () => {
  const rand = prng(3);
  await ingest('first.json', tuples(rand, 400, BASE, 3 * H));
  await t.refresher.refresh({ untilMs: Date.now() - 60_000 });
  // Late rows for hours that are already materialized, queried right away (no background refresh yet).
  await ingest('late.json', tuples(rand, 200, BASE, 3 * H));
  const range = { from: BASE, to: BASE + 3 * H };
  // `src_ip exists` is true for every row and needs a raw column: the same question on raw rows.
  const asked = [
    { ...range, metric: 'bytes', dimensions: ['application', 'dst_site'], topN: 20, other: true, bidirectional: true },
    { ...range, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['action'], topN: 3, intervalMs: 60_000, bidirectional: true },
    { ...range, mode: 'topology', level: 'site', metric: 'bytes' },
  ];
  for (const body of asked) {
    const rollup = await query(body);
    const raw = await query({ ...body, filterText: 'src_ip exists' });
    assert.equal(rollup.status, 200, JSON.stringify(rollup.json));
    const table = (frames(rollup.json)[0]!.meta.custom as { table: string }).table;
    assert.notEqual(table, 'raw', `${JSON.stringify(body)} reads a rollup`);
    assert.equal((frames(raw.json)[0]!.meta.custom as { table: string }).table, 'raw');
    assert.deepEqual(frames(rollup.json).map((f) => f.fields), frames(raw.json).map((f) => f.fields), JSON.stringify(body));
  }
});

test('explain answers {sql, params, table, reason} and runs nothing', async () => {
  const r = await query({ from: BASE, to: BASE + 3 * H, metric: 'bytes', dimensions: ['src_ip'], filterText: 'dst_port = 22', explain: true });
  assert.equal(r.status, 200);
  const explain = r.json.explain as { sql: string; params: unknown[]; table: string; reason: string };
  assert.deepEqual(Object.keys(explain).sort(), ['params', 'reason', 'sql', 'table']);
  assert.equal(explain.table, 'raw');
  assert.match(explain.reason, /src_ip/);
  assert.match(explain.sql, /^SELECT d0, v FROM \(SELECT src_ip AS d0/);
  assert.ok(explain.params.includes(22));
  assert.equal(r.json.frames, undefined);
});

test('every frame carries the $n values of its executedQueryString in meta.custom.params, as explain has them', async () => {
  const asked = [
    { from: BASE, to: BASE + 3 * H, metric: 'bytes', dimensions: ['src_ip'], filterText: 'dst_port in (22, 3306)', topN: 4, other: true },
    { from: BASE, to: BASE + 3 * H, mode: 'timeseries', metric: 'flows', dimensions: ['action'], filterText: 'dst_port = 22', intervalMs: 3_600_000 },
    { from: BASE, to: BASE + 3 * H, mode: 'topology', level: 'country', metric: 'bytes', filterText: 'dst_port = 443' },
  ];
  for (const body of asked) {
    const explain = (await query({ ...body, explain: true })).json.explain as { sql: string; params: unknown[] };
    const answer = await query(body);
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    for (const frame of frames(answer.json)) {
      assert.equal(frame.meta.executedQueryString, explain.sql);
      assert.deepEqual((frame.meta.custom as { params: unknown[] }).params, explain.params, JSON.stringify(body));
    }
  }
});

test('refusals are 4xx that say where: unknown names, filter text positions, series / point caps', async () => {
  const range = { from: BASE, to: BASE + 3 * H };
  const unknown = await query({ ...range, dimensions: ['application', 'src_planet'] });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.json.field, 'dimensions[1]');
  assert.match(String(unknown.json.message), /unknown dimension "src_planet"/);

  const syntax = await query({ ...range, filterText: 'dst_port = 22 and\n  (src_country in (CN, RU) or )' });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.json.field, 'filterText');
  assert.equal(syntax.json.line, 2);
  assert.equal(syntax.json.column, 31);
  assert.ok(Array.isArray(syntax.json.expected) && (syntax.json.expected as string[]).length > 0, JSON.stringify(syntax.json));

  const badValue = await query({ ...range, filterText: 'dst_port = 22 and src_ip = 10.1.2' });
  assert.equal(badValue.status, 400);
  assert.deepEqual([badValue.json.line, badValue.json.column], [1, 19]);

  const series = await query({ ...range, mode: 'timeseries', dimensions: ['dst_ip'], topN: 15, bidirectional: true });
  assert.equal(series.status, 422);
  assert.equal(series.json.field, 'topN');

  // Too many points is not a refusal: the step is widened and the frames carry a notice Grafana shows.
  const points = await query({ from: BASE, to: BASE + 24 * H, mode: 'timeseries', intervalMs: 1000, maxDataPoints: 100_000 });
  assert.equal(points.status, 200, JSON.stringify(points.json));
  const notices = (points.json.frames as { meta: { notices?: { text: string }[] } }[]).map((f) => f.meta.notices?.[0]?.text);
  assert.ok(notices.length > 0 && notices.every((n) => /^step widened from 1 s to /.test(n ?? '')), JSON.stringify(notices));

  const topology = await query({ ...range, mode: 'topology', metric: 'unique_src_ips' });
  assert.equal(topology.status, 400);
  assert.equal(topology.json.field, 'metric');
});

test('times at the ends of the supported range answer; beyond them a 400 naming the field, not a 500', async () => {
  const whole = await query({ from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z', metric: 'flows', dimensions: ['action'] });
  assert.equal(whole.status, 200, JSON.stringify(whole.json));
  const days = await query({ from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z', mode: 'timeseries', intervalMs: 86_400_000 });
  assert.equal(days.status, 200, JSON.stringify(days.json));
  assert.equal(frames(days.json)[0]!.fields[0]!.values.length, 30);
  for (const [body, field] of [
    [{ from: 0, to: 1e16 }, 'to'],
    [{ from: '0000-01-01T00:00:00Z', to: 'now' }, 'from'],
    [{ from: 'now-1d', to: 'now', mode: 'timeseries', intervalMs: 1e15 }, 'intervalMs'],
  ] as const) {
    const r = await query(body);
    assert.equal(r.status, 400, JSON.stringify(r.json));
    assert.equal(r.json.field, field);
  }
});

test('text no stored value can hold (U+0000) and a repeated prefix are 400s, not database errors', async () => {
  const range = { from: BASE, to: BASE + 3 * H };
  const rule = await query({ ...range, dimensions: ['src_ip'], filters: [{ dimension: 'src_country', op: '!=', values: ['a\u0000b'] }] });
  assert.equal(rule.status, 400, JSON.stringify(rule.json));
  assert.equal(rule.json.field, 'filters[0].values[0]');
  const text = await query({ ...range, filterText: 'dst_port = 22 and rule like "%\u0000%"' });
  assert.equal(text.status, 400, JSON.stringify(text.json));
  assert.deepEqual([text.json.field, text.json.line, text.json.column], ['filterText', 1, 19]);
  for (const search of ['prefix=%00', 'prefix=U&prefix=N']) {
    const r = await t.app.inject({ method: 'GET', url: `/api/v1/dimensions/src_country/values?${search}` });
    assert.equal(r.statusCode, 400, r.body);
    assert.equal(r.json().field, 'prefix');
  }
  const one = await t.app.inject({ method: 'GET', url: '/api/v1/dimensions/rule/values?prefix=User' });
  assert.deepEqual(one.json().values, ['UserRule_AllowAll']);
});

test('a query stopped by the time limit is a 503 that says so, and the next query runs', async (t) => {
  if (!process.env.TEST_DATABASE_URL) {
    // The embedded server serves one connection at a time: nothing else can hold the lock below.
    t.skip('needs a second connection (TEST_DATABASE_URL)');
    return;
  }
  const db = await openTestDatabase({ statementTimeoutMs: 300 });
  const networks = loadNetworkConfig(DEMO_NETWORKS);
  const built = await buildApp({ config: loadConfig({ FLOWATLAS_DATA_DIR: '' }), db, networks: () => networks, geo: null });
  const blocker = await db.pool.connect();
  try {
    // Another session holds the table: the query waits, and statement_timeout ends the wait.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE flows IN ACCESS EXCLUSIVE MODE');
    const body = { from: BASE, to: BASE + H, metric: 'bytes', dimensions: ['src_ip'] };
    const slow = await built.app.inject({ method: 'POST', url: '/api/v1/query', payload: body });
    assert.equal(slow.statusCode, 503, slow.body);
    assert.match(slow.json().message, /longer than the configured time limit/);
    await blocker.query('ROLLBACK');
    const again = await built.app.inject({ method: 'POST', url: '/api/v1/query', payload: body });
    assert.equal(again.statusCode, 200, again.body);
  } finally {
    blocker.release();
    await built.app.close();
    await db.close();
  }
});

test('more rows than the row cap are a 422 naming what to change; topology names its level', async () => {
  await ingest('caps.json', tuples(prng(11), 300, BASE, 3 * H));
  const ctx = { timescale: t.db.timescale, now: Date.now(), rollups: t.refresher.rollups(), sites: [], limits: { maxRows: 3, maxSeries: 20, maxTopN: 1000 } };
  const range = { from: BASE, to: BASE + 3 * H, metric: 'bytes' };
  await assert.rejects(runPlan(t.db.pool, planQuery({ ...range, dimensions: ['src_ip', 'dst_ip'], topN: 50 }, ctx), { maxRows: 3 }), (err: Error & { statusCode?: number; field?: string }) => {
    assert.equal(err.statusCode, 422);
    assert.equal(err.field, undefined);
    assert.equal(err.message, 'the query returned more than 3 rows; narrow the time range, add filters or lower topN');
    return true;
  });
  await assert.rejects(runPlan(t.db.pool, planQuery({ ...range, mode: 'topology', level: 'country' }, ctx), { maxRows: 3 }), (err: Error & { statusCode?: number; field?: string }) => {
    assert.equal(err.statusCode, 422);
    assert.equal(err.field, 'level');
    assert.equal(err.message, 'level: more than 3 node pairs; choose a coarser level or filter');
    return true;
  });
  // Within the cap the same plan answers.
  const within = await runPlan(t.db.pool, planQuery({ ...range, dimensions: ['action'], topN: 3 }, ctx), { maxRows: 3 });
  assert.ok(within.frames[0]!.fields[0]!.values.length >= 1);
});

test('a LIKE pattern ending in a lone escape character is a 400 at its position, not a 500 once a row reaches it', async () => {
  const range = { from: BASE, to: BASE + 3 * H, dimensions: ['rule'] };
  const text = await query({ ...range, filterText: 'dst_port = 22 and rule like "User\\\\"' });
  assert.equal(text.status, 400, JSON.stringify(text.json));
  assert.deepEqual([text.json.field, text.json.line, text.json.column], ['filterText', 1, 19]);
  const json = await query({ ...range, filters: [{ dimension: 'rule', op: 'not_like', values: ['x', 'User%\\'] }] });
  assert.equal(json.status, 400, JSON.stringify(json.json));
  assert.equal(json.json.field, 'filters[0].values[1]');
  // An escaped backslash is a literal one: no rule ends with one.
  const literal = await query({ ...range, filterText: 'rule like "User%\\\\\\\\"' });
  assert.equal(literal.status, 200, JSON.stringify(literal.json));
  assert.deepEqual(frames(literal.json)[0]!.fields[0]!.values, []);
});

test('a prefix dimension filtered by an address of the network finds that network, as cidr does', async () => {
  const range = { from: BASE, to: BASE + 3 * H, metric: 'flows', dimensions: ['src_ip/24'] };
  const byCidr = await query({ ...range, filterText: 'src_ip cidr 10.10.1.0/24' });
  const total = frames(byCidr.json)[0]!.fields[1]!.values[0];
  assert.ok(Number(total) > 0, JSON.stringify(byCidr.json));
  for (const filterText of ['src_ip/24 = 10.10.1.0', 'src_ip/24 = 10.10.1.4', 'src_ip/24 in (10.10.1.77/24, 2001:db8::1)', 'not src_ip/24 != 10.10.1.9']) {
    const r = await query({ ...range, filterText });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const [frame] = frames(r.json);
    assert.deepEqual([frame!.fields[0]!.values, frame!.fields[1]!.values], [['10.10.1.0/24'], [total]], filterText);
  }
  // An IPv6 network in the form sent as the parameter reads back on this database too.
  const v6 = await query({ ...range, dimensions: [], filterText: 'dst_ip/64 != 2001:db8:1:2::1 and src_ip cidr 10.10.1.0/24' });
  assert.deepEqual(frames(v6.json)[0]!.fields[0]!.values, [total]);
});

test('a time series whose points just fit the row cap also counts its rank rows: the step widens instead of a 422', async () => {
  await ingest('cap-edge.json', tuples(prng(12), 300, BASE, 3 * H));
  const ctx = { timescale: t.db.timescale, now: Date.now(), rollups: t.refresher.rollups(), sites: [], limits: { maxRows: 3, maxSeries: 20, maxTopN: 1000 } };
  // One group with traffic in each of 3 hourly buckets: 3 points, and the group's rank row.
  const plan = planQuery({ from: BASE, to: BASE + 3 * H, mode: 'timeseries', metric: 'bytes', dimensions: ['source_type'], topN: 1, intervalMs: H }, ctx);
  const answer = await runPlan(t.db.pool, plan, { maxRows: 3 });
  assert.match(plan.explain.notice ?? '', /^step widened from 3600 s to 10800 s/);
  const [frame] = answer.frames;
  assert.equal(answer.frames.length, 1);
  // 3-hour buckets aligned to the epoch: the three hours lie in one or two of them.
  const times = frame!.fields[0]!.values as number[];
  assert.ok(times.length <= 2 && times.every((ms) => ms % (3 * H) === 0) && times[0]! <= BASE, JSON.stringify(times));
  assert.ok((frame!.fields[1]!.values as number[]).some((v) => v > 0));
});

test('a query whose client goes away is cancelled on the server, and the next query runs', async (t) => {
  if (!process.env.TEST_DATABASE_URL) {
    // PGlite runs a statement to its end; only the server can cancel one from a second connection.
    t.skip('needs a database server (TEST_DATABASE_URL)');
    return;
  }
  const db = await openTestDatabase({});
  const networks = loadNetworkConfig(DEMO_NETWORKS);
  const built = await buildApp({ config: loadConfig({ FLOWATLAS_DATA_DIR: '' }), db, networks: () => networks, geo: null });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (built.app.server.address() as AddressInfo).port;
  const blocker = await db.pool.connect();
  // Asked on a connection of its own: inside the blocker's transaction pg_stat_activity is a snapshot.
  const waiting = async (): Promise<number> =>
    Number((await db.pool.query(`SELECT count(*) AS n FROM pg_stat_activity
      WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%src_ip AS d0%'`)).rows[0].n);
  try {
    // Another session holds the table, so the query waits on the lock until it is cancelled.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE flows IN ACCESS EXCLUSIVE MODE');
    const body = JSON.stringify({ from: BASE, to: BASE + H, metric: 'bytes', dimensions: ['src_ip'] });
    const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/query', headers: { 'content-type': 'application/json' } });
    request.on('error', () => undefined);
    request.end(body);
    for (let i = 0; i < 100 && (await waiting()) === 0; i++) await delay(50);
    assert.equal(await waiting(), 1, 'the query waits on the lock');
    request.destroy();
    for (let i = 0; i < 100 && (await waiting()) > 0; i++) await delay(50);
    assert.equal(await waiting(), 0, 'the abandoned query no longer waits on the server');
    await blocker.query('ROLLBACK');
    const again = await built.app.inject({ method: 'POST', url: '/api/v1/query', payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(again.statusCode, 200, again.body);
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
    await built.app.close();
    await db.close();
  }
});
