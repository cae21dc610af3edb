import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planDemo } from '../demo/generate.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { withTransaction } from '../db/pool.js';
import { READER_RELATIONS, READER_ROLE } from '../db/migrations/005-reader-role.js';
import { expandGrafanaMacros } from './grafana-macros.js';

/**
 * The query editor's "Copy as alert SQL" (src/shared/alertSql.ts, the plugin's own module) on a
 * real database: every SQL it writes runs as the read-only role over the aggregate views and
 * must give exactly the numbers the proxy answers for the same query and window — the point of
 * exporting a query instead of writing the rule's SQL by hand. Demo data from a random seed.
 */
type Model = Record<string, unknown>;
type AlertSql = { toAlertSql(model: Model, filter?: unknown): { ok: true; sql: string; relation: string } | { ok: false; reason: string } };
type FlowQuery = { defaultFlowQuery(): Model; toProxyRequest(model: Model, ctx: { from: number; to: number }): Record<string, unknown> };

// The plugin's modules live outside this package (no rootDir for them here): loaded at run time.
const shared = (file: string) => import(pathToFileURL(fileURLToPath(new URL(`../../../src/shared/${file}`, import.meta.url))).href);
const seed = Number(process.env.FLOWATLAS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const HOUR = 3_600_000;
let t: TestApp;
let alertSql: AlertSql;
let flowQuery: FlowQuery;
let window: { from: number; to: number };

before(async () => {
  console.log(`alert SQL export seed ${seed} (set FLOWATLAS_TEST_SEED to replay)`);
  alertSql = (await shared('alertSql.ts')) as AlertSql;
  flowQuery = (await shared('flowQuery.ts')) as FlowQuery;
  t = await openTestApp();
  const now = Date.now();
  const plan = planDemo({ seed, flows: 20_000, days: 2, now, locate: (ip) => sharedGeoLocator().country(ip) });
  for (const body of plan.bodies()) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-nsg?source=${encodeURIComponent(body.source)}`, payload: body.json, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 200, r.body);
  }
  await t.refresher.refresh();
  if (t.db.timescale) for (const view of READER_RELATIONS) await t.db.pool.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
  // Whole minutes (the views' buckets): the last 12 hours of the data, starting mid-hour.
  window = { from: plan.endMs - 12 * HOUR + 17 * 60_000, to: plan.endMs };
});

after(async () => {
  await t?.close();
});

/** The proxy's answer: group key → value. */
async function proxyAnswer(model: Model): Promise<Map<string, number | null>> {
  const body = flowQuery.toProxyRequest(model, window);
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: body });
  assert.equal(r.statusCode, 200, r.body);
  const frame = (r.json() as { frames: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }).frames[0]!;
  const dims = (model.dimensions as string[]).map((d) => frame.fields.find((f) => f.name === d)!.values);
  const metric = frame.fields.find((f) => f.name === model.metric)!.values;
  return new Map(metric.map((v, i) => [dims.map((d) => String(d[i] ?? '')).join('|'), v === null ? null : Number(v)]));
}

/** The exported SQL, macros expanded as Grafana does, run as the read-only role: group key → value. */
async function sqlAnswer(model: Model, sql: string): Promise<Map<string, number | null>> {
  const rows = await withTransaction(t.db.pool, async (client) => {
    await client.query(`SET LOCAL ROLE ${READER_ROLE}`);
    return (await client.query(expandGrafanaMacros(sql, { fromMs: window.from, toMs: window.to }))).rows as Record<string, unknown>[];
  });
  return new Map(
    rows.map((row) => {
      const labels = (model.dimensions as string[]).map((d) => {
        // alert labels are text
        assert.ok(row[d] === null || typeof row[d] === 'string', `${d} is ${typeof row[d]}`);
        return String(row[d] ?? '');
      });
      const v = row[model.metric as string];
      return [labels.join('|'), v === null ? null : Number(v)];
    })
  );
}

function assertSameNumbers(name: string, expected: Map<string, number | null>, actual: Map<string, number | null>): void {
  assert.ok(expected.size > 0, `${name}: the proxy found something to compare`);
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), name);
  for (const [key, want] of expected) {
    const got = actual.get(key)!;
    if (want === null || got === null) assert.equal(got, want, `${name} ${key}`);
    else assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${name} ${key}: SQL ${got}, proxy ${want}`);
  }
}

const rule = (dimension: string, op: string, ...values: string[]) => ({ dimension, op, values });
const QUERIES: Array<[string, Model]> = [
  ['bytes leaving the estate by source country and protocol', { metric: 'bytes', dimensions: ['src_country', 'protocol'], filter: { op: 'and', rules: [rule('src_inside', '=', 'inside'), rule('dst_inside', '=', 'outside')] } }],
  ['bits/s by application, denied excluded', { metric: 'bits_per_second', dimensions: ['application'], filter: { op: 'and', rules: [rule('action', '!=', 'deny')] } }],
  ['bytes per flow by destination site, rows without a site kept by !=', { metric: 'bytes_per_flow', dimensions: ['dst_site'], filter: { op: 'and', rules: [rule('dst_site', '!=', 'azure-eastus')] } }],
  ['packets by action for (CN or RU) or not inside', { metric: 'packets', dimensions: ['action'], filter: { op: 'or', rules: [rule('src_country', 'in', 'CN', 'RU'), { ...rule('src_inside', '=', 'inside'), not: true }] } }],
  ['flows/s in total, as a time series query', { mode: 'timeseries', metric: 'flows_per_second', dimensions: [], filter: { op: 'and', rules: [rule('protocol', '=', 'tcp')] } }],
  ['ssh/rdp connections per source (the brute-force rule)', { metric: 'flows', dimensions: ['src_ip', 'src_country'], filter: { op: 'and', rules: [rule('dst_port', 'in', '22', '3389'), rule('protocol', '=', 'tcp'), rule('dst_inside', '=', 'inside')] } }],
  ['connections between inside hosts per pair and port, ports below 1024', { metric: 'flows', dimensions: ['src_ip', 'dst_ip', 'dst_port'], filter: { op: 'and', rules: [rule('src_ip', 'cidr', '10.0.0.0/8'), rule('dst_inside', '=', 'inside'), rule('dst_port', '<', '1024')] } }],
  ['bytes by source site and whether they crossed a border (unknown kept as its own group)', { metric: 'bytes', dimensions: ['src_site', 'crosses_border'], filter: { op: 'and', rules: [] } }],
  ['connections leaving a country per source and destination country', { metric: 'flows', dimensions: ['src_ip', 'dst_country'], filter: { op: 'and', rules: [rule('crosses_border', '=', 'true'), rule('src_inside', '=', 'inside')] } }],
  ['connections not from 10/8 by destination country', { metric: 'flows', dimensions: ['dst_country'], filter: { op: 'and', rules: [rule('src_ip', 'not_cidr', '10.0.0.0/8')] } }],
];

for (const [name, patch] of QUERIES) {
  test(`alert SQL = the proxy's answer: ${name}`, async () => {
    const model = { ...flowQuery.defaultFlowQuery(), mode: 'table', aggregation: 'total', topN: 1000, ...patch };
    const exported = alertSql.toAlertSql(model);
    assert.ok(exported.ok, exported.ok ? '' : exported.reason);
    const expected = await proxyAnswer({ ...model, mode: 'table' });
    if (exported.relation === 'flow_connections_1m') {
      // That view keeps only rows that open a connection: a group with none (say, only reply
      // rows) has no row there, where the proxy lists it with 0. No instance vs an instance at 0.
      for (const [key, v] of expected) if (v === 0) expected.delete(key);
    }
    assertSameNumbers(name, expected, await sqlAnswer(model, exported.sql));
  });
}

test('the SQL reads only what the read-only role may read', () => {
  for (const [, patch] of QUERIES) {
    const exported = alertSql.toAlertSql({ ...flowQuery.defaultFlowQuery(), mode: 'table', ...patch });
    assert.ok(exported.ok);
    assert.ok((READER_RELATIONS as readonly string[]).includes(exported.relation), exported.relation);
    assert.deepEqual([...exported.sql.matchAll(/\bFROM\s+(\w+)/g)].map((m) => m[1]), [exported.relation]);
  }
});
