import { toAlertSql } from './alertSql';
import { defaultFlowQuery, FilterGroup, FlowQueryModel } from './flowQuery';

// The SQL itself is run on a real database, as the read-only role, against the proxy's own
// answers in backend-proxy/src/alerting/alert-sql-export.test.ts; here: which queries have an
// alert SQL form, and how values reach the SQL text.

const model = (patch: Partial<FlowQueryModel>): FlowQueryModel => ({ ...defaultFlowQuery(), mode: 'table', aggregation: 'total', ...patch });
const and = (...rules: FilterGroup['rules']): FilterGroup => ({ op: 'and', rules });
const sqlOf = (m: FlowQueryModel, filter?: FilterGroup) => {
  const r = toAlertSql(m, filter);
  if (!r.ok) {
    throw new Error(r.reason);
  }
  return r;
};

describe('toAlertSql', () => {
  it('reads flows_1m for traffic by low-cardinality dimensions, one labelled row per group', () => {
    const r = sqlOf(model({ metric: 'bytes', dimensions: ['src_country', 'protocol'], topN: 5, filter: and({ dimension: 'dst_inside', op: '=', values: ['outside'] }) }));
    expect(r.relation).toBe('flows_1m');
    expect(r.sql.split('\n').filter((l) => !l.startsWith('--'))).toEqual([
      'SELECT src_country AS src_country,',
      `       CASE protocol WHEN 1 THEN 'icmp' WHEN 6 THEN 'tcp' WHEN 17 THEN 'udp' WHEN 47 THEN 'gre' WHEN 50 THEN 'esp' WHEN 51 THEN 'ah' WHEN 58 THEN 'icmpv6' WHEN 132 THEN 'sctp' ELSE protocol::text END AS protocol,`,
      '       coalesce(sum(bytes), 0) AS bytes',
      'FROM flows_1m',
      'WHERE time >= $__timeFrom()::timestamptz',
      '  AND time < $__timeTo()::timestamptz',
      "  AND (coalesce(CASE WHEN dst_site IS NOT NULL THEN 'inside' ELSE 'outside' END = 'outside', false))",
      'GROUP BY 1, 2',
      'ORDER BY bytes DESC NULLS LAST',
      'LIMIT 5',
    ]);
  });

  it('reads flow_connections_1m for connections by address and port, with typed literals', () => {
    const r = sqlOf(
      model({
        metric: 'flows',
        dimensions: ['src_ip', 'dst_port'],
        filter: and(
          { dimension: 'dst_port', op: 'in', values: ['22', '3389'] },
          { dimension: 'protocol', op: '=', values: ['tcp'] },
          { dimension: 'src_ip', op: 'not_cidr', values: ['10.0.0.0/8'] },
          { dimension: 'dst_ip', op: '=', values: ['2001:db8::1'] }
        ),
      })
    );
    expect(r.relation).toBe('flow_connections_1m');
    expect(r.sql).toContain('SELECT host(src_ip) AS src_ip,\n       dst_port::text AS dst_port,\n       coalesce(sum(connections), 0) AS flows');
    expect(r.sql).toContain("(coalesce(dst_port IN (22, 3389), false)\n       AND coalesce(protocol = 6, false)\n       AND NOT coalesce(src_ip <<= network('10.0.0.0/8'::inet), false)\n       AND coalesce(dst_ip = '2001:db8::1'::inet, false))");
  });

  it('keeps the engine\'s NULL semantics: a negation is the exact complement, so rows without a value stay', () => {
    const r = sqlOf(model({ metric: 'flows', dimensions: [], filter: and({ dimension: 'dst_site', op: '!=', values: ['azure-eastus'] }, { dimension: 'rule', op: 'like', values: ['%Deny%'], not: true }) }));
    expect(r.sql).toContain("NOT coalesce(dst_site = 'azure-eastus', false)");
    expect(r.sql).toContain("NOT coalesce(rule LIKE '%Deny%', false)");
    // `not` on a negative operator is positive again
    expect(sqlOf(model({ metric: 'flows', dimensions: [], filter: and({ dimension: 'action', op: '!=', values: ['deny'], not: true }) })).sql).toContain(
      "AND (coalesce(action = 'deny', false))"
    );
    // no dimensions: one row, no grouping
    expect(r.sql).not.toMatch(/GROUP BY|LIMIT/);
  });

  it('nests groups with AND/OR and negated groups', () => {
    const filter: FilterGroup = and(
      { dimension: 'action', op: '=', values: ['deny'] },
      { op: 'or', not: true, rules: [{ dimension: 'src_country', op: 'in', values: ['CN', 'RU'] }, { dimension: 'src_inside', op: 'exists', values: [] }] }
    );
    expect(sqlOf(model({ metric: 'packets', dimensions: ['action'] }), filter).sql).toContain(
      "(coalesce(action = 'deny', false)\n       AND (NOT (coalesce(src_country IN ('CN', 'RU'), false)\n         OR CASE WHEN src_site IS NOT NULL THEN 'inside' ELSE 'outside' END IS NOT NULL)))"
    );
  });

  it('turns rates into totals over the rule\'s window, and time series into one value per group', () => {
    const r = sqlOf(model({ mode: 'timeseries', metric: 'bits_per_second', dimensions: ['application'] }));
    expect(r.sql).toContain('coalesce(sum(bytes), 0) * 8 / extract(epoch FROM ($__timeTo()::timestamptz - $__timeFrom()::timestamptz)) AS bits_per_second');
    expect(r.sql).toContain('-- (The panel draws this as a time series; a rule reduces it to one value per group anyway.)');
    expect(sqlOf(model({ metric: 'bytes_per_flow', dimensions: ['src_site'] })).sql).toContain('sum(bytes)::float8 / nullif(sum(flows), 0) AS bytes_per_flow');
  });

  it('quotes text values as literals, so no value can end the string', () => {
    const r = sqlOf(model({ metric: 'flows', dimensions: [], filter: and({ dimension: 'resource', op: '=', values: ["x' OR '1'='1"] }, { dimension: 'rule', op: '=', values: ['a\\b'] }) }));
    expect(r.sql).toContain("coalesce(resource = 'x'' OR ''1''=''1', false)");
    expect(r.sql).toContain("coalesce(rule = E'a\\\\b', false)");
    expect(toAlertSql(model({ metric: 'flows', dimensions: [], filter: and({ dimension: 'rule', op: '=', values: ['a\u0000b'] }) }))).toEqual({
      ok: false,
      reason: 'a filter value contains a NUL character',
    });
  });

  it('refuses values that are not of the dimension\'s type instead of pasting them', () => {
    const refused = (filter: FilterGroup) => toAlertSql(model({ metric: 'flows', dimensions: ['src_ip'], filter }));
    expect(refused(and({ dimension: 'src_ip', op: '=', values: ["10.0.0.1'; DROP TABLE flows; --"] }))).toEqual({
      ok: false,
      reason: `src_ip: "10.0.0.1'; DROP TABLE flows; --" is not an IP address`,
    });
    expect(refused(and({ dimension: 'dst_port', op: '>', values: ['1 OR 1=1'] }))).toEqual({ ok: false, reason: 'dst_port: "1 OR 1=1" is not a number' });
    expect(refused(and({ dimension: 'protocol', op: '=', values: ['tcpx'] }))).toEqual({ ok: false, reason: 'protocol: "tcpx" is not a protocol name or number' });
    expect(refused(and({ dimension: 'src_inside', op: '=', values: ['maybe'] }))).toEqual({ ok: false, reason: 'src_inside: "maybe" is neither inside nor outside' });
    expect(refused(and({ dimension: 'crosses_border', op: '=', values: ['TRUE OR 1=1'] }))).toEqual({ ok: false, reason: 'crosses_border: "TRUE OR 1=1" is neither true nor false' });
  });

  it('asks "did it cross a border" as the engine does: a boolean that is unknown without both countries', () => {
    const r = sqlOf(model({ metric: 'bytes', dimensions: ['src_site', 'crosses_border'], filter: and({ dimension: 'crosses_border', op: '=', values: ['true'] }) }));
    expect(r.relation).toBe('flows_1m');
    expect(r.sql).toContain('(src_country <> dst_country)::text AS crosses_border');
    expect(r.sql).toContain('AND (coalesce((src_country <> dst_country) = true, false))');
    const notTrue = sqlOf(model({ metric: 'flows', dimensions: ['dst_country'], filter: and({ dimension: 'crosses_border', op: '!=', values: ['yes'] }) }));
    // != keeps the rows whose crossing is unknown, as the engine's filter does.
    expect(notTrue.sql).toContain('AND (NOT coalesce((src_country <> dst_country) = true, false))');
  });

  it('says why a query has no alert SQL form', () => {
    const why = (patch: Partial<FlowQueryModel>) => {
      const r = toAlertSql(model(patch));
      return r.ok ? 'expressible' : r.reason;
    };
    expect(why({ mode: 'topology', metric: 'bytes', level: 'site' })).toMatch(/^topology answers nodes and edges/);
    expect(why({ metric: 'bytes', dimensions: ['src_site'], bidirectional: true })).toMatch(/^an alert value is one direction/);
    expect(why({ metric: 'bytes', dimensions: ['src_site'], other: true })).toMatch(/"Other" sums everything outside the top N/);
    expect(why({ metric: 'bytes', dimensions: ['src_site'], aggregation: 'p95' })).toMatch(/^the p95 of per-bucket rates is not kept/);
    expect(why({ metric: 'unique_dst_ports', dimensions: ['src_ip'] })).toMatch(/^unique_dst_ports is not kept in the aggregate views/);
    expect(why({ metric: 'bytes', dimensions: ['mac'] })).toBe('the aggregate views do not keep mac');
    // addresses are kept only with connection counts
    expect(why({ metric: 'bytes', dimensions: ['src_ip'] })).toMatch(/^no single view keeps src_ip with bytes: addresses and ports are only in flow_connections_1m/);
    expect(why({ metric: 'flows', dimensions: ['src_ip', 'application'] })).toMatch(/^the aggregate views do not keep application|^no single view keeps/);
  });

  it('drops half-written rules like the data source does', () => {
    const r = sqlOf(model({ metric: 'flows', dimensions: ['action'] }), and({ dimension: 'src_country', op: '=', values: [''] }));
    expect(r.sql).not.toContain('src_country');
  });
});
