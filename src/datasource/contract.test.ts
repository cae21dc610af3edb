import { spawn, ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { DataQueryRequest, DataSourceInstanceSettings, dateTime, FieldType } from '@grafana/data';
import { lastValueFrom, toArray } from 'rxjs';
import { defaultFlowQuery } from '../shared/flowQuery';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { httpBackendSrv } from './testing/httpBackendSrv';
import { FlowAtlasOptions, FlowQuery } from './types';

// The data source class against the real backend-proxy, started here on its embedded TimescaleDB
// with a small seeded demo dataset. Only backendSrv is replaced, by real HTTP through the route.

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'contract-test-token';
const INSTANCE_URL = '/api/datasources/proxy/uid/flowatlas';
let backend: ReturnType<typeof httpBackendSrv> | undefined;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from './datasource';

let proxy: ChildProcess | undefined;
let dataDir = '';
let output = '';

/** A free loopback port (start.ts loads the demo through config.port, so port 0 cannot be used). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts `backend-proxy` (src/cli/start.ts via tsx) and resolves with its URL once the demo is loaded. */
async function startProxy(): Promise<string> {
  const port = await freePort();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowatlas-contract-'));
  proxy = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: path.join(ROOT, 'backend-proxy'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      FLOWATLAS_DATA_DIR: dataDir,
      FLOWATLAS_PORT: String(port),
      FLOWATLAS_HOST: '127.0.0.1',
      FLOWATLAS_TOKEN: TOKEN,
      FLOWATLAS_DEMO_FLOWS: '20000',
      FLOWATLAS_DEMO_SEED: String(1 + Math.floor(Math.random() * 1e6)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /FlowAtlas is ready: (http:\/\/\S+)/.exec(output);
      if (ready) {
        resolve(ready[1]);
      }
    };
    proxy!.stdout!.on('data', onData);
    proxy!.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    proxy!.once('exit', (code) => reject(new Error(`backend-proxy exited (${code}):\n${output}`)));
  });
}

const settings = {
  id: 1,
  uid: 'flowatlas',
  type: 'flowatlas-flows-datasource',
  name: 'FlowAtlas',
  url: INSTANCE_URL,
  access: 'proxy',
  jsonData: { proxyUrl: 'set in beforeAll', timeoutSeconds: 60 },
  meta: {},
} as unknown as DataSourceInstanceSettings<FlowAtlasOptions>;

const now = Date.now();
function request(target: Partial<FlowQuery>): DataQueryRequest<FlowQuery> {
  return {
    requestId: 'contract',
    panelId: Math.floor(Math.random() * 1e9),
    interval: '1h',
    intervalMs: 3_600_000,
    maxDataPoints: 200,
    range: { from: dateTime(now - 22 * 24 * 3_600_000), to: dateTime(now + 60_000), raw: { from: 'now-22d', to: 'now' } },
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: now,
    targets: [{ ...defaultFlowQuery(), refId: 'A', ...target }],
  };
}

let ds: FlowAtlasDataSource;

beforeAll(async () => {
  const url = await startProxy();
  backend = httpBackendSrv(INSTANCE_URL, url, TOKEN);
  ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
}, 240_000);

afterAll(async () => {
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((resolve) => proxy!.once('exit', resolve));
    proxy.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe('contract with the real backend-proxy', () => {
  it('Save & test reports the database, row count and newest flow', async () => {
    const result = await ds.testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Connected to FlowAtlas on TimescaleDB [\d.]+.*: [\d,]+ flow rows, newest flow \d{4}-\d\d-\d\dT/);
  });

  it('step 1 table: ssh sources by IP and country, the top one is foreign', async () => {
    const res = await lastValueFrom(
      ds.query(
        request({
          mode: 'table',
          metric: 'flows',
          aggregation: 'total',
          dimensions: ['src_ip', 'src_country'],
          filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'direction', op: '=', values: ['inbound'] }] },
          topN: 5,
          other: true,
        })
      )
    );
    expect(res.errors).toBeUndefined();
    const [frame] = res.data;
    const names = frame.fields.map((f: { name: string }) => f.name);
    expect(names).toEqual(['src_ip', 'src_country', 'flows']);
    const flows = frame.fields[2];
    expect(flows.type).toBe(FieldType.number);
    expect(flows.config.unit).toBeDefined();
    expect(flows.values[0]).toBeGreaterThan(flows.values[1]);
    expect(frame.fields[1].values[0]).not.toBe('US');
    expect(frame.meta.executedQueryString).toMatch(/select/i);
    expect(frame.meta.custom.table).toBe('raw');
  }, 60_000);

  it('time series and bidirectional time series: reverse twins drawn negative-Y', async () => {
    const responses = await lastValueFrom(
      ds.query(request({ mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], topN: 3, bidirectional: true })).pipe(toArray())
    );
    const frames = responses.flatMap((r) => r.data);
    expect(responses.every((r) => !r.errors)).toBe(true);
    expect(frames.length).toBeGreaterThan(1);
    const reverse = frames.filter((f) => f.fields[1].config.custom?.transform === 'negative-Y');
    const forward = frames.filter((f) => f.fields[1].config.custom?.transform !== 'negative-Y');
    expect(reverse.length).toBe(forward.length);
    for (const f of frames) {
      expect(f.fields[0].type).toBe(FieldType.time);
      expect(f.fields[1].config.unit).toBe('bps');
      expect(f.fields[1].config.displayNameFromDS).toBeTruthy();
    }
  }, 60_000);

  it('topology: nodes and edges frames for the node graph', async () => {
    const res = await lastValueFrom(ds.query(request({ mode: 'topology', metric: 'bytes', level: 'country', topN: 20 })));
    expect(res.errors).toBeUndefined();
    const byName: Record<string, any> = Object.fromEntries(res.data.map((f: { name: string }) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['edges', 'nodes']);
    expect(byName.nodes.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['id', 'title', 'mainstat']));
    expect(byName.edges.fields.map((f: { name: string }) => f.name)).toEqual(expect.arrayContaining(['id', 'source', 'target']));
    expect(byName.nodes.meta.preferredVisualisationType).toBe('nodeGraph');
  }, 60_000);

  it('text filters, variables from metricFindQuery, and errors naming the field', async () => {
    const sources = await ds.metricFindQuery('src_ip where dst_port = 22 and direction = inbound', {
      range: request({}).range,
    });
    expect(sources.length).toBeGreaterThan(0);

    const text = await lastValueFrom(
      ds.query(request({ mode: 'table', metric: 'bytes', dimensions: ['dst_port'], filterMode: 'text', filterText: `src_ip = ${sources[0].text}` }))
    );
    expect(text.errors).toBeUndefined();
    expect(text.data[0].fields[0].values).toContain(22);

    const bad = await lastValueFrom(ds.query(request({ dimensions: ['no_such_dimension'] })));
    expect(bad.errors?.[0].message).toMatch(/no_such_dimension.*\(field dimensions\[0\]\)/);

    await expect(ds.validateFilterText('dst_port = 22 and (')).rejects.toMatchObject({ status: 400, data: { line: 1 } });
    await expect(ds.validateFilterText('dst_port = 22')).resolves.toMatchObject({ ok: true });
  }, 60_000);

  it('dimensions come grouped by the categories the editor shows', async () => {
    const dims = await ds.getDimensions();
    expect(dims.map((d) => d.name)).toEqual(expect.arrayContaining(['src_ip', 'dst_port', 'src_country', 'action']));
    expect(new Set(dims.map((d) => d.category))).toEqual(new Set(['addresses', 'ports & apps', 'geography', 'cloud & sites', 'firewall']));
    const values = await ds.getDimensionValues('dst_port', '2', 10);
    expect(values).toContain('22');
  }, 60_000);

  it('the provisioned "Flow forensics" dashboard walks steps 1 and 2 on the seeded story', async () => {
    const dashboard = JSON.parse(fs.readFileSync(path.join(ROOT, 'provisioning/dashboards/flow-forensics.json'), 'utf8'));
    const variable = (name: string) => dashboard.templating.list.find((v: { name: string }) => v.name === name);
    const range = request({}).range;
    const values: Record<string, string> = {};
    for (const name of ['jump_host', 'suspect']) {
      const query = new FakeTemplateSrv(values).replace(variable(name).query);
      const found = await ds.metricFindQuery(query, { range });
      expect([name, found.length > 0]).toEqual([name, true]);
      // Grafana selects the first option of a fresh query variable: the busiest one
      values[name] = String(found[0].value);
    }
    expect(values.jump_host).toMatch(/^10\.10\./);

    const withVars = new FlowAtlasDataSource(settings, new FakeTemplateSrv(values));
    const run = async (titleStart: string) => {
      const panel = dashboard.panels.find((p: { title: string; type: string }) => p.title.startsWith(titleStart));
      const responses = await lastValueFrom(withVars.query({ ...request({}), targets: panel.targets }).pipe(toArray()));
      expect(responses.flatMap((r) => r.errors ?? [])).toEqual([]);
      return responses.flatMap((r) => r.data);
    };

    const [step1] = await run('Step 1');
    expect(step1.fields[0].values[0]).toBe(values.suspect);
    expect(step1.fields[1].values[0]).not.toBe('US');

    const [step2] = await run('Step 2 · top flows');
    const bytes = step2.fields.find((f: { name: string }) => f.name === 'bytes').values as number[];
    // the successful login moved far more data than any failed attempt
    expect(bytes[0]).toBeGreaterThan(10 * bytes[1]);
    expect(step2.fields.find((f: { name: string }) => f.name === 'dst_port').values[0]).toBe(22);

    const series = await run('Step 2 · traffic');
    expect(series.length).toBeGreaterThan(0);
  }, 60_000);
});
