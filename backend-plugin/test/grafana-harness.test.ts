import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { after, before, describe, it } from 'node:test';
import { Type, TimeUnit } from 'apache-arrow';
import { column, decodeFrame as decode, fieldMeta } from './support/decodeFrame';
import { defaultFlowQuery, FlowQueryModel, ProxyFrame, toProxyRequest } from '../../src/shared/flowQuery';
import { fitPointBudget } from '../src/compile';
import { EXECUTABLE_ARM64, qemuArm64Missing, startPlugin, PluginHost } from './support/grafanaHost';
import { freePort, RealProxy, startRealProxy } from '../../src/datasource/testing/realProxy';

// Grafana played by this test: the built executable (dist/datasource/gpx_flowatlas_linux_amd64; the
// arm64 one under qemu at the end)
// against a real backend-proxy with demo data, every call over gRPC as Grafana makes it.

const TOKEN = 'backend-plugin-test-token';
const now = Date.now();
// absolute, as alerting sends it; the demo's flows lie within the last three weeks
const range = { fromEpochMS: now - 22 * 24 * 3_600_000, toEpochMS: now };

interface ProvisionedRule {
  uid: string;
  data: Array<{ refId: string; datasourceUid: string; relativeTimeRange: { from: number; to: number }; model: any }>;
}

/** The FlowAtlas-query alert rules Grafana provisions, read from the file it loads. */
function provisionedRules(): ProvisionedRule[] {
  const file = YAML.parse(fs.readFileSync(path.resolve(__dirname, '../../provisioning/alerting/flowatlas-datasource-rules.yaml'), 'utf8'));
  return file.groups.flatMap((g: { rules: unknown[] }) => g.rules) as ProvisionedRule[];
}

const ruleQuery = (rule: ProvisionedRule) => rule.data.find((d) => d.refId === 'A')!;
const ruleThreshold = (rule: ProvisionedRule): number => rule.data.find((d) => d.refId === 'C')!.model.conditions[0].evaluator.params[0];

/** The alert rule tests' demo and evaluation times (backend-proxy, an ES module: loaded at run time). */
interface AlertDemo {
  alertDemoPlan(options: { seed: number; now: number; scenario: boolean }): { endMs: number };
  quietTimes(plan: { endMs: number }): number[];
}
const proxyModule = (file: string) => pathToFileURL(path.resolve(__dirname, '../../backend-proxy/src', file)).href;

let proxy: RealProxy;
let plugin: PluginHost;
let ports = { min: 0, max: 0 };

function pluginContext(proxyUrl: string, token = TOKEN) {
  return {
    orgId: 1,
    pluginId: 'flowatlas-flows-datasource',
    dataSourceInstanceSettings: {
      id: 1,
      uid: 'flowatlas',
      name: 'FlowAtlas',
      jsonData: Buffer.from(JSON.stringify({ proxyUrl, timeout: 60 })),
      decryptedSecureJsonData: token ? { token } : {},
    },
  };
}

/** A DataQuery as alerting sends one: the saved model as JSON, intervalMs 1000, maxDataPoints 43200. */
function alertQuery(refId: string, model: Partial<FlowQueryModel>) {
  const json = { ...defaultFlowQuery(), ...model, refId, datasource: { type: 'flowatlas-flows-datasource', uid: 'flowatlas' } };
  return { refId, maxDataPoints: 43200, intervalMS: 1000, timeRange: range, json: Buffer.from(JSON.stringify(json)), queryType: '' };
}

/** The proxy's own answer to the same model, compiled by the same shared module. */
async function proxyAnswer(model: Partial<FlowQueryModel>): Promise<ProxyFrame[]> {
  const full = { ...defaultFlowQuery(), ...model };
  const maxDataPoints = fitPointBudget(full, 43200);
  const body = toProxyRequest(full, { from: range.fromEpochMS, to: range.toEpochMS, intervalMs: 1000, maxDataPoints });
  const response = await fetch(`${proxy.url}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  return ((await response.json()) as { frames: ProxyFrame[] }).frames;
}


const series: Partial<FlowQueryModel> = { mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], topN: 3, other: true };
const sshTable: Partial<FlowQueryModel> = {
  mode: 'table',
  metric: 'flows',
  aggregation: 'total',
  dimensions: ['src_ip', 'dst_port'],
  filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'direction', op: '=', values: ['inbound'] }] },
  topN: 5,
  other: true,
};
const bidiTable: Partial<FlowQueryModel> = { mode: 'table', metric: 'bytes', aggregation: 'total', dimensions: ['src_site'], topN: 3, bidirectional: true };

before(async () => {
  const base = await freePort();
  ports = { min: base, max: base + 20 };
  [proxy, plugin] = await Promise.all([startRealProxy({ token: TOKEN, demoFlows: 20_000 }), startPlugin(ports)]);
});

after(async () => {
  await plugin?.kill();
  await proxy?.stop();
});

describe('the backend executable, driven as Grafana drives it', () => {
  it('answers the go-plugin handshake on its first stdout line, within the offered ports', () => {
    assert.match(plugin.handshake, /^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc$/);
    assert.ok(plugin.port >= ports.min && plugin.port <= ports.max, `port ${plugin.port}`);
  });

  it('serves grpc.health.v1.Health for the service "plugin"', async () => {
    assert.deepEqual(await plugin.call('health', 'Check', { service: 'plugin' }), { status: 'SERVING' });
  });

  it('CheckHealth reads like Save & test', async () => {
    const res = await plugin.call('diagnostics', 'CheckHealth', { pluginContext: pluginContext(proxy.url) });
    assert.equal(res.status, 'OK');
    assert.match(res.message, /^Connected to FlowAtlas on TimescaleDB .*: [\d,]+ flow rows, newest flow \d{4}-\d\d-\d\dT/);
  });

  it('QueryData: several alert-shaped queries, each answered with frames in the shapes alerting accepts', async () => {
    const res = await plugin.call('data', 'QueryData', {
      pluginContext: pluginContext(proxy.url),
      headers: {},
      queries: [alertQuery('A', series), alertQuery('B', sshTable), alertQuery('C', bidiTable)],
    });
    assert.deepEqual(Object.keys(res.responses).sort(), ['A', 'B', 'C']);
    for (const refId of ['A', 'B', 'C']) {
      assert.equal(res.responses[refId].error, '', `${refId}: ${res.responses[refId].error}`);
      assert.equal(res.responses[refId].frames.length, 1, refId);
    }

    // A: one wide time series frame, ns timestamps, one Float64 field per series with its labels
    const expectedA = await proxyAnswer(series);
    const a = decode(res.responses.A.frames[0]);
    assert.equal(a.schema.metadata.get('refId'), 'A');
    assert.equal(a.schema.metadata.get('name'), 'bits_per_second');
    const metaA = JSON.parse(a.schema.metadata.get('meta')!);
    assert.equal(metaA.type, 'timeseries-wide');
    assert.match(metaA.executedQueryString, /select/i);
    const time = a.schema.fields[0];
    assert.equal(time.type.typeId, Type.Timestamp);
    assert.equal((time.type as { unit: TimeUnit }).unit, TimeUnit.NANOSECOND);
    const proxyTimes = expectedA[0].fields[0].values as number[];
    // 1 s over 22 days would be 1.9 M points: the step widens to keep 4 series within the proxy's cap
    assert.ok(proxyTimes.length > 100 && proxyTimes.length <= 2500, `points per series: ${proxyTimes.length}`);
    assert.equal(a.numRows, proxyTimes.length);
    const ns = a.batch.getChildAt(0)!.data[0].values as BigInt64Array;
    assert.equal(ns[0], BigInt(proxyTimes[0]) * 1_000_000n);
    assert.equal(ns[ns.length - 1], BigInt(proxyTimes[proxyTimes.length - 1]) * 1_000_000n);
    assert.equal(a.numCols, 1 + expectedA.length);
    assert.ok(expectedA.length >= 2, 'top 3 sites plus Other');
    const labelSets = new Set<string>();
    expectedA.forEach((frame, i) => {
      const field = a.schema.fields[i + 1];
      assert.equal(field.type.typeId, Type.Float);
      assert.equal(field.name, 'bits_per_second');
      assert.deepEqual(fieldMeta(a, i + 1, 'labels'), frame.fields[1].labels);
      assert.equal(fieldMeta(a, i + 1, 'config').unit, 'bps');
      assert.deepEqual(Array.from(column(a, i + 1)), frame.fields[1].values);
      labelSets.add(JSON.stringify(frame.fields[1].labels));
    });
    assert.equal(labelSets.size, expectedA.length, 'every series has a distinct label set');

    // B: numeric table; dimensions (the numeric dst_port too) as plain Utf8 label columns
    const [expectedB] = await proxyAnswer(sshTable);
    const b = decode(res.responses.B.frames[0]);
    assert.equal(JSON.parse(b.schema.metadata.get('meta')!).type, 'numeric-long');
    assert.deepEqual(b.schema.fields.map((f) => [f.name, Type[f.type.typeId]]), [
      ['src_ip', 'Utf8'],
      ['dst_port', 'Utf8'],
      ['flows', 'Float'],
    ]);
    const rows = expectedB.fields[2].values.length;
    assert.ok(rows >= 2);
    assert.equal(b.numRows, rows);
    assert.deepEqual(Array.from(column(b, 0)), expectedB.fields[0].values.map((v, i) => (i === rows - 1 ? 'Other' : String(v))));
    assert.deepEqual(Array.from(column(b, 1)), expectedB.fields[1].values.map((v, i) => (i === rows - 1 ? 'Other' : String(v))));
    assert.deepEqual(Array.from(column(b, 2)), expectedB.fields[2].values);
    assert.equal(column(b, 1)[0], '22');

    // C: bidirectional table → one number field, forward and reverse rows told apart by `direction`
    const [expectedC] = await proxyAnswer(bidiTable);
    const c = decode(res.responses.C.frames[0]);
    assert.deepEqual(c.schema.fields.map((f) => f.name), ['src_site', 'direction', 'bytes']);
    const n = expectedC.fields[0].values.length;
    assert.deepEqual(Array.from(column(c, 1)), [...Array(n).fill('forward'), ...Array(n).fill('reverse')]);
    assert.deepEqual(Array.from(column(c, 2)), [...expectedC.fields[1].values, ...expectedC.fields[2].values]);
    const pairs = new Set(Array.from({ length: c.numRows }, (_, i) => `${column(c, 0)[i]}|${column(c, 1)[i]}`));
    assert.equal(pairs.size, c.numRows, 'distinct label sets');
  });

  it('a bad query gets its error in its DataResponse while the other queries succeed', async () => {
    const res = await plugin.call('data', 'QueryData', {
      pluginContext: pluginContext(proxy.url),
      queries: [
        alertQuery('bad', { mode: 'table', dimensions: ['no_such_dimension'] }),
        { refId: 'broken', timeRange: range, json: Buffer.from('{not json'), intervalMS: 1000, maxDataPoints: 43200 },
        alertQuery('good', { mode: 'table', metric: 'flows', dimensions: [], topN: 1 }),
      ],
    });
    assert.match(res.responses.bad.error, /^FlowAtlas: .*no_such_dimension.*\(field dimensions\[0\]\)/);
    assert.equal(res.responses.bad.status, 400);
    assert.equal(res.responses.bad.frames.length, 0);
    assert.equal(res.responses.broken.error, 'FlowAtlas: the query model is not valid JSON');
    assert.equal(res.responses.good.error, '');
    const good = decode(res.responses.good.frames[0]);
    assert.ok((column(good, 0)[0] as number) > 0);
  });

  it('CheckHealth with a wrong token is ERROR, although the open /api/health answers', async () => {
    const res = await plugin.call('diagnostics', 'CheckHealth', { pluginContext: pluginContext(proxy.url, 'wrong') });
    assert.equal(res.status, 'ERROR');
    assert.equal(res.message, 'Cannot reach the FlowAtlas proxy: missing or wrong bearer token (check the token)');
  });

  it('a wrong token is a per-query error naming the status, not a crash', async () => {
    const res = await plugin.call('data', 'QueryData', { pluginContext: pluginContext(proxy.url, 'wrong'), queries: [alertQuery('A', series)] });
    assert.equal(res.responses.A.status, 401);
    assert.match(res.responses.A.error, /^FlowAtlas: /);
  });

  it('a proxy that is down: CheckHealth ERROR with a clear message, queries answer with errors', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const health = await plugin.call('diagnostics', 'CheckHealth', { pluginContext: pluginContext(closed) });
    assert.equal(health.status, 'ERROR');
    assert.equal(health.message, `Cannot reach the FlowAtlas proxy: cannot connect to ${closed} (ECONNREFUSED)`);
    const res = await plugin.call('data', 'QueryData', { pluginContext: pluginContext(closed), queries: [alertQuery('A', series), alertQuery('B', sshTable)] });
    for (const refId of ['A', 'B']) {
      assert.equal(res.responses[refId].error, `FlowAtlas: cannot connect to ${closed} (ECONNREFUSED)`);
    }
    const unset = await plugin.call('diagnostics', 'CheckHealth', { pluginContext: pluginContext('') });
    assert.equal(unset.status, 'ERROR');
    assert.match(unset.message, /proxy URL is not set/);
  });

  it('logs JSON lines with @level, @message and @timestamp on stderr', () => {
    assert.ok(plugin.stderrLines.length > 0);
    for (const line of plugin.stderrLines) {
      const entry = JSON.parse(line);
      assert.ok(['trace', 'debug', 'info', 'warn', 'error'].includes(entry['@level']), line);
      assert.equal(typeof entry['@message'], 'string');
      assert.match(entry['@timestamp'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
  });

  it('the provisioned FlowAtlas alert rules fire at the worst moment of the demo story', async () => {
    const rules = provisionedRules();
    assert.deepEqual(rules.map((r) => r.uid).sort(), ['flowatlas-ds-brute-force', 'flowatlas-ds-data-leaving-country', 'flowatlas-ds-internal-scan']);
    const firstLabels: Record<string, unknown> = {};
    for (const rule of rules) {
      const query = ruleQuery(rule);
      assert.equal(query.datasourceUid, 'flowatlas');
      const threshold = ruleThreshold(rule);
      const windowMs = query.relativeTimeRange.from * 1000;
      // the busiest window of the rule's own length in the last week (the story lies 1.5 to 6 days
      // back): a time series of the same query, its top groups, window-long buckets
      const probe = { ...defaultFlowQuery(), ...query.model, mode: 'timeseries' as const, topN: 4, other: false };
      const week = { from: now - 7 * 24 * 3_600_000, to: now };
      const body = toProxyRequest(probe, { ...week, intervalMs: windowMs, maxDataPoints: 2100 });
      const response = await fetch(`${proxy.url}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
      const { frames } = (await response.json()) as { frames: ProxyFrame[] };
      let from = 0;
      let best = -Infinity;
      for (const f of frames) {
        (f.fields[1].values as number[]).forEach((v, i) => {
          if (v > best) {
            best = v;
            from = (f.fields[0].values as number[])[i];
          }
        });
      }
      // the rule's query at that moment, as Grafana sends it (absolute range, alert defaults)
      const res = await plugin.call('data', 'QueryData', {
        pluginContext: pluginContext(proxy.url),
        queries: [{ ...alertQuery('A', query.model), timeRange: { fromEpochMS: from, toEpochMS: from + windowMs } }],
      });
      assert.equal(res.responses.A.error, '', `${rule.uid}: ${res.responses.A.error}`);
      const table = decode(res.responses.A.frames[0]);
      assert.equal(JSON.parse(table.schema.metadata.get('meta')!).type, 'numeric-long', rule.uid);
      const labels = table.schema.fields.filter((f) => f.type.typeId === Type.Utf8).map((f) => f.name);
      assert.deepEqual(labels, query.model.dimensions, rule.uid);
      const top = column(table, labels.length)[0] as number;
      firstLabels[rule.uid] = column(table, 0)[0];
      assert.ok(top > threshold, `${rule.uid}: ${top} at ${new Date(from).toISOString()} is not above ${threshold}`);
    }
    // the story's jump host scans inside and its site sends the data out: azure-eastus is 10.10.0.0/16
    assert.match(String(firstLabels['flowatlas-ds-internal-scan']), /^10\.10\./);
    assert.equal(firstLabels['flowatlas-ds-data-leaving-country'], 'azure-eastus');
  });

  it('the provisioned FlowAtlas alert rules stay quiet on the same background without the attack', async () => {
    // The SQL rules' background-only check (backend-proxy/src/alerting/alert-rules.test.ts) with
    // the same demo and evaluation times, here on a second proxy holding only the background.
    const demo = (await import(proxyModule('alerting/alert-demo.ts'))) as AlertDemo;
    const { loadDemo } = (await import(proxyModule('demo/load.ts'))) as {
      loadDemo(url: string, token: string, plan: unknown): Promise<{ tuples: number; rejected: number }>;
    };
    const seed = Number(process.env.FLOWATLAS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`background-only alert demo seed ${seed} (set FLOWATLAS_TEST_SEED to replay)`);
    const quiet = await startRealProxy({ token: TOKEN, demoFlows: 0 });
    try {
      const plan = demo.alertDemoPlan({ seed, now, scenario: false });
      const loaded = await loadDemo(quiet.url, TOKEN, plan);
      assert.ok(loaded.tuples > 0 && loaded.rejected === 0, JSON.stringify(loaded));
      const rules = provisionedRules();
      const rows = new Map(rules.map((r) => [r.uid, 0]));
      for (const at of demo.quietTimes(plan)) {
        // one request per evaluation time, each rule's query over its own window, as Grafana sends a rule group
        const queries = rules.map((rule) => {
          const { relativeTimeRange: window, model } = ruleQuery(rule);
          return { ...alertQuery(rule.uid, model), timeRange: { fromEpochMS: at - window.from * 1000, toEpochMS: at - window.to * 1000 } };
        });
        const res = await plugin.call('data', 'QueryData', { pluginContext: pluginContext(quiet.url), queries });
        for (const rule of rules) {
          const answer = res.responses[rule.uid];
          assert.equal(answer.error, '', `${rule.uid}: ${answer.error}`);
          const table = answer.frames.length ? decode(answer.frames[0]) : null;
          const values = table ? (column(table, table.numCols - 1) as number[]) : [];
          rows.set(rule.uid, rows.get(rule.uid)! + values.length);
          const firing = values.filter((v) => v > ruleThreshold(rule));
          assert.deepEqual([rule.uid, new Date(at).toISOString(), firing], [rule.uid, new Date(at).toISOString(), []]);
        }
      }
      // not vacuous: each rule's query found background traffic to judge
      for (const [uid, n] of rows) assert.ok(n > 0, `${uid} found no rows at any evaluation`);
    } finally {
      await quiet.stop();
    }
  });

  it('GRPCController/Shutdown makes it exit cleanly', async () => {
    await plugin.call('controller', 'Shutdown', {});
    assert.equal(await plugin.exited, 0);
  });
});

// The arm64 build is the same bundle in an arm64 node binary; on an x86 machine it runs under
// qemu-user (slow, so the checks are the protocol essentials, not the whole suite again).
const arm64Missing = qemuArm64Missing();
describe('the linux/arm64 executable', { skip: arm64Missing ?? false }, () => {
  let arm: PluginHost;
  before(async () => {
    const base = await freePort();
    arm = await startPlugin({ min: base, max: base + 20 }, 120_000, { executable: EXECUTABLE_ARM64, emulateArm64: true });
  });
  after(async () => {
    await arm?.kill();
  });

  it('handshakes, reports health and answers QueryData exactly as the amd64 build does', async () => {
    assert.match(arm.handshake, /^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc$/);
    assert.deepEqual(await arm.call('health', 'Check', { service: 'plugin' }), { status: 'SERVING' });
    const health = await arm.call('diagnostics', 'CheckHealth', { pluginContext: pluginContext(proxy.url) });
    assert.equal(health.status, 'OK', health.message);
    const res = await arm.call('data', 'QueryData', { pluginContext: pluginContext(proxy.url), headers: {}, queries: [alertQuery('B', sshTable)] });
    assert.equal(res.responses.B.error, '');
    const table = decode(res.responses.B.frames[0]);
    const expected = (await proxyAnswer(sshTable))[0];
    const flows = expected.fields.find((f) => f.name === 'flows')!.values as number[];
    assert.deepEqual(column(table, table.numCols - 1), flows);
  });

  it('exits cleanly on GRPCController/Shutdown', async () => {
    await arm.call('controller', 'Shutdown', {});
    assert.equal(await arm.exited, 0);
  });
});
if (arm64Missing) console.log(`[test:backend] linux/arm64 executable not tested: ${arm64Missing}`);
