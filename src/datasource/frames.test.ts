import { FieldType, getFieldDisplayName } from '@grafana/data';
import { defaultFlowQuery, ProxyFrame } from '../shared/flowQuery';
import { displayNameFromLabels, toDataFrames } from './frames';
import { FakeTemplateSrv } from './testing/fakeTemplateSrv';
import { FlowQuery } from './types';
import { formatWithUnit, registerFlowAtlasUnits } from './units';
import { interpolateQuery } from './variables';

beforeAll(registerFlowAtlasUnits);

const query = (patch: Partial<FlowQuery>): FlowQuery => ({ ...defaultFlowQuery(), refId: 'A', ...patch });

describe('frame conversion', () => {
  it('table mode: typed fields, metric unit on values only, SQL in meta, drill-down links on dimensions', () => {
    const frames: ProxyFrame[] = [
      {
        fields: [
          { name: 'src_ip', type: 'string', values: ['203.0.113.7', '198.51.100.9'] },
          { name: 'dst_port', type: 'number', values: [22, 22] },
          { name: 'bytes', type: 'number', values: [1234, 99] },
        ],
        meta: { executedQueryString: 'SELECT 1', custom: { table: 'raw', reason: 'address dimension' } },
      },
    ];
    const [df] = toDataFrames(frames, query({ mode: 'table', metric: 'bytes', dimensions: ['src_ip', 'dst_port'] }));
    expect(df.refId).toBe('A');
    expect(df.length).toBe(2);
    expect(df.fields.map((f) => [f.name, f.type, f.config.unit])).toEqual([
      ['src_ip', FieldType.string, undefined],
      ['dst_port', FieldType.number, undefined],
      ['bytes', FieldType.number, 'decbytes'],
    ]);
    expect(getFieldDisplayName(df.fields[2], df)).toBe('Bytes');
    expect(df.fields[2].values).toEqual([1234, 99]);
    expect(df.meta).toMatchObject({ executedQueryString: 'SELECT 1', custom: { table: 'raw' }, preferredVisualisationType: 'table' });
    expect(df.fields[0].config.links?.[0].url).toBe('?${__url.params}&var-Filters=src_ip%7C%3D%7C${__value.raw:percentencode}');
  });

  it("the proxy's notices (a widened step) reach the panel, where Grafana shows them", () => {
    const text = 'step widened from 45 s to 120 s: 11 series × 720 buckets stay under the cap of 10000 points (FLOWATLAS_MAX_ROWS)';
    const frames: ProxyFrame[] = [
      {
        fields: [
          { name: 'time', type: 'time', values: [0] },
          { name: 'bytes', type: 'number', values: [1] },
        ],
        meta: { executedQueryString: 'SELECT 1', notices: [{ severity: 'info', text }] },
      },
    ];
    const [df] = toDataFrames(frames, query({ mode: 'timeseries', metric: 'bytes', dimensions: [] }));
    expect(df.meta?.notices).toEqual([{ severity: 'info', text }]);
    const [plain] = toDataFrames([{ ...frames[0], meta: { executedQueryString: 'SELECT 1' } }], query({ mode: 'timeseries', metric: 'bytes', dimensions: [] }));
    expect(plain.meta?.notices).toBeUndefined();
  });

  it("drill-down links percent-encode the clicked value with Grafana's format", () => {
    const [df] = toDataFrames(
      [{ fields: [{ name: 'rule', type: 'string', values: ['Allow ssh & rdp'] }, { name: 'flows', type: 'number', values: [1] }] }],
      query({ mode: 'table', metric: 'flows', dimensions: ['rule'] })
    );
    const url = df.fields[0].config.links![0].url;
    // Grafana's percentencode format, applied as templateSrv applies a ${var:format}
    const interpolated = url.replace(/\$\{__value\.raw:percentencode\}/, encodeURIComponent('Allow ssh & rdp'));
    expect(interpolated).toBe('?${__url.params}&var-Filters=rule%7C%3D%7CAllow%20ssh%20%26%20rdp');
    expect(new URLSearchParams(interpolated.split('}&')[1]).get('var-Filters')).toBe('rule|=|Allow ssh & rdp');
  });

  it('drill-down links add to the ad hoc variable named in the data source settings (default Filters)', () => {
    const table: ProxyFrame[] = [{ fields: [{ name: 'dst_ip', type: 'string', values: ['10.0.0.1'] }, { name: 'flows', type: 'number', values: [1] }] }];
    const series: ProxyFrame[] = [
      { fields: [{ name: 'time', type: 'time', values: [1000] }, { name: 'flows', type: 'number', values: [1], labels: { dst_ip: '10.0.0.1' } }] },
    ];
    const tableQuery = query({ mode: 'table', metric: 'flows', dimensions: ['dst_ip'] });
    const seriesQuery = query({ mode: 'timeseries', metric: 'flows', dimensions: ['dst_ip'] });
    expect(toDataFrames(table, tableQuery, { adHocVariable: 'flow_filters' })[0].fields[0].config.links?.[0].url).toBe(
      '?${__url.params}&var-flow_filters=dst_ip%7C%3D%7C${__value.raw:percentencode}'
    );
    expect(toDataFrames(series, seriesQuery, { adHocVariable: 'flow_filters' })[0].fields[1].config.links?.[0].url).toBe(
      '?${__url.params}&var-flow_filters=dst_ip%7C%3D%7C${__field.labels.dst_ip:percentencode}'
    );
    // unset or blank: the default
    expect(toDataFrames(table, tableQuery, { adHocVariable: ' ' })[0].fields[0].config.links?.[0].url).toContain('&var-Filters=dst_ip');
  });

  it('never links the "Other" remainder: no link on the Other series, none in a table that has the Other row', () => {
    const series = (labels: Record<string, string>): ProxyFrame => ({
      fields: [
        { name: 'time', type: 'time', values: [1000] },
        { name: 'bytes', type: 'number', values: [5], labels },
      ],
    });
    const frames = toDataFrames(
      [series({ dst_ip: '10.0.0.1', direction: 'forward' }), series({ other: 'true', direction: 'forward' }), series({ other: 'true', direction: 'reverse' })],
      query({ mode: 'timeseries', metric: 'bytes', dimensions: ['dst_ip'], other: true, bidirectional: true })
    );
    expect(frames.map((f) => f.fields[1].config.links?.length ?? 0)).toEqual([1, 0, 0]);

    // Grafana's table links belong to a column, not a row: with the Other row the column has none
    const withOther: ProxyFrame = {
      fields: [
        { name: 'dst_ip', type: 'string', values: ['10.0.0.1', 'Other'] },
        { name: 'dst_port', type: 'number', values: [22, null] },
        { name: 'bytes', type: 'number', values: [9, 3] },
      ],
      meta: { executedQueryString: 'SELECT 1', custom: { table: 'raw', otherRow: 1 } },
    };
    const tableQuery = query({ mode: 'table', metric: 'bytes', dimensions: ['dst_ip', 'dst_port'], other: true });
    const [table] = toDataFrames([withOther], tableQuery);
    expect(table.fields.map((f) => f.config.links)).toEqual([undefined, undefined, undefined]);
    const [plain] = toDataFrames([{ ...withOther, meta: { executedQueryString: 'SELECT 1', custom: { table: 'raw' } } }], { ...tableQuery, other: false });
    expect(plain.fields.map((f) => f.config.links?.length ?? 0)).toEqual([1, 1, 0]);
  });

  it('table value columns read as the metric: "Bits/s", "Bits/s (p95)", "Bits/s (reverse)"', () => {
    const frames: ProxyFrame[] = [
      {
        fields: [
          { name: 'dst_ip', type: 'string', values: ['10.0.0.1'], config: { displayName: 'Destination IP' } },
          { name: 'bits_per_second', type: 'number', values: [0.0243], labels: { direction: 'forward' }, config: { unit: 'bps' } },
          { name: 'bits_per_second_reverse', type: 'number', values: [-24300], labels: { direction: 'reverse' }, config: { unit: 'bps' } },
        ],
      },
    ];
    const [df] = toDataFrames(frames, query({ mode: 'table', metric: 'bits_per_second', aggregation: 'p95', dimensions: ['dst_ip'], bidirectional: true }));
    expect(df.fields.map((f) => getFieldDisplayName(f, df))).toEqual(['Destination IP', 'Bits/s (p95)', 'Bits/s (p95) (reverse)']);
    const [total] = toDataFrames(frames, query({ mode: 'table', metric: 'bits_per_second', aggregation: 'total', dimensions: ['dst_ip'] }));
    expect(getFieldDisplayName(total.fields[1], total)).toBe('Bits/s');
  });

  it('rates read without milli: 0.0243 b/s, 24.3 kb/s; flows/s and packets/s spelled out', () => {
    const [df] = toDataFrames(
      [{ fields: [{ name: 'bits_per_second', type: 'number', values: [0.0243, 24300], config: { unit: 'bps' } }] }],
      query({ mode: 'table', metric: 'bits_per_second', dimensions: [] })
    );
    const unit = df.fields[0].config.unit!;
    expect(unit).toBe('b/s');
    expect(formatWithUnit(0.0243, unit)).toBe('0.0243 b/s');
    expect(formatWithUnit(24300, unit)).toBe('24.3 kb/s');
    expect(formatWithUnit(1.2e9, unit)).toBe('1.20 Gb/s');
    expect(formatWithUnit(0, unit)).toBe('0 b/s');
    expect(formatWithUnit(-24300, unit)).toBe('-24.3 kb/s');
    // what the proxy sends for flows/s (cps reads "c/s") becomes a unit that says flows
    const [flows] = toDataFrames(
      [{ fields: [{ name: 'flows_per_second', type: 'number', values: [0.5], config: { unit: 'cps' } }] }],
      query({ mode: 'table', metric: 'flows_per_second', dimensions: [] })
    );
    expect(formatWithUnit(0.5, flows.fields[0].config.unit!)).toBe('0.500 flows/s');
    expect(formatWithUnit(12300, flows.fields[0].config.unit!)).toBe('12.3K flows/s');
    expect(formatWithUnit(3, 'count:packets/s')).toBe('3 packets/s');
  });

  it.each([
    ['bits_per_second', 'b/s'],
    ['packets_per_second', 'count:packets/s'],
    ['flows_per_second', 'count:flows/s'],
    ['bytes', 'decbytes'],
  ] as const)('time series of %s carry unit %s and a legend from the labels', (metric, unit) => {
    const frames: ProxyFrame[] = [
      {
        name: '203.0.113.7 CN',
        fields: [
          { name: 'time', type: 'time', values: [1000, 2000] },
          { name: metric, type: 'number', values: [5, 6], labels: { src_country: 'CN', src_ip: '203.0.113.7' } },
        ],
        meta: { executedQueryString: 'SELECT …' },
      },
    ];
    const [df] = toDataFrames(frames, query({ metric, dimensions: ['src_ip', 'src_country'] }));
    expect(df.fields[0].type).toBe(FieldType.time);
    expect(df.fields[0].config.unit).toBeUndefined();
    expect(df.fields[1].config.unit).toBe(unit);
    expect(df.fields[1].config.displayNameFromDS).toBe('203.0.113.7 · CN');
    expect(df.fields[1].labels).toEqual({ src_country: 'CN', src_ip: '203.0.113.7' });
    expect(df.fields[1].config.links?.[0].url).toBe('?${__url.params}&var-Filters=src_ip%7C%3D%7C${__field.labels.src_ip:percentencode}');
  });

  it('legend names are the values only, replacing the proxy\'s "dim=value"; without dimensions the alias or refId', () => {
    const series = (labels: Record<string, string>, name: string): ProxyFrame => ({
      name,
      fields: [
        { name: 'time', type: 'time', values: [1000] },
        { name: 'bytes', type: 'number', values: [5], labels, config: { unit: 'decbytes', displayNameFromDS: name } },
      ],
    });
    const names = (frames: ProxyFrame[], q: FlowQuery) => toDataFrames(frames, q).map((df) => getFieldDisplayName(df.fields[1], df));
    expect(names([series({ dst_ip: '10.30.9.112' }, 'dst_ip=10.30.9.112'), series({ other: 'true' }, 'Other')], query({ metric: 'bytes', dimensions: ['dst_ip'], other: true }))).toEqual([
      '10.30.9.112',
      'Other',
    ]);
    const plain = [series({ direction: 'forward' }, 'bytes'), series({ direction: 'reverse' }, 'bytes (reverse)')];
    expect(names(plain, query({ refId: 'A', metric: 'bytes', dimensions: [], bidirectional: true }))).toEqual(['A', 'A (reverse)']);
    expect(names(plain, query({ refId: 'B', metric: 'bytes', dimensions: [], bidirectional: true }))).toEqual(['B', 'B (reverse)']);
    // the alias names it, with dashboard variables replaced as in the rest of the query
    const aliased = interpolateQuery(query({ refId: 'A', dimensions: [], alias: 'into $host' }), new FakeTemplateSrv({ host: '10.10.1.4' }), {});
    expect(names(plain, aliased)).toEqual(['into 10.10.1.4', 'into 10.10.1.4 (reverse)']);
    // an empty group value still names its part
    expect(displayNameFromLabels({ src_ip: '10.0.0.1', src_country: '' }, ['src_ip', 'src_country'])).toBe('10.0.0.1 · (none)');
  });

  it('draws the reverse twin of a bidirectional series below the axis', () => {
    const frames: ProxyFrame[] = [
      {
        fields: [
          { name: 'time', type: 'time', values: [1000] },
          { name: 'bits_per_second', type: 'number', values: [10], labels: { src_site: 'azure-weu' } },
        ],
      },
      {
        fields: [
          { name: 'time', type: 'time', values: [1000] },
          { name: 'bits_per_second', type: 'number', values: [4], labels: { src_site: 'azure-weu', direction: 'reverse' } },
        ],
      },
    ];
    const [fwd, rev] = toDataFrames(frames, query({ dimensions: ['src_site'], bidirectional: true }));
    expect(fwd.fields[1].config.custom?.transform).toBeUndefined();
    expect(rev.fields[1].config.custom?.transform).toBe('negative-Y');
    expect(rev.fields[1].values).toEqual([4]);
    expect(rev.fields[1].config.displayNameFromDS).toBe('azure-weu (reverse)');
  });

  it('keeps the config the proxy already set, apart from the names and units it replaces', () => {
    const frames: ProxyFrame[] = [
      { fields: [{ name: 'v', type: 'number', values: [1], config: { unit: 'percent', decimals: 1, custom: { transform: 'negative-Y' } } }] },
    ];
    const [df] = toDataFrames(frames, query({ mode: 'table' }));
    expect(df.fields[0].config).toMatchObject({ unit: 'percent', decimals: 1, custom: { transform: 'negative-Y' } });
  });

  it('topology frames go to the node graph with the units the proxy gave, never a metric unit on bare numbers', () => {
    const frames: ProxyFrame[] = [
      {
        name: 'nodes',
        fields: [
          { name: 'id', type: 'string', values: ['weu'] },
          { name: 'latitude', type: 'number', values: [3] },
          { name: 'mainstat', type: 'number', values: [3], config: { unit: 'bps', displayName: 'total' } },
          { name: 'secondarystat', type: 'number', values: [3], config: { unit: 'none', displayName: 'flows' } },
        ],
      },
      {
        name: 'edges',
        fields: [
          { name: 'id', type: 'string', values: ['weu-neu'] },
          { name: 'crosses_border', type: 'boolean', values: [true] },
        ],
      },
    ];
    const [nodes, edges] = toDataFrames(frames, query({ mode: 'topology' }));
    expect(nodes.name).toBe('nodes');
    expect(nodes.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(nodes.fields.map((f) => f.config.unit)).toEqual([undefined, undefined, 'b/s', 'none']);
    expect(nodes.fields[2].config.displayName).toBe('total');
    expect(edges.fields[1].type).toBe(FieldType.boolean);
  });

  it('orders legend parts like the query dimensions, extra labels last', () => {
    expect(displayNameFromLabels({ b: '2', a: '1', z: '9' }, ['a', 'b'])).toBe('1 · 2 · 9');
    expect(displayNameFromLabels({ direction: 'forward', a: '1' }, ['a'])).toBe('1');
    // grouped by the NSG's direction dimension, the twin marker is `twin`
    expect(displayNameFromLabels({ direction: 'inbound', a: '1', twin: 'reverse' }, ['direction', 'a'])).toBe('inbound · 1 (reverse)');
  });
});
