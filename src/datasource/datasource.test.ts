import { DataQueryRequest, DataQueryResponse, dateTime } from '@grafana/data';
import { firstValueFrom, lastValueFrom, NEVER, Observable, of, Subject, toArray } from 'rxjs';
import { defaultFlowQuery, ProxyQueryRequest } from '../shared/flowQuery';
import { FakeBackendSrv, fetchError, ok } from './testing/fakeBackendSrv';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { instanceSettings } from './testing/instanceSettings';
import { FlowQuery } from './types';

const backend = new FakeBackendSrv();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

// imported after the mock so api.ts sees the fake transport
import { FlowAtlasDataSource, parseVariableQuery } from './datasource';

const settings = instanceSettings({ jsonData: { proxyUrl: 'http://backend-proxy:8686' } });

const FROM = 1_700_000_000_000;
const TO = FROM + 3_600_000;

function request(targets: Array<Partial<FlowQuery>>, patch: Partial<DataQueryRequest<FlowQuery>> = {}): DataQueryRequest<FlowQuery> {
  return {
    requestId: 'Q1',
    panelId: 7,
    dashboardUID: 'forensics',
    interval: '10s',
    intervalMs: 10_000,
    maxDataPoints: 360,
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    targets: targets.map((t, i) => ({ ...defaultFlowQuery(), refId: String.fromCharCode(65 + i), ...t })),
    ...patch,
  };
}

const tableResponse = {
  frames: [
    {
      fields: [
        { name: 'src_ip', type: 'string', values: ['203.0.113.7'] },
        { name: 'flows', type: 'number', values: [4211] },
      ],
      meta: { executedQueryString: 'SELECT src_ip, sum(flows) …' },
    },
  ],
};

function sentBodies(): ProxyQueryRequest[] {
  return backend.requests.filter((r) => r.options.url.endsWith('/api/v1/query')).map((r) => r.options.data);
}

beforeEach(() => {
  backend.requests.length = 0;
  backend.on('/api/v1/query', () => tableResponse);
});

describe('FlowAtlasDataSource.query', () => {
  it('posts through the token-injecting route and returns converted frames', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const res = await lastValueFrom(
      ds.query(request([{ mode: 'table', metric: 'flows', dimensions: ['src_ip'], filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] } }]))
    );
    const [call] = backend.requests;
    expect(call.options.url).toBe('/api/datasources/proxy/uid/flowatlas/flowatlas/api/v1/query');
    expect(call.options.method).toBe('POST');
    expect(call.options.headers?.Authorization).toBeUndefined();
    expect(call.options.data).toEqual({
      from: FROM,
      to: TO,
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] },
      topN: 10,
      other: false,
      maxDataPoints: 360,
      intervalMs: 10_000,
    });
    expect(res.data[0].fields[1].values).toEqual([4211]);
    expect(res.data[0].meta.executedQueryString).toBe('SELECT src_ip, sum(flows) …');
    expect(res.data[0].fields[0].config.links[0].url).toContain('&var-Filters=src_ip%7C%3D%7C');
  });

  it('drill-down links add to the ad hoc variable the settings name', async () => {
    const named = instanceSettings({ jsonData: { proxyUrl: 'http://backend-proxy:8686', adHocVariable: 'flow_filters' } });
    const ds = new FlowAtlasDataSource(named, new FakeTemplateSrv());
    const res = await lastValueFrom(ds.query(request([{ mode: 'table', metric: 'flows', dimensions: ['src_ip'] }])));
    expect(res.data[0].fields[0].config.links[0].url).toBe('?${__url.params}&var-flow_filters=src_ip%7C%3D%7C${__value.raw:percentencode}');
  });

  it('interpolates $var, ${var} and multi-value variables (= becomes in) and $__interval', async () => {
    const templateSrv = new FakeTemplateSrv({ suspect: '203.0.113.7', countries: ['CN', 'RU'], port: '22', dim: 'dst_ip' });
    const ds = new FlowAtlasDataSource(settings, templateSrv);
    await lastValueFrom(
      ds.query(
        request([
          {
            dimensions: ['$dim', 'dst_port'],
            filter: {
              op: 'and',
              rules: [
                { dimension: 'src_ip', op: '=', values: ['$suspect'] },
                { op: 'or', rules: [{ dimension: 'src_country', op: '!=', values: ['${countries}'] }, { dimension: 'dst_port', op: 'in', values: ['$port', '3389'] }] },
              ],
            },
          },
          { filterMode: 'text', filterText: 'src_country in ($countries) and bucket = $__interval' },
        ])
      ).pipe(toArray())
    );
    const [builder, text] = sentBodies();
    expect(builder.dimensions).toEqual(['dst_ip', 'dst_port']);
    expect(builder.filters).toEqual({
      op: 'and',
      rules: [
        { dimension: 'src_ip', op: '=', values: ['203.0.113.7'] },
        {
          op: 'or',
          rules: [
            { dimension: 'src_country', op: 'not_in', values: ['CN', 'RU'] },
            { dimension: 'dst_port', op: 'in', values: ['22', '3389'] },
          ],
        },
      ],
    });
    expect(text.filterText).toBe("src_country in ('CN', 'RU') and bucket = '10s'");
  });

  it('ANDs active ad hoc filters into every query', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const filters = [
      { key: 'src_country', operator: '=', value: 'CN' },
      { key: 'dst_port', operator: '=|', value: '', values: ['22', '2222'] },
      { key: 'resource', operator: '=~', value: 'nsg-.*' },
      { key: 'rule', operator: '!~', value: '^(Allow_100%|Deny)$' },
    ];
    await lastValueFrom(
      ds.query(request([{ filter: { op: 'or', rules: [{ dimension: 'action', op: '=', values: ['deny'] }] } }, {}], { filters })).pipe(toArray())
    );
    const adHoc = [
      { dimension: 'src_country', op: '=', values: ['CN'] },
      { dimension: 'dst_port', op: 'in', values: ['22', '2222'] },
      { dimension: 'resource', op: 'like', values: ['nsg-%'] },
      { dimension: 'rule', op: 'not_in', values: ['Allow_100%', 'Deny'] },
    ];
    const [a, b] = sentBodies();
    expect(a.filters).toEqual({ op: 'and', rules: [{ op: 'or', rules: [{ dimension: 'action', op: '=', values: ['deny'] }] }, ...adHoc] });
    expect(b.filters).toEqual({ op: 'and', rules: adHoc });
  });

  it('a new run of the same panel query cancels the previous request; other panels are not blocked', async () => {
    const first = new Subject<ReturnType<typeof ok>>();
    let calls = 0;
    backend.on('/api/v1/query', () => (++calls === 1 ? first : calls === 2 ? NEVER : of(ok(tableResponse))));
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());

    const seen: DataQueryResponse[] = [];
    let firstCompleted = false;
    ds.query(request([{}])).subscribe({ next: (r) => seen.push(r), complete: () => (firstCompleted = true) });
    expect(backend.requests[0].active).toBe(true);

    ds.query(request([{}], { requestId: 'Q2' })).subscribe();
    expect(backend.requests[0].active).toBe(false);
    expect(firstCompleted).toBe(true);
    expect(backend.requests[1].active).toBe(true);
    // the first answer arriving late is not delivered any more
    first.next(ok(tableResponse));
    expect(seen).toEqual([]);
    expect(backend.requests[0].options.requestId).toBe(backend.requests[1].options.requestId);

    const other = await firstValueFrom(ds.query(request([{}], { panelId: 8 })));
    expect(other.data).toHaveLength(1);
    expect(backend.requests[1].active).toBe(true);
  });

  it('maps proxy errors to a panel error naming the field, without failing sibling queries', async () => {
    backend.on('/api/v1/query', (options) =>
      (options.data as ProxyQueryRequest).dimensions.includes('bogus')
        ? new Observable((s) =>
            s.error(fetchError(400, { statusCode: 400, error: 'Bad Request', message: 'unknown dimension "bogus"', field: 'dimensions[1]' }))
          )
        : tableResponse
    );
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const responses = await lastValueFrom(ds.query(request([{ dimensions: ['src_ip', 'bogus'] }, {}])).pipe(toArray()));
    const failed = responses.find((r) => r.errors);
    expect(failed?.errors).toEqual([
      { refId: 'A', status: 400, field: 'dimensions[1]', message: 'FlowAtlas: unknown dimension "bogus" (field dimensions[1])' },
    ]);
    expect(responses.find((r) => !r.errors)?.data).toHaveLength(1);
  });

  it('reports filter text errors with their position', async () => {
    backend.on('/api/v1/query', () =>
      new Observable((s) =>
        s.error(fetchError(400, { statusCode: 400, error: 'Bad Request', message: 'expected a value', field: 'filterText', line: 1, column: 12 }))
      )
    );
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const res = await lastValueFrom(ds.query(request([{ filterMode: 'text', filterText: 'dst_port = ' }])));
    expect(res.errors?.[0]).toMatchObject({ message: 'FlowAtlas: expected a value (field filterText, line 1, column 12)', field: 'filterText', line: 1, column: 12 });
  });

  it('places a filter text error of a run at the text as typed, before its variables were replaced', async () => {
    // the proxy saw: src_ip = '203.0.113.7' and dst_port == 22 (the == at column 37)
    backend.on('/api/v1/query', () =>
      new Observable((s) =>
        s.error(fetchError(400, { statusCode: 400, message: 'filterText line 1 column 37: expected value, found "="', field: 'filterText', line: 1, column: 37 }))
      )
    );
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ suspect: '203.0.113.7' }));
    const res = await lastValueFrom(ds.query(request([{ filterMode: 'text', filterText: 'src_ip = $suspect and dst_port == 22' }])));
    expect(sentBodies()[0].filterText).toBe("src_ip = '203.0.113.7' and dst_port == 22");
    expect(res.errors?.[0]).toMatchObject({ line: 1, column: 32, message: 'FlowAtlas: expected value, found "=" (field filterText, line 1, column 32)' });
  });

  it('does not send a query whose builder filter has a rule the engine rejects, and says which rule', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ net: '10.0.0/8' }));
    const filter = {
      op: 'and' as const,
      rules: [
        { dimension: 'dst_port', op: '=' as const, values: ['22'] },
        { op: 'or' as const, rules: [{ dimension: 'src_country', op: '=' as const, values: ['CN'] }, { dimension: 'src_ip', op: 'cidr' as const, values: ['$net'] }] },
      ],
    };
    const res = await lastValueFrom(ds.query(request([{ mode: 'table', filter }])));
    expect(sentBodies()).toHaveLength(0);
    expect(res.errors?.[0].message).toBe('FlowAtlas: filter rule 2.2: "10.0.0/8" is not a CIDR network (e.g. 10.0.0.0/8 or 2001:db8::/32); the query was not sent');
  });

  it('refuses an ad hoc regex it cannot translate, naming the filter, instead of matching nothing', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const res = await lastValueFrom(ds.query(request([{ mode: 'table' }], { filters: [{ key: 'resource', operator: '=~', value: 'nsg-[0-9]+' }] })));
    expect(sentBodies()).toHaveLength(0);
    expect(res.errors?.[0].message).toMatch(/^FlowAtlas: ad hoc filter resource =~ "nsg-\[0-9\]\+": "\[" has no LIKE equivalent/);
  });

  it('runs no query when a filter value is a variable that has no value (instead of dropping the rule)', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ suspect: '', jump: '10.10.1.5' }));
    const responses = await lastValueFrom(
      ds
        .query(
          request([
            { mode: 'table', filter: { op: 'and', rules: [{ dimension: 'src_ip', op: '=', values: ['$suspect'] }] } },
            { mode: 'table', filter: { op: 'and', rules: [{ dimension: 'src_ip', op: '=', values: ['$jump'] }] } },
          ])
        )
        .pipe(toArray())
    );
    expect(responses.map((r) => [r.key, r.data.length, r.errors])).toEqual(
      expect.arrayContaining([['forensics/7/A', 0, undefined]])
    );
    expect(sentBodies()).toHaveLength(1);
    expect(sentBodies()[0].filters).toMatchObject({ rules: [{ dimension: 'src_ip', values: ['10.10.1.5'] }] });
  });

  it('skips hidden queries', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    const res = await lastValueFrom(ds.query(request([{ hide: true }])));
    expect(res.data).toEqual([]);
    expect(backend.requests).toHaveLength(0);
  });
});

describe('FlowAtlasDataSource health, variables and ad hoc keys', () => {
  it('testDatasource reports the database, row count and newest flow', async () => {
    backend.on('/api/v1/dimensions', () => []);
    backend.on('/api/health', () => ({ status: 'ok', database: 'TimescaleDB 2.17.2', rows: 1234567, newest: '2026-11-30T10:00:00.000Z' }));
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to FlowAtlas on TimescaleDB 2.17.2: 1,234,567 flow rows, newest flow 2026-11-30T10:00:00.000Z.',
    });
    backend.on('/api/health', () => ({ status: 'ok', database: 'plain PostgreSQL', rows: 0, newest: null }));
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to FlowAtlas on plain PostgreSQL: 0 flow rows, no flows yet.',
    });
  });

  it('testDatasource fails on a wrong token although the open /api/health answers', async () => {
    backend.on('/api/health', () => ({ status: 'ok', database: 'TimescaleDB 2.17.2', rows: 10, newest: null }));
    backend.on('/api/v1/dimensions', () => {
      throw fetchError(401, { statusCode: 401, error: 'Unauthorized', message: 'missing or wrong bearer token' });
    });
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Cannot reach the FlowAtlas proxy: missing or wrong bearer token (check the token)',
    });
    expect(backend.requests.map((r) => r.options.url)).toEqual([
      '/api/datasources/proxy/uid/flowatlas/flowatlas/api/health',
      '/api/datasources/proxy/uid/flowatlas/flowatlas/api/v1/dimensions',
    ]);
    // a token of the ingest scope only
    backend.on('/api/v1/dimensions', () => {
      throw fetchError(403, { statusCode: 403, error: 'Forbidden', message: 'this token may only ingest; /api/v1/dimensions needs the query scope' });
    });
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Cannot reach the FlowAtlas proxy: this token may only ingest; /api/v1/dimensions needs the query scope (check the token)',
    });
  });

  it('testDatasource says to check the token when Grafana\'s data source proxy turned the 401 into its 400', async () => {
    // pkg/api/pluginproxy/ds_proxy.go answers a data source's 401 with 400 "Authentication to data
    // source failed" (text body); backendSrv's processRequestError makes that string data.message
    backend.on('/api/health', () => ({ status: 'ok', database: 'TimescaleDB 2.17.2', rows: 10, newest: null }));
    backend.on('/api/v1/dimensions', () => {
      throw fetchError(400, { message: 'Authentication to data source failed', error: 'Bad Request', response: 'Authentication to data source failed' });
    });
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Cannot reach the FlowAtlas proxy: Authentication to data source failed (check the token)',
    });
    // any other 400 is not about the token
    backend.on('/api/v1/dimensions', () => {
      throw fetchError(400, { statusCode: 400, error: 'Bad Request', message: 'unknown dimension' });
    });
    await expect(ds.testDatasource()).resolves.toEqual({ status: 'error', message: 'Cannot reach the FlowAtlas proxy: unknown dimension' });
  });

  it('testDatasource explains an authentication failure', async () => {
    backend.on('/api/health', () => {
      throw fetchError(401, { statusCode: 401, error: 'Unauthorized', message: 'missing or wrong bearer token' });
    });
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    await expect(ds.testDatasource()).resolves.toEqual({
      status: 'error',
      message: 'Cannot reach the FlowAtlas proxy: missing or wrong bearer token (check the token)',
    });
  });

  it('metricFindQuery lists a dimension, or its values under a filter via a table query', async () => {
    backend.on('/values', (options) => ({ values: options.url.includes('prefix=10.') ? ['10.0.0.4'] : ['10.0.0.4', '203.0.113.7'] }));
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ port: '22' }));
    await expect(ds.metricFindQuery('src_ip')).resolves.toEqual([
      { text: '10.0.0.4', value: '10.0.0.4' },
      { text: '203.0.113.7', value: '203.0.113.7' },
    ]);
    await expect(ds.metricFindQuery({ dimension: 'src_ip', prefix: '10.' })).resolves.toEqual([{ text: '10.0.0.4', value: '10.0.0.4' }]);

    const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } };
    await expect(ds.metricFindQuery('src_ip where dst_port = $port', { range })).resolves.toEqual([{ text: '203.0.113.7', value: '203.0.113.7' }]);
    expect(sentBodies()[0]).toMatchObject({ from: FROM, to: TO, mode: 'table', metric: 'flows', dimensions: ['src_ip'], filterText: "dst_port = '22'" });
  });

  it('metricFindQuery interpolates its filter text as panel queries do: a multi-value variable becomes a quoted list', async () => {
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ ports: ['22', '2222'], site: 'azure-eastus' }));
    const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } };
    await ds.metricFindQuery('src_ip where dst_port in ($ports) and src_site = ${site}', { range });
    expect(sentBodies()[0].filterText).toBe("dst_port in ('22', '2222') and src_site = 'azure-eastus'");
    // the same text in a panel query is sent the same way
    await lastValueFrom(ds.query(request([{ mode: 'table', filterMode: 'text', filterText: 'dst_port in ($ports) and src_site = ${site}' }])));
    expect(sentBodies()[1].filterText).toBe(sentBodies()[0].filterText);
  });

  it('parses "dimension [by metric] [where filter]" variable queries', () => {
    expect(parseVariableQuery('src_ip')).toEqual({ dimension: 'src_ip', filterText: undefined });
    expect(parseVariableQuery(' src_ip WHERE dst_port = 22 ')).toEqual({ dimension: 'src_ip', filterText: 'dst_port = 22' });
    expect(parseVariableQuery('dst_ip by unique_dst_ports where src_ip = $jump and dst_ip != $suspect')).toEqual({
      dimension: 'dst_ip',
      metric: 'unique_dst_ports',
      filterText: 'src_ip = $jump and dst_ip != $suspect',
    });
    expect(parseVariableQuery('dst_ip BY bytes')).toEqual({ dimension: 'dst_ip', metric: 'bytes', filterText: undefined });
    // "by" inside the filter is the filter's business
    expect(parseVariableQuery('src_ip where rule = by')).toEqual({ dimension: 'src_ip', filterText: 'rule = by' });
  });

  it('metricFindQuery ranks by the metric after "by", drops empty groups, and names an unknown metric', async () => {
    backend.on('/api/v1/query', () => ({
      frames: [{ fields: [{ name: 'dst_ip', type: 'string', values: ['10.10.6.94', null, '10.10.2.50'] }, { name: 'unique_dst_ports', type: 'number', values: [137, 5, 1] }] }],
    }));
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv({ jump: '10.10.1.89' }));
    const range = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } };
    await expect(ds.metricFindQuery('dst_ip by unique_dst_ports where src_ip = $jump', { range })).resolves.toEqual([
      { text: '10.10.6.94', value: '10.10.6.94' },
      { text: '10.10.2.50', value: '10.10.2.50' },
    ]);
    expect(sentBodies()[0]).toMatchObject({ mode: 'table', metric: 'unique_dst_ports', dimensions: ['dst_ip'], filterText: "src_ip = '10.10.1.89'" });
    // a metric without a filter is still a ranked table query, not the unranked value list
    await ds.metricFindQuery('dst_ip by bytes', { range });
    expect(sentBodies()[1]).toMatchObject({ metric: 'bytes', dimensions: ['dst_ip'] });
    await expect(ds.metricFindQuery('dst_ip by volume', { range })).rejects.toThrow(/unknown metric "volume" after "by"/);
  });

  it('ad hoc keys are the dimensions (fetched once), values come from the proxy', async () => {
    backend.on('/api/v1/dimensions', () => [
      { name: 'src_ip', label: 'Source IP', type: 'ip', category: 'addresses' },
      { name: 'dst_port', label: 'Destination port', type: 'number', category: 'ports & apps' },
    ]);
    backend.on('/values', () => ({ values: ['22', '443'] }));
    const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv());
    await expect(ds.getTagKeys()).resolves.toEqual([
      { text: 'src_ip', value: 'src_ip' },
      { text: 'dst_port', value: 'dst_port' },
    ]);
    await ds.getTagKeys();
    expect(backend.requests.filter((r) => r.options.url.endsWith('/api/v1/dimensions'))).toHaveLength(1);
    await expect(ds.getTagValues({ key: 'dst_port' })).resolves.toEqual([
      { text: '22', value: '22' },
      { text: '443', value: '443' },
    ]);
    expect(backend.requests[backend.requests.length - 1].options.url).toBe(
      '/api/datasources/proxy/uid/flowatlas/flowatlas/api/v1/dimensions/dst_port/values?prefix=&limit=200'
    );
  });
});
