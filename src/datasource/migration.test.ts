import { defaultFlowQuery, FLOW_QUERY_VERSION } from '../shared/flowQuery';
import { migrateQuery, needsMigration, savedVersion } from './migration';

describe('query migration', () => {
  it('v1 → v2: the skeleton flat filter list becomes an AND group, exclude becomes not', () => {
    const v1 = {
      refId: 'A',
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filters: [
        { dimension: 'dst_port', op: '=', values: ['22'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], exclude: true },
        { dimension: 'action', op: 'bogus', value: 'deny' },
      ],
      topN: 25,
    };
    expect(savedVersion(v1)).toBe(1);
    expect(needsMigration(v1)).toBe(true);
    const migrated = migrateQuery(v1);
    expect(migrated).toEqual({
      refId: 'A',
      version: FLOW_QUERY_VERSION,
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filter: {
        op: 'and',
        rules: [
          { dimension: 'dst_port', op: '=', values: ['22'] },
          { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], not: true },
          { dimension: 'action', op: '=', values: ['deny'] },
        ],
      },
      filterMode: 'builder',
      topN: 25,
      other: false,
      bidirectional: false,
    });
    expect(needsMigration(migrated as unknown as Record<string, unknown>)).toBe(false);
  });

  it('v1 → v2: = / != with several values ("any of them") become in / not_in, keeping every value', () => {
    const migrated = migrateQuery({
      refId: 'A',
      filters: [
        { dimension: 'dst_port', op: '=', values: ['22', '2222'] },
        { dimension: 'src_country', op: '!=', values: ['US', 'DE', 'FR'], exclude: true },
        { dimension: 'action', op: '!=', values: ['deny'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8', '192.168.0.0/16'] },
      ],
    });
    expect(migrated.filter.rules).toEqual([
      { dimension: 'dst_port', op: 'in', values: ['22', '2222'] },
      { dimension: 'src_country', op: 'not_in', values: ['US', 'DE', 'FR'], not: true },
      { dimension: 'action', op: '!=', values: ['deny'] },
      { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8', '192.168.0.0/16'] },
    ]);
  });

  it('v1 without filters yields an empty tree', () => {
    expect(migrateQuery({ refId: 'B', metric: 'bytes' }).filter).toEqual({ op: 'and', rules: [] });
  });

  it('a current query loads unchanged', () => {
    const current = {
      ...defaultFlowQuery(),
      refId: 'C',
      mode: 'topology' as const,
      level: 'country' as const,
      filterMode: 'text' as const,
      filterText: 'dst_port = 22',
      aggregation: 'p95' as const,
    };
    expect(migrateQuery(current)).toEqual(current);
  });

  it('an empty new query gets the defaults (top 10 destinations by bits/s)', () => {
    expect(migrateQuery({ refId: 'A' })).toEqual({ ...defaultFlowQuery(), refId: 'A' });
  });
});
