import { DataQueryRequest, dateTime, FieldType } from '@grafana/data';
import { lastValueFrom, toArray } from 'rxjs';
import { defaultFlowQuery, FilterGroup, filterToText } from '../shared/flowQuery';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/instanceSettings';
import { httpBackendSrv } from './testing/httpBackendSrv';
import { RealProxy, startRealProxy } from './testing/realProxy';
import { FlowQuery } from './types';

// The data source class against the real backend-proxy, started here on its embedded TimescaleDB
// with a small seeded demo dataset. Only backendSrv is replaced, by real HTTP through the route.
// The provisioned dashboards' queries are run the same way in src/dashboards.test.ts.

const TOKEN = 'contract-test-token';
const INSTANCE_URL = '/api/datasources/proxy/uid/flowatlas';
let backend: ReturnType<typeof httpBackendSrv> | undefined;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from './datasource';

let proxy: RealProxy | undefined;

const settings = instanceSettings({ url: INSTANCE_URL, jsonData: { proxyUrl: 'set in beforeAll', timeout: 60 } });

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
  proxy = await startRealProxy({ token: TOKEN, demoFlows: 20_000 });
  backend = httpBackendSrv(INSTANCE_URL, proxy.url, TOKEN);
  ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
}, 240_000);

afterAll(async () => {
  await proxy?.stop();
}, 60_000);

describe('contract with the real backend-proxy', () => {
  it('Save & test reports the database, row count and newest flow', async () => {
    const result = await ds.testDatasource();
    expect(result.status).toBe('success');
    expect(result.message).toMatch(/^Connected to FlowAtlas on TimescaleDB [\d.]+.*: [\d,]+ flow rows, newest flow \d{4}-\d\d-\d\dT/);
  });

  it('Save & test with a wrong token fails and says to check the token', async () => {
    const good = backend;
    backend = httpBackendSrv(INSTANCE_URL, proxy!.url, 'not-the-token');
    try {
      await expect(ds.testDatasource()).resolves.toEqual({
        status: 'error',
        message: 'Cannot reach the FlowAtlas proxy: missing or wrong bearer token (check the token)',
      });
    } finally {
      backend = good;
    }
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
    const sites = new Set<string>();
    for (const f of frames) {
      expect(f.fields[0].type).toBe(FieldType.time);
      expect(f.fields[1].config.unit).toBe('b/s');
      // values only: "azure-eastus", "azure-eastus (reverse)", never the proxy's "src_site=azure-eastus"
      const name: string = f.fields[1].config.displayNameFromDS;
      expect(name).not.toContain('=');
      expect(name.endsWith(' (reverse)')).toBe(f.fields[1].config.custom?.transform === 'negative-Y');
      sites.add(name.replace(' (reverse)', ''));
    }
    expect(sites.size).toBe(forward.length);

    // Without dimensions the series are named after their query, so A and B differ.
    const plain = await lastValueFrom(ds.query(request({ mode: 'timeseries', metric: 'bytes', dimensions: [], bidirectional: true })));
    expect(plain.data.map((f: { fields: Array<{ config: { displayNameFromDS?: string } }> }) => f.fields[1].config.displayNameFromDS)).toEqual(['A', 'A (reverse)']);
  }, 60_000);

  it('topology: nodes with coordinates and totals, one edge per pair carrying both directions, border crossings', async () => {
    const res = await lastValueFrom(ds.query(request({ mode: 'topology', metric: 'bytes', level: 'country', topN: 20 })));
    expect(res.errors).toBeUndefined();
    const byName: Record<string, any> = Object.fromEntries(res.data.map((f: { name: string }) => [f.name, f]));
    expect(Object.keys(byName).sort()).toEqual(['edges', 'nodes']);
    expect(byName.nodes.meta.preferredVisualisationType).toBe('nodeGraph');
    const column = (frame: any, name: string): any[] => {
      const field = frame.fields.find((f: { name: string }) => f.name === name);
      expect(field).toBeDefined();
      return [...field.values];
    };
    const nodeIds: string[] = column(byName.nodes, 'id');
    const nodeTotal = new Map(nodeIds.map((id, i) => [id, column(byName.nodes, 'mainstat')[i] as number]));
    const lat = column(byName.nodes, 'latitude');
    const lon = column(byName.nodes, 'longitude');
    const country = column(byName.nodes, 'country');
    expect(nodeIds.length).toBeGreaterThan(2);
    nodeIds.forEach((id, i) => {
      // a country node is its country, placed at its centroid
      if (id !== 'unknown') {
        expect(country[i]).toBe(id);
        expect(lat[i]).toBeGreaterThanOrEqual(-90);
        expect(lat[i]).toBeLessThanOrEqual(90);
        expect(lon[i]).toBeGreaterThanOrEqual(-180);
        expect(lon[i]).toBeLessThanOrEqual(180);
      }
    });
    expect(lat.some((v) => typeof v === 'number' && v !== 0)).toBe(true);

    const source: string[] = column(byName.edges, 'source');
    const target: string[] = column(byName.edges, 'target');
    const total: number[] = column(byName.edges, 'mainstat');
    const aToB: number[] = column(byName.edges, 'detail__a_to_b');
    const bToA: number[] = column(byName.edges, 'detail__b_to_a');
    const crosses: boolean[] = column(byName.edges, 'crosses_border');
    // one edge per unordered pair, never a node to itself, both ends among the nodes
    expect(new Set(source.map((a, i) => [a, target[i]].sort().join('|'))).size).toBe(source.length);
    source.forEach((a, i) => {
      expect(a).not.toBe(target[i]);
      expect(nodeIds).toEqual(expect.arrayContaining([a, target[i]]));
      expect(total[i]).toBe(aToB[i] + bToA[i]);
      // two different countries: every country-level edge crosses a border
      expect(crosses[i]).toBe(true);
    });
    // replies come back: some edges carry traffic both ways
    expect(aToB.some((v, i) => v > 0 && bToA[i] > 0)).toBe(true);
    // a node's total is the traffic on its edges, both directions
    for (const id of nodeIds) {
      const onEdges = source.reduce((sum, a, i) => (a === id || target[i] === id ? sum + total[i] : sum), 0);
      expect(nodeTotal.get(id)).toBe(onEdges);
    }

    // the same bytes through the table engine: grouped by both countries, pairs of two different ones
    const table = await lastValueFrom(
      ds.query(request({ mode: 'table', metric: 'bytes', aggregation: 'total', dimensions: ['src_country', 'dst_country'], topN: 1000, other: false }))
    );
    const [pairs] = table.data;
    const src = column(pairs, 'src_country').map((c) => c ?? 'unknown');
    const dst = column(pairs, 'dst_country').map((c) => c ?? 'unknown');
    const bytes: number[] = column(pairs, 'bytes');
    const crossing = bytes.reduce((sum, v, i) => (src[i] !== dst[i] ? sum + v : sum), 0);
    expect(total.reduce((a, b) => a + b, 0)).toBe(crossing);

    // at site level an edge crosses a border exactly when its ends lie in different countries (or a row did)
    const sites = await lastValueFrom(ds.query(request({ mode: 'topology', metric: 'bytes', level: 'site', topN: 20 })));
    const siteFrames: Record<string, any> = Object.fromEntries(sites.data.map((f: { name: string }) => [f.name, f]));
    const siteCountry = new Map(column(siteFrames.nodes, 'id').map((id, i) => [id, column(siteFrames.nodes, 'country')[i]]));
    const siteCrosses: boolean[] = column(siteFrames.edges, 'crosses_border');
    column(siteFrames.edges, 'source').forEach((a, i) => {
      const b = column(siteFrames.edges, 'target')[i];
      const [ca, cb] = [siteCountry.get(a), siteCountry.get(b)];
      if (ca && cb && ca !== cb) {
        expect(siteCrosses[i]).toBe(true);
      }
    });
    expect(siteCrosses).toContain(true);
  }, 60_000);

  it("bidirectional table: each row's reverse column is the traffic towards its group, as the engine answers it by the other side", async () => {
    const res = await lastValueFrom(
      ds.query(request({ mode: 'table', metric: 'bytes', aggregation: 'total', dimensions: ['src_site'], topN: 50, other: false, bidirectional: true }))
    );
    expect(res.errors).toBeUndefined();
    const [frame] = res.data;
    expect(frame.fields.map((f: { name: string }) => f.name)).toEqual(['src_site', 'bytes', 'bytes_reverse']);
    const [sites, forward, reverse] = frame.fields;
    expect(forward.labels).toEqual({ direction: 'forward' });
    expect(reverse.labels).toEqual({ direction: 'reverse' });
    expect(forward.config.displayNameFromDS).toBe('Bytes');
    expect(reverse.config.displayNameFromDS).toBe('Bytes (reverse)');
    expect(reverse.config.custom?.transform).toBe('negative-Y');
    expect(forward.config.unit).toBe(reverse.config.unit);

    const bySide = async (dimension: 'src_site' | 'dst_site') => {
      const r = await lastValueFrom(ds.query(request({ mode: 'table', metric: 'bytes', aggregation: 'total', dimensions: [dimension], topN: 50, other: false })));
      const [f] = r.data;
      return new Map<unknown, number>(f.fields[0].values.map((v: unknown, i: number) => [v, f.fields[1].values[i]]));
    };
    const fromSite = await bySide('src_site');
    const toSite = await bySide('dst_site');
    expect(sites.values.length).toBeGreaterThan(1);
    sites.values.forEach((site: unknown, i: number) => {
      expect(forward.values[i]).toBe(fromSite.get(site));
      expect(reverse.values[i]).toBe(toSite.get(site) ?? 0);
    });
    expect(reverse.values.some((v: number) => v > 0)).toBe(true);
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

    await expect(ds.validateFilterText('dst_port = 22 and (')).rejects.toMatchObject({ status: 400, line: 1, column: 20 });
    await expect(ds.validateFilterText('dst_port = 22')).resolves.toMatchObject({ ok: true });
  }, 60_000);

  it('validate underlines what the query would reject, at the position typed, variables and all', async () => {
    // semantic errors, not only syntax: each is what /api/v1/query answers with a 400
    await expect(ds.validateFilterText('bogus_dim = 3')).rejects.toMatchObject({ status: 400, field: 'filterText', line: 1, column: 1 });
    await expect(ds.validateFilterText('dst_port = 22 and src_ip cidr 10.0.0/8')).rejects.toMatchObject({
      line: 1,
      column: 19,
      message: expect.stringContaining('"10.0.0/8" is not an IP address or CIDR prefix'),
    });
    const withVars = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ host: '10.10.1.4', net: 'not-a-net' }));
    await expect(withVars.validateFilterText('src_ip = $host and dst_port = 22')).resolves.toMatchObject({ ok: true });
    // the proxy sees src_ip = '10.10.1.4' and (, the editor underlines the end of what was typed
    await expect(withVars.validateFilterText('src_ip = $host and (')).rejects.toMatchObject({ line: 1, column: 21 });
    await expect(withVars.validateFilterText('dst_port = 22 and\n  src_ip cidr $net')).rejects.toMatchObject({ line: 2, column: 3 });
    // the builder's tree of a text keeps the variable references
    await expect(withVars.filterTextToTree('src_ip = $host and not dst_port in (22, 2222)')).resolves.toEqual({
      op: 'and',
      rules: [
        { dimension: 'src_ip', op: '=', values: ['$host'] },
        { dimension: 'dst_port', op: 'in', values: ['22', '2222'], not: true },
      ],
    });
  }, 60_000);

  it("builder → text → builder through the engine's own parser: keyword values, quotes, lists, IPv6, variables", async () => {
    const tree: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'rule', op: '=', values: ['and'] },
        { dimension: 'resource', op: 'not_in', values: ['OR', "it's", 'a b', 'exists'] },
        {
          op: 'or',
          not: true,
          rules: [
            { dimension: 'dst_port', op: 'in', values: ['22', '2222'] },
            { dimension: 'src_ip', op: 'cidr', values: ['2001:db8::/32'], not: true },
          ],
        },
        { dimension: 'src_ip', op: '=', values: ['$host'] },
        { dimension: 'rule', op: 'like', values: ['nsg-$env%'] },
        { dimension: 'mac', op: 'exists', values: [] },
        { dimension: 'resource', op: 'in', values: ["it's", 'a\\b', 'two\nlines'] },
      ],
    };
    const withVars = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ host: '10.10.1.4', env: 'prod' }));
    const text = filterToText(tree);
    await expect(withVars.filterTextToTree(text)).resolves.toEqual(tree);
    // and it runs: the proxy accepts the text with the variables' values in it
    await expect(withVars.validateFilterText(text)).resolves.toMatchObject({ ok: true });
    // a skeleton rule with several values prints as a list and comes back as one
    const several: FilterGroup = { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22', '2222'] }] };
    await expect(ds.filterTextToTree(filterToText(several))).resolves.toEqual({ op: 'and', rules: [{ dimension: 'dst_port', op: 'in', values: ['22', '2222'] }] });
  }, 60_000);

  it('ad hoc regex filters match what the regex matches, or are refused by name', async () => {
    const byResource = (filters: Array<{ key: string; operator: string; value: string }>) =>
      lastValueFrom(ds.query({ ...request({ mode: 'table', metric: 'flows', dimensions: ['resource'], topN: 50 }), filters }));
    const all = (await byResource([])).data[0].fields[0].values as string[];
    const eastus = await byResource([{ key: 'resource', operator: '=~', value: 'EASTUS-.*' }]);
    expect(eastus.errors).toBeUndefined();
    expect(eastus.data[0].fields[0].values.length).toBeGreaterThan(0);
    expect([...eastus.data[0].fields[0].values].sort()).toEqual(all.filter((r) => /^(?:EASTUS-.*)$/.test(r)).sort());
    const others = await byResource([{ key: 'resource', operator: '!~', value: '^EASTUS-.*$' }]);
    expect([...others.data[0].fields[0].values].sort()).toEqual(all.filter((r) => !/^EASTUS-/.test(r)).sort());

    const refused = await byResource([{ key: 'resource', operator: '=~', value: '[A-Z]+-NSG' }]);
    expect(refused.data).toEqual([]);
    expect(refused.errors?.[0].message).toMatch(/ad hoc filter resource =~ "\[A-Z\]\+-NSG"/);
  }, 60_000);

  it('dimensions come grouped by the categories the editor shows', async () => {
    const dims = await ds.getDimensions();
    expect(dims.map((d) => d.name)).toEqual(expect.arrayContaining(['src_ip', 'dst_port', 'src_country', 'action']));
    expect(new Set(dims.map((d) => d.category))).toEqual(new Set(['addresses', 'ports & apps', 'geography', 'cloud & sites', 'firewall']));
    const values = await ds.getDimensionValues('dst_port', '2', 10);
    expect(values).toContain('22');
  }, 60_000);
});
