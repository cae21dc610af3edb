import { test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryError } from './errors.js';
import { planQuery } from './index.js';
import { validateQuery } from './validate.js';
import type { PlanContext } from './types.js';

const ctx: PlanContext = {
  timescale: false,
  now: Date.UTC(2026, 0, 5),
  rollups: [],
  sites: [],
  limits: { maxRows: 10_000, maxSeries: 20, maxTopN: 50 },
};
const range = { from: '2026-01-04T00:00:00Z', to: '2026-01-05T00:00:00Z' };

function rejection(body: unknown): QueryError {
  try {
    planQuery(body, ctx);
  } catch (err) {
    assert.ok(err instanceof QueryError, String(err));
    return err;
  }
  assert.fail(`accepted ${JSON.stringify(body)}`);
}

test('the skeleton request is accepted as it was specified', () => {
  const q = validateQuery(
    {
      from: '2026-01-04T00:00:00Z',
      to: 1767571200000,
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filters: [
        { dimension: 'dst_port', op: '=', values: [22] },
        { dimension: 'protocol', op: 'in', values: ['tcp', 'udp'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8'], exclude: true },
      ],
      topN: 10,
    },
    ctx,
  );
  assert.equal(q.fromMs, Date.UTC(2026, 0, 4));
  assert.equal(q.toMs, 1767571200000);
  assert.deepEqual(q.dimensions.map((d) => d.name), ['src_ip', 'src_country']);
  const rules = q.filter!.rules;
  assert.deepEqual(rules.map((r) => r.kind === 'rule' && [r.def.name, r.op, r.values, r.not]), [
    ['dst_port', '=', [22], false],
    ['protocol', 'in', [6, 17], false],
    ['src_ip', 'cidr', ['10.0.0.0/8'], true],
  ]);
});

test('relative times count back from the context clock', () => {
  const q = validateQuery({ from: 'now-6h', to: 'now' }, ctx);
  assert.deepEqual([q.fromMs, q.toMs], [ctx.now - 6 * 3_600_000, ctx.now]);
  assert.equal(validateQuery({ from: 'now-2d', to: 'now-30m' }, ctx).toMs, ctx.now - 30 * 60_000);
});

test('defaults: table, bytes, total, top 10, no filter', () => {
  const q = validateQuery(range, ctx);
  assert.deepEqual([q.mode, q.metric, q.aggregation, q.topN, q.filter, q.bidirectional, q.other], ['table', 'bytes', 'total', 10, null, false, false]);
});

test('every 400 names the JSON path of the offending field', () => {
  const cases: [unknown, string][] = [
    [[], 'body'],
    [{ to: range.to }, 'from'],
    [{ ...range, from: 'yesterday' }, 'from'],
    [{ ...range, from: 'now-6y' }, 'from'],
    [{ ...range, to: '2026-01-03T00:00:00Z' }, 'to'],
    [{ ...range, mode: 'graph' }, 'mode'],
    [{ ...range, metric: 'octets' }, 'metric'],
    [{ ...range, dimensions: ['src_ip', 'src_planet'] }, 'dimensions[1]'],
    [{ ...range, dimensions: ['src_ip/129'] }, 'dimensions[0]'],
    [{ ...range, dimensions: 'src_ip' }, 'dimensions'],
    [{ ...range, filters: [{ dimension: 'dst_port', op: '=', values: [22] }, { dimension: 'port', op: '=', values: [1] }] }, 'filters[1].dimension'],
    [{ ...range, filters: [{ dimension: 'dst_port', op: 'approx', values: [22] }] }, 'filters[0].op'],
    [{ ...range, filters: [{ dimension: 'dst_port', op: '=', values: ['ssh'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'src_ip', op: '=', values: ['10.0.0.0/8'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/33'] }] }, 'filters[0].values[0]'],
    // A prefix dimension's groups are networks of its length: a shorter or longer mask never equals one.
    [{ ...range, filters: [{ dimension: 'src_ip/24', op: '=', values: ['10.1.0.0/16'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'dst_ip/64', op: 'not_in', values: ['10.0.0.1', '2001:db8::/48'] }] }, 'filters[0].values[1]'],
    // Negations are booleans: the string "false" must not negate.
    [{ ...range, filters: [{ dimension: 'action', op: '=', values: ['deny'], exclude: 'false' }] }, 'filters[0].exclude'],
    [{ ...range, filters: { op: 'and', rules: [{ dimension: 'action', op: '=', values: ['deny'], not: 'false' }] } }, 'filters.rules[0].not'],
    [{ ...range, filters: { op: 'or', not: 1, rules: [{ dimension: 'action', op: '=', values: ['deny'] }] } }, 'filters.not'],
    // An IPv6 zone passes node:net's isIP but is no inet value.
    [{ ...range, filters: [{ dimension: 'src_ip', op: '=', values: ['fe80::1%eth0'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'dst_ip', op: 'not_cidr', values: ['::1', 'fe80::%1/64'] }] }, 'filters[0].values[1]'],
    [{ ...range, filters: [{ dimension: 'src_port', op: 'like', values: ['2%'] }] }, 'filters[0].op'],
    [{ ...range, filters: [{ dimension: 'protocol', op: '=', values: ['quic'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'dst_port', op: '<', values: [1, 2] }] }, 'filters[0].values'],
    [{ ...range, filters: [{ dimension: 'action', op: 'in', values: [] }] }, 'filters[0].values'],
    [{ ...range, filters: { op: 'and', rules: [{ dimension: 'action', op: '=', values: ['deny'] }, { op: 'or', rules: [{ dimension: 'x', op: '=', values: ['1'] }] }] } }, 'filters.rules[1].rules[0].dimension'],
    [{ ...range, filters: { op: 'xor', rules: [] } }, 'filters.op'],
    [{ ...range, filters: { op: 'and', rules: [{ op: 'or', rules: [] }] } }, 'filters.rules[0].rules'],
    [{ ...range, filters: 'dst_port = 22' }, 'filters'],
    [{ ...range, filterText: 42 }, 'filterText'],
    [{ ...range, topN: 0 }, 'topN'],
    [{ ...range, topN: 51 }, 'topN'],
    [{ ...range, topN: 2.5 }, 'topN'],
    [{ ...range, aggregation: 'median' }, 'aggregation'],
    [{ ...range, metric: 'bytes_per_flow', aggregation: 'p95' }, 'aggregation'],
    [{ ...range, mode: 'topology', metric: 'unique_src_ips' }, 'metric'],
    [{ ...range, mode: 'topology', level: 'city' }, 'level'],
    [{ ...range, intervalMs: -5 }, 'intervalMs'],
    [{ ...range, bidirectional: 'yes' }, 'bidirectional'],
    // A LIKE pattern ending in its escape character fails on the first row it reaches.
    [{ ...range, filters: [{ dimension: 'rule', op: 'like', values: ['Deny\\'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'rule', op: 'not_like', values: ['%', '%\\\\\\'] }] }, 'filters[0].values[1]'],
    [{ ...range, filterText: 'rule like "x\\\\"' }, 'filterText'],
    // U+0000 cannot be a PostgreSQL text parameter.
    [{ ...range, filters: [{ dimension: 'src_country', op: '=', values: ['a\u0000b'] }] }, 'filters[0].values[0]'],
    [{ ...range, filters: [{ dimension: 'rule', op: 'not_like', values: ['%', '%\u0000'] }] }, 'filters[0].values[1]'],
    [{ ...range, filterText: 'src_country = "\u0000"' }, 'filterText'],
    // Times JavaScript cannot write as ISO text, or PostgreSQL cannot read back.
    [{ ...range, from: 1e20 }, 'from'],
    [{ ...range, to: '99999999999999999999' }, 'to'],
    [{ ...range, to: 1e16 }, 'to'],
    [{ ...range, from: '0000-01-01T00:00:00Z' }, 'from'],
    [{ ...range, from: -62198755200001 }, 'from'],
    [{ ...range, from: 'now-999999w' }, 'from'],
    // Buckets aligned to the epoch that would start or end beyond those years.
    [{ ...range, mode: 'timeseries', intervalMs: 1e15 }, 'intervalMs'],
    [{ ...range, mode: 'timeseries', intervalMs: 1e300 }, 'intervalMs'],
    [{ from: '0001-01-01T00:00:00Z', to: '9999-12-31T00:00:00Z', mode: 'timeseries', maxDataPoints: 1 }, 'maxDataPoints'],
  ];
  for (const [body, field] of cases) {
    const err = rejection(body);
    assert.equal(err.statusCode, 400, JSON.stringify(body));
    assert.equal(err.field, field, `${JSON.stringify(body)}: ${err.message}`);
    assert.ok(err.message.startsWith(field), err.message);
  }
});

test('times from 0001-01-01 to 9999-12-31 are accepted and written as ISO text PostgreSQL reads', () => {
  const whole = planQuery({ from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59.999Z' }, ctx);
  assert.deepEqual(whole.explain.params, ['0001-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z']);
  const first = planQuery({ from: '0001-01-01T00:00:00Z', to: '0001-01-31T00:00:00Z', mode: 'timeseries', intervalMs: 86_400_000 }, ctx);
  assert.deepEqual(first.explain.params.slice(0, 2), ['0001-01-01T00:00:00.000Z', '0001-01-31T00:00:00.000Z']);
  const last = planQuery({ from: '9999-12-01T00:00:00Z', to: '9999-12-31T00:00:00Z', mode: 'timeseries', intervalMs: 86_400_000 }, ctx);
  assert.deepEqual(last.explain.params.slice(0, 2), ['9999-12-01T00:00:00.000Z', '9999-12-31T00:00:00.000Z']);
});

test('ISO times: offsets honoured, no offset means UTC (not the server’s zone), impossible dates and free text refused', () => {
  const from = (value: string) => validateQuery({ from: value, to: '2026-01-05T00:00:00Z' }, ctx).fromMs;
  assert.equal(from('2026-01-04'), Date.UTC(2026, 0, 4));
  assert.equal(from('2026-01-04T06:30:00'), Date.UTC(2026, 0, 4, 6, 30));
  assert.equal(from('2026-01-04 06:30'), Date.UTC(2026, 0, 4, 6, 30));
  assert.equal(from('2026-01-04T06:30:15.25Z'), Date.UTC(2026, 0, 4, 6, 30, 15, 250));
  assert.equal(from('2026-01-04T06:30:15.123456789Z'), Date.UTC(2026, 0, 4, 6, 30, 15, 123));
  assert.equal(from('2026-01-04T08:30:00+02:00'), Date.UTC(2026, 0, 4, 6, 30));
  assert.equal(from('2026-01-04T01:00:00-0530'), Date.UTC(2026, 0, 4, 6, 30));
  assert.equal(from('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  for (const bad of ['2026-02-30', '2025-02-29T00:00:00Z', '2026-13-01', '2026-01-04T24:00:00Z', '2026-01-04T06:60Z', '2026-01-04 junk', 'May 5 2026']) {
    assert.equal(rejection({ from: bad, to: '2026-01-05T00:00:00Z' }).field, 'from', bad);
  }
});

test('prefix dimensions: = and in take any address of the network (or the network itself), at the length for its family', () => {
  const q = validateQuery({
    ...range,
    filters: [
      { dimension: 'src_ip/24', op: '=', values: ['10.1.2.7', '10.1.2.0/24', '10.1.2.255/24', '2001:db8:1:2::1'] },
      { dimension: 'dst_ip/64', op: '!=', values: ['10.0.0.1'] },
      { dimension: 'dst_ip/64', op: 'not_in', values: ['10.0.0.1/32', '2001:db8:1:2::1', '::ffff:10.0.0.9'] },
      { dimension: 'src_ip/0', op: '=', values: ['192.0.2.1'] },
      { dimension: 'src_ip/16', op: 'cidr', values: ['10.1.2.7/8'] },
    ],
  }, ctx);
  assert.deepEqual(q.filter!.rules.map((r) => r.kind === 'rule' && r.values), [
    ['10.1.2.0/24', '10.1.2.0/24', '10.1.2.0/24', '2001:d00:0:0:0:0:0:0/24'],
    ['10.0.0.1/32'],
    ['10.0.0.1/32', '2001:db8:1:2:0:0:0:0/64', '0:0:0:0:0:0:0:0/64'],
    ['0.0.0.0/0'],
    // cidr keeps its prefix as written
    ['10.1.2.7/8'],
  ]);
});

test('LIKE patterns: an escaped backslash at the end is a literal one', () => {
  const q = validateQuery({ ...range, filters: [{ dimension: 'rule', op: 'like', values: ['a\\\\', '\\%'] }], filterText: 'rule not_like "\\\\\\\\"' }, ctx);
  const values = q.filter!.rules.flatMap((g) => (g.kind === 'group' ? g.rules : [g])).map((r) => r.kind === 'rule' && r.values);
  assert.deepEqual(values, [['a\\\\', '\\%'], ['\\\\']]);
});

test('a semantic error in filterText points at the rule: line and column', () => {
  const err = rejection({ ...range, filterText: 'dst_port = 22 and\n   (src_planet = mars or action = deny)' });
  assert.equal(err.statusCode, 400);
  assert.equal(err.field, 'filterText');
  assert.deepEqual([err.line, err.column], [2, 5]);
  assert.match(err.message, /unknown dimension "src_planet"/);
  const badValue = rejection({ ...range, filterText: 'action = deny and dst_port in (22, ssh)' });
  assert.deepEqual([badValue.line, badValue.column], [1, 19]);
});

test('more series than the cap allows is a 422 that says which knob to turn', () => {
  const series = rejection({ ...range, mode: 'timeseries', dimensions: ['src_ip'], topN: 15, other: true, bidirectional: true });
  assert.equal(series.statusCode, 422);
  assert.equal(series.field, 'topN');
  assert.match(series.message, /32 series/);
});

test('more points than the cap allows widen the step instead of failing, and the answer says so', () => {
  // A 1,900 px panel: Grafana sends maxDataPoints 1900 and an interval derived from it; 11 series
  // (top 10 + Other) × 1,900 buckets would pass the 10,000-point cap on an ordinary dashboard.
  const wide = planQuery({ ...range, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['dst_ip'], topN: 10, other: true, maxDataPoints: 1900, intervalMs: 45_000 }, ctx);
  // The step asked for: 86,400 s / 1,900 points → 46 s, the next nice step 60 s (1,440 buckets × 11 = 15,840 points).
  // Under the cap: 86,400 s / 908 buckets → at least 96 s; the next nice step is 2 min: 720 buckets × 11 = 7,920 points.
  assert.match(wide.explain.notice ?? '', /^step widened from 60 s to 120 s: 11 series × 720 buckets stay under the cap of 10000 points/);
  assert.deepEqual(wide.explain.params.filter((p) => p === '120000 milliseconds'), ['120000 milliseconds']);
  // 909 one-minute buckets × 11 series = 9,999 points, plus the 10 groups' rank rows: over the cap too.
  const edge = planQuery({ from: '2026-01-04T00:00:00Z', to: '2026-01-04T15:09:00Z', mode: 'timeseries', dimensions: ['dst_ip'], topN: 10, other: true, maxDataPoints: 1000, intervalMs: 60_000 }, ctx);
  assert.match(edge.explain.notice ?? '', /^step widened from 60 s to 120 s: 11 series × 455 buckets/);
  // An explicit one-second interval over a day: 86,400 points for one series, widened to 10 s.
  const points = planQuery({ ...range, mode: 'timeseries', metric: 'bytes', intervalMs: 1000, maxDataPoints: 100_000 }, ctx);
  assert.match(points.explain.notice ?? '', /^step widened from 1 s to 10 s: 1 series × 8640 buckets/);
  // Within the cap nothing is said.
  assert.equal(planQuery({ ...range, mode: 'timeseries', metric: 'bytes', maxDataPoints: 300 }, ctx).explain.notice, undefined);
  // Table p95 keeps each group's buckets in an array of at most 5,000.
  const p95 = planQuery({ ...range, aggregation: 'p95', maxDataPoints: 10_000 }, ctx);
  assert.match(p95.explain.notice ?? '', /under the cap of 5000 points/);
});

test('JSON groups, flat lists and filterText combine with AND; exclude and not both negate', () => {
  const q = validateQuery(
    {
      ...range,
      filters: { op: 'or', not: true, rules: [{ dimension: 'action', op: '=', values: ['deny'], exclude: true }, { dimension: 'src_inside', op: '=', values: [true] }] },
      filterText: 'dst_port = 22',
    },
    ctx,
  );
  const root = q.filter!;
  assert.equal(root.op, 'and');
  assert.equal(root.rules.length, 2);
  const group = root.rules[0]!;
  assert.ok(group.kind === 'group' && group.op === 'or' && group.not);
  assert.deepEqual(group.kind === 'group' && group.rules.map((r) => r.kind === 'rule' && [r.values, r.not]), [
    [['deny'], true],
    [['inside'], false],
  ]);
});

test('fuzz: 3000 malformed bodies only ever raise QueryError, never crash', () => {
  let seed = 7;
  const rand = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const junk = (depth: number): unknown => {
    const r = rand();
    if (r < 0.1) return null;
    if (r < 0.2) return Math.floor(rand() * 1e6) - 1000;
    if (r < 0.3) return rand() < 0.5;
    if (r < 0.45) return ['src_ip', '=', 'and', '(', '10.0.0.0/8', 'now-1h', '', 'x'.repeat(50), '"', 'dst_port in (1,'][Math.floor(rand() * 10)];
    if (r < 0.6 && depth > 0) return Array.from({ length: Math.floor(rand() * 4) }, () => junk(depth - 1));
    if (depth > 0) {
      const keys = ['dimension', 'op', 'values', 'rules', 'not', 'exclude', 'value'];
      return Object.fromEntries(keys.filter(() => rand() < 0.5).map((k) => [k, junk(depth - 1)]));
    }
    return undefined;
  };
  const fields = ['from', 'to', 'mode', 'metric', 'aggregation', 'dimensions', 'filters', 'filterText', 'topN', 'other',
    'maxDataPoints', 'intervalMs', 'bidirectional', 'level', 'explain', 'refId'];
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const body: Record<string, unknown> = { ...range };
    for (const f of fields) if (rand() < 0.3) body[f] = junk(3);
    try {
      const plan = planQuery(body, ctx);
      accepted++;
      assert.ok(plan.statements[0]!.sql.length > 0);
    } catch (err) {
      assert.ok(err instanceof QueryError, `${JSON.stringify(body)} → ${(err as Error).stack}`);
      assert.ok([400, 422].includes(err.statusCode));
      assert.ok(err.field, `no field for ${err.message}`);
    }
  }
  assert.ok(accepted > 0, 'some bodies are valid');
});

test('crosses_border: true / false (or yes / no) as a boolean parameter, its operators only, bad values at their position', () => {
  const q = validateQuery({ ...range, dimensions: ['crosses_border'], filterText: 'crosses_border = Yes and not crosses_border in (false)' }, ctx);
  assert.equal(q.dimensions[0]!.name, 'crosses_border');
  const rules = q.filter!.rules.map((r) => r.kind === 'rule' && [r.def.valueType, r.op, r.values, r.not]);
  assert.deepEqual(rules, [
    ['bool', '=', ['true'], false],
    ['bool', 'in', ['false'], true],
  ]);
  const bad = rejection({ ...range, filterText: 'src_inside = inside and\n  crosses_border = maybe' });
  assert.deepEqual([bad.field, bad.line, bad.column], ['filterText', 2, 3]);
  assert.match(bad.message, /"maybe" is not a valid value of crosses_border/);
  const like = rejection({ ...range, filters: [{ dimension: 'crosses_border', op: 'like', values: ['t%'] }] });
  assert.equal(like.field, 'filters[0].op');
  assert.match(like.message, /operator like does not apply to crosses_border \(use = != in not_in exists\)/);
});

test('topApplications: a boolean, for topology only', () => {
  assert.equal(validateQuery({ ...range, mode: 'topology', topApplications: true }, ctx).topApplications, true);
  assert.equal(validateQuery({ ...range, mode: 'topology' }, ctx).topApplications, false);
  const table = rejection({ ...range, mode: 'table', topApplications: true });
  assert.equal(table.field, 'topApplications');
  assert.match(table.message, /applies to mode topology only/);
  assert.equal(rejection({ ...range, mode: 'topology', topApplications: 'yes' }).field, 'topApplications');
});
