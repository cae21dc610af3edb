import { FieldType } from '@grafana/data';
import { defaultFlowQuery, ProxyFrame } from '../shared/flowQuery';
import { displayNameFromLabels, toDataFrames } from './frames';
import { FlowQuery } from './types';

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
    expect(df.fields[2].values).toEqual([1234, 99]);
    expect(df.meta).toMatchObject({ executedQueryString: 'SELECT 1', custom: { table: 'raw' }, preferredVisualisationType: 'table' });
    expect(df.fields[0].config.links?.[0].url).toBe('?${__url.params}&var-Filters=src_ip%7C%3D%7C${__value.raw}');
  });

  it.each([
    ['bits_per_second', 'bps'],
    ['packets_per_second', 'pps'],
    ['flows_per_second', 'suffix: flows/s'],
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
    expect(df.fields[1].config.links?.[0].url).toBe('?${__url.params}&var-Filters=src_ip%7C%3D%7C${__field.labels.src_ip}');
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

  it('keeps the config the proxy already set', () => {
    const frames: ProxyFrame[] = [
      { fields: [{ name: 'v', type: 'number', values: [1], config: { unit: 'percent', displayNameFromDS: 'mine', custom: { transform: 'negative-Y' } } }] },
    ];
    const [df] = toDataFrames(frames, query({ mode: 'table' }));
    expect(df.fields[0].config).toMatchObject({ unit: 'percent', displayNameFromDS: 'mine', custom: { transform: 'negative-Y' } });
  });

  it('topology frames go to the node graph without metric units', () => {
    const frames: ProxyFrame[] = [
      { name: 'nodes', fields: [{ name: 'id', type: 'string', values: ['weu'] }, { name: 'mainstat', type: 'number', values: [3] }] },
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
    expect(nodes.fields[1].config.unit).toBeUndefined();
    expect(edges.fields[1].type).toBe(FieldType.boolean);
  });

  it('orders legend parts like the query dimensions, extra labels last', () => {
    expect(displayNameFromLabels({ b: '2', a: '1', z: '9' }, ['a', 'b'])).toBe('1 · 2 · 9');
    expect(displayNameFromLabels({ direction: 'forward', a: '1' }, ['a'])).toBe('1');
    // grouped by the NSG's direction dimension, the twin marker is `twin`
    expect(displayNameFromLabels({ direction: 'inbound', a: '1', twin: 'reverse' }, ['direction', 'a'])).toBe('inbound · 1 (reverse)');
  });
});
