import {
  aggregationsFor,
  andFilters,
  defaultFlowQuery,
  FilterGroup,
  filterToText,
  FlowQueryModel,
  isValidCidr,
  metricsForMode,
  operatorsForType,
  pruneFilter,
  ruleProblem,
  toProxyRequest,
} from './flowQuery';

const ctx = { from: 1_700_000_000_000, to: 1_700_003_600_000, maxDataPoints: 500, intervalMs: 7_200 };

function model(patch: Partial<FlowQueryModel>): FlowQueryModel {
  return { ...defaultFlowQuery(), ...patch };
}

describe('toProxyRequest', () => {
  it('maps the step-1 forensic table query to the proxy contract', () => {
    const q = model({
      mode: 'table',
      metric: 'flows',
      aggregation: 'total',
      dimensions: ['src_ip', 'src_country'],
      filter: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] },
      topN: 20,
      other: true,
    });
    expect(toProxyRequest(q, ctx)).toEqual({
      from: ctx.from,
      to: ctx.to,
      mode: 'table',
      metric: 'flows',
      aggregation: 'total',
      dimensions: ['src_ip', 'src_country'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }] },
      topN: 20,
      other: true,
      maxDataPoints: 500,
      intervalMs: 7_200,
    });
  });

  it('sends aggregation only in table mode and level only in topology mode', () => {
    const ts = toProxyRequest(model({ mode: 'timeseries', aggregation: 'p95', level: 'country' }), ctx);
    expect(ts.aggregation).toBeUndefined();
    expect(ts.level).toBeUndefined();
    const topo = toProxyRequest(model({ mode: 'topology', level: 'country', dimensions: ['src_ip'], bidirectional: true }), ctx);
    expect(topo).toMatchObject({ mode: 'topology', level: 'country', dimensions: [] });
    expect(topo.other).toBeUndefined();
    expect(topo.bidirectional).toBeUndefined();
    expect(toProxyRequest(model({ mode: 'topology', level: undefined }), ctx).level).toBe('site');
  });

  it('asks for the top applications of each edge only in topology mode, and only when on', () => {
    expect(toProxyRequest(model({ mode: 'topology', topApplications: true }), ctx).topApplications).toBe(true);
    expect(toProxyRequest(model({ mode: 'topology' }), ctx).topApplications).toBeUndefined();
    // the proxy refuses the option outside topology: a table keeping it from a mode switch must still run
    expect(toProxyRequest(model({ mode: 'table', topApplications: true }), ctx).topApplications).toBeUndefined();
  });

  it('sends bidirectional only when on, and explain only when asked', () => {
    expect(toProxyRequest(model({ bidirectional: false }), ctx).bidirectional).toBeUndefined();
    expect(toProxyRequest(model({ bidirectional: true }), ctx).bidirectional).toBe(true);
    expect(toProxyRequest(model({}), { ...ctx, explain: true }).explain).toBe(true);
  });

  it('keeps a nested tree with negations and drops half-typed rules', () => {
    const filter: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'dst_port', op: '=', values: ['22'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], not: true },
        { dimension: '', op: '=', values: [] },
        {
          op: 'or',
          not: true,
          rules: [
            { dimension: 'src_country', op: 'in', values: ['CN', 'RU', ''] },
            { dimension: 'action', op: '=', values: [] },
            { dimension: 'rule', op: 'exists', values: ['ignored'] },
          ],
        },
        { op: 'and', rules: [{ dimension: 'x', op: '=', values: [''] }] },
      ],
    };
    expect(toProxyRequest(model({ filter }), ctx).filters).toEqual({
      op: 'and',
      rules: [
        { dimension: 'dst_port', op: '=', values: ['22'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], not: true },
        {
          op: 'or',
          not: true,
          rules: [
            { dimension: 'src_country', op: 'in', values: ['CN', 'RU'] },
            { dimension: 'rule', op: 'exists', values: [] },
          ],
        },
      ],
    });
  });

  it('ANDs extra (ad hoc) filters with the query tree', () => {
    const filter: FilterGroup = { op: 'or', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'dst_port', op: '=', values: ['3389'] }] };
    const request = toProxyRequest(model({ filter }), { ...ctx, extraFilters: [{ dimension: 'src_country', op: '=', values: ['CN'] }] });
    expect(request.filters).toEqual({ op: 'and', rules: [filter, { dimension: 'src_country', op: '=', values: ['CN'] }] });
  });

  it('sends the text form instead of the tree in text mode, still ANDed with extra filters', () => {
    const q = model({
      filterMode: 'text',
      filterText: '  dst_port = 22 ',
      filter: { op: 'and', rules: [{ dimension: 'action', op: '=', values: ['deny'] }] },
    });
    const request = toProxyRequest(q, { ...ctx, extraFilters: [{ dimension: 'src_country', op: '=', values: ['CN'] }] });
    expect(request.filterText).toBe('dst_port = 22');
    expect(request.filters).toEqual({ op: 'and', rules: [{ dimension: 'src_country', op: '=', values: ['CN'] }] });
    expect(toProxyRequest({ ...q, filterText: '  ' }, ctx)).toMatchObject({
      filters: { op: 'and', rules: [{ dimension: 'action', op: '=', values: ['deny'] }] },
    });
  });

  it('sends an empty AND group when nothing filters', () => {
    expect(toProxyRequest(model({}), ctx).filters).toEqual({ op: 'and', rules: [] });
  });
});

describe('mode and metric constraints', () => {
  it('topology accepts additive metrics only; bytes_per_flow only its total', () => {
    expect(metricsForMode('topology').map((m) => m.value)).toEqual([
      'bits_per_second',
      'bytes',
      'packets',
      'flows',
      'packets_per_second',
      'flows_per_second',
    ]);
    expect(metricsForMode('table')).toHaveLength(10);
    expect(aggregationsFor('bytes_per_flow').map((a) => a.value)).toEqual(['total']);
    expect(aggregationsFor('bytes').map((a) => a.value)).toEqual(['total', 'avg', 'max', 'p95']);
  });
});

describe('operators per dimension type', () => {
  it('offers only what the engine accepts for the type', () => {
    const ops = (t?: string) => operatorsForType(t).map((o) => o.value);
    expect(ops('ip')).toEqual(['=', '!=', 'in', 'not_in', 'cidr', 'not_cidr', 'exists']);
    expect(ops('number')).toEqual(['=', '!=', 'in', 'not_in', '<', '<=', '>', '>=', 'exists']);
    expect(ops('string')).toEqual(['=', '!=', 'in', 'not_in', 'like', 'not_like', 'exists']);
    expect(ops(undefined)).toHaveLength(13);
  });
});

describe('filter helpers', () => {
  it('prunes to undefined when nothing is complete', () => {
    expect(pruneFilter({ op: 'and', rules: [{ dimension: 'a', op: '=', values: [] }] })).toBeUndefined();
  });

  it('does not wrap a single plain AND group twice', () => {
    const g: FilterGroup = { op: 'and', rules: [{ dimension: 'a', op: '=', values: ['1'] }] };
    expect(andFilters(g, undefined)).toBe(g);
    expect(andFilters({ ...g, not: true })).toEqual({ op: 'and', rules: [{ ...g, not: true }] });
  });

  it('validates IPv4 and IPv6 CIDRs', () => {
    for (const ok of ['10.0.0.0/8', '203.0.113.7/32', '2001:db8::/32', '::/0', 'fe80::1:2:3:4/64', '::ffff:10.0.0.1/128']) {
      expect([ok, isValidCidr(ok)]).toEqual([ok, true]);
    }
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '256.0.0.0/8', '2001:db8::/129', 'abc/8', '1:2:3:4:5:6:7:8:9/64', '10.0.0.0/8/1']) {
      expect([bad, isValidCidr(bad)]).toEqual([bad, false]);
    }
    expect(ruleProblem({ dimension: 'src_ip', op: 'cidr', values: ['10.0.0/8'] })).toMatch(/not a CIDR/);
    expect(ruleProblem({ dimension: 'src_ip', op: 'not_cidr', values: ['10.0.0.0/8'] })).toBeUndefined();
  });

  it('prints the tree in the engine text form', () => {
    const filter: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'dst_port', op: '=', values: ['22'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], not: true },
        {
          op: 'or',
          rules: [
            { dimension: 'src_country', op: 'in', values: ['CN', 'RU'] },
            { dimension: 'action', op: '=', values: ['deny'] },
          ],
        },
        { dimension: 'rule', op: 'not_like', values: ["it's here"] },
        { dimension: 'mac', op: 'exists', values: [] },
      ],
    };
    expect(filterToText(filter)).toBe(
      "dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny) and rule not like 'it\\'s here' and mac exists"
    );
    expect(filterToText({ op: 'or', not: true, rules: [{ dimension: 'a', op: '=', values: ['1'] }, { dimension: 'b', op: '=', values: ['2'] }] })).toBe(
      'not (a = 1 or b = 2)'
    );
    expect(filterToText({ op: 'and', rules: [] })).toBe('');
  });

  it('quotes values spelled like a grammar keyword, leaves a lone variable bare for interpolation to quote', () => {
    const filter: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'rule', op: '=', values: ['and'] },
        { dimension: 'resource', op: 'in', values: ['OR', 'Not', 'exists', 'not_in', 'web'] },
        { dimension: 'src_ip', op: '=', values: ['$host'] },
        { dimension: 'src_country', op: 'in', values: ['${countries}'] },
        { dimension: 'rule', op: 'like', values: ['nsg-$env%'] },
      ],
    };
    expect(filterToText(filter)).toBe(
      "rule = 'and' and resource in ('OR', 'Not', 'exists', 'not_in', web) and src_ip = $host and src_country in (${countries}) and rule like 'nsg-$env%'"
    );
  });

  it('escapes backslashes, quotes and line breaks inside quoted values, as the engine reads them', () => {
    const filter: FilterGroup = { op: 'and', rules: [{ dimension: 'rule', op: 'in', values: ["it's", 'a\\b', 'two\nlines'] }] };
    expect(filterToText(filter)).toBe("rule in ('it\\'s', 'a\\\\b', 'two\\\nlines')");
  });

  it('never drops values: a multi-value = / != prints as in / not in, other operators as a list', () => {
    const filter: FilterGroup = {
      op: 'and',
      rules: [
        { dimension: 'dst_port', op: '=', values: ['22', '2222'] },
        { dimension: 'src_country', op: '!=', values: ['US', 'DE'], not: true },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8', '192.168.0.0/16'] },
        { dimension: 'action', op: '=', values: ['deny'] },
      ],
    };
    expect(filterToText(filter)).toBe(
      'dst_port in (22, 2222) and not src_country not in (US, DE) and src_ip cidr (10.0.0.0/8, 192.168.0.0/16) and action = deny'
    );
  });
});
