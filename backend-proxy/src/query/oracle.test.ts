/**
 * Oracle test: thousands of random directional flows in a real database, hundreds of random
 * queries (dimensions, filter trees in JSON and text form, top-N with Other, bidirectional,
 * bucket widths, aggregations, topology), every answer compared exactly with a plain in-memory
 * evaluation. Every query a rollup answers (continuous aggregates on TimescaleDB, the proxy's
 * rollup tables on plain PostgreSQL) also runs on raw, and the two answers must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RollupRefresher } from '../execute/rollup-refresher.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { alignBuckets, chooseStep } from './buckets.js';
import { printFilter } from './filter-text.js';
import { planQuery } from './index.js';
import { lookupDimension } from './dimensions.js';
import {
  TEST_SITES,
  canonicalIp,
  dimValue,
  loadFlows,
  matches,
  networkOf,
  percentileCont,
  prng,
  randomFlows,
  rawAggregate,
  swapName,
  type TestFlow,
} from './oracle-reference.js';
import type { Frame, FilterGroup, FilterNode, FilterRule, Metric, PlanContext } from './types.js';

const SEED = Number(process.env.ORACLE_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FLOW_COUNT = 3000;
const QUERY_COUNT = Number(process.env.ORACLE_QUERIES ?? 300);
const BASE_MS = Date.UTC(2026, 0, 5, 0, 0, 0);
const SPAN_MS = 6 * 3_600_000;
const LIMITS = { maxRows: 200_000, maxSeries: 200, maxTopN: 50 };

const ALL_DIMS = [
  'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'application', 'src_country', 'dst_country',
  'src_site', 'dst_site', 'src_region', 'dst_region', 'provider', 'src_provider', 'dst_provider',
  'direction', 'action', 'flow_state', 'resource', 'rule', 'source_type', 'src_asn', 'dst_asn',
  'src_as_name', 'dst_as_name', 'tcp_flags', 'mac', 'src_inside', 'dst_inside', 'crosses_border', 'src_ip/24', 'dst_ip/64', 'src_ip/16',
];
const ROLLUP_DIMS = [
  'protocol', 'application', 'src_country', 'dst_country', 'src_site', 'dst_site', 'src_region', 'dst_region',
  'provider', 'src_provider', 'dst_provider', 'direction', 'action', 'flow_state', 'resource', 'rule', 'source_type',
  'src_inside', 'dst_inside', 'crosses_border',
];
const METRICS: Metric[] = [
  'bytes', 'packets', 'flows', 'bits_per_second', 'packets_per_second', 'flows_per_second',
  'unique_src_ips', 'unique_dst_ips', 'unique_dst_ports', 'bytes_per_flow',
];
const ROLLUP_METRICS: Metric[] = ['bytes', 'packets', 'flows', 'bits_per_second', 'packets_per_second', 'flows_per_second', 'bytes_per_flow'];

// ---------- random queries ----------

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

function sample<T>(rand: () => number, list: readonly T[], n: number): T[] {
  const copy = [...list];
  const out: T[] = [];
  while (out.length < n && copy.length) out.push(copy.splice(Math.floor(rand() * copy.length), 1)[0]!);
  return out;
}

function randomRule(rand: () => number, flows: TestFlow[], dims: readonly string[]): FilterRule {
  const dimension = pick(rand, dims);
  const def = lookupDimension(dimension)!;
  const op = pick(rand, def.ops);
  const seen = (): string => {
    const v = dimValue(pick(rand, flows), dimension);
    if (v !== null) return String(v);
    return def.type === 'number' ? '22' : def.type === 'ip' ? '10.10.0.4' : dimension === 'crosses_border' ? pick(rand, ['true', 'false', 'yes', 'NO']) : 'allow';
  };
  let values: string[];
  switch (op) {
    case 'exists':
      values = [];
      break;
    case 'in':
    case 'not_in':
      values = Array.from({ length: 1 + Math.floor(rand() * 3) }, seen);
      break;
    case 'cidr':
    case 'not_cidr': {
      const ip = String(dimValue(pick(rand, flows), dimension.replace(/\/.*/, ''))).split('/')[0]!;
      const len = ip.includes(':') ? pick(rand, [16, 32, 48, 64, 128]) : pick(rand, [8, 16, 24, 32]);
      values = [networkOf(ip, len)];
      break;
    }
    case 'like':
    case 'not_like': {
      const v = seen();
      values = [pick(rand, [`${v.slice(0, 2)}%`, `%${v.slice(1, 3)}%`, `_${v.slice(1)}`, v])];
      break;
    }
    default:
      values = [seen()];
  }
  if (dimension === 'protocol' && rand() < 0.3) values = values.map((v) => ({ tcp: '6', udp: '17', icmp: '1' })[v] ?? v);
  return { dimension, op, values, ...(rand() < 0.2 ? { not: true } : {}) };
}

function randomTree(rand: () => number, flows: TestFlow[], dims: readonly string[], depth: number): FilterGroup {
  const size = 1 + Math.floor(rand() * 3);
  const rules: FilterNode[] = [];
  for (let i = 0; i < size; i++) {
    rules.push(depth > 0 && rand() < 0.3 ? randomTree(rand, flows, dims, depth - 1) : randomRule(rand, flows, dims));
  }
  return { op: rand() < 0.5 ? 'and' : 'or', rules, ...(rand() < 0.15 ? { not: true } : {}) };
}

interface RandomQuery {
  body: Record<string, unknown>;
  tree: FilterGroup | null;
}

function randomQuery(rand: () => number, flows: TestFlow[]): RandomQuery {
  const rollupFriendly = rand() < 0.5;
  const dimsPool = rollupFriendly ? ROLLUP_DIMS : ALL_DIMS;
  const mode = pick(rand, ['table', 'table', 'timeseries', 'timeseries', 'topology'] as const);
  const metric = mode === 'topology' ? pick(rand, ROLLUP_METRICS.slice(0, 6)) : pick(rand, rollupFriendly ? ROLLUP_METRICS : METRICS);
  const body: Record<string, unknown> = { mode, metric };
  // Time range: hour-aligned, minute-aligned or arbitrary milliseconds.
  const kind = pick(rand, ['hour', 'minute', 'ms']);
  if (kind === 'hour') {
    const from = BASE_MS + Math.floor(rand() * 6) * 3_600_000;
    body.from = from;
    body.to = from + (1 + Math.floor(rand() * 6)) * 3_600_000;
  } else if (kind === 'minute') {
    const from = BASE_MS + Math.floor(rand() * 300) * 60_000;
    body.from = new Date(from).toISOString();
    body.to = new Date(from + (1 + Math.floor(rand() * 200)) * 60_000).toISOString();
  } else {
    const from = BASE_MS - 600_000 + Math.floor(rand() * SPAN_MS);
    body.from = from;
    body.to = from + 1 + Math.floor(rand() * SPAN_MS);
  }
  if (mode === 'timeseries' || rand() < 0.3) {
    const interval = pick(rand, [null, 60_000, 300_000, 3_600_000, 15_000, 7_000]);
    if (interval !== null) body.intervalMs = interval;
    body.maxDataPoints = pick(rand, [10, 50, 300, 1000]);
  }
  if (mode === 'table' && metric !== 'bytes_per_flow') body.aggregation = pick(rand, ['total', 'total', 'avg', 'max', 'p95']);
  if (mode === 'topology') {
    body.level = pick(rand, ['site', 'region', 'country']);
    if (rand() < 0.4) body.topApplications = true;
  }
  else {
    body.dimensions = sample(rand, dimsPool, Math.floor(rand() * 3));
    body.topN = 1 + Math.floor(rand() * 6);
    if (rand() < 0.4) body.other = true;
    if (rand() < 0.4) body.bidirectional = true;
  }
  let tree: FilterGroup | null = null;
  const form = rand();
  if (form < 0.25) {
    // Skeleton flat list.
    const list = Array.from({ length: 1 + Math.floor(rand() * 2) }, () => randomRule(rand, flows, dimsPool));
    body.filters = list.map((r) => ({ dimension: r.dimension, op: r.op, values: r.values, exclude: Boolean(r.not) }));
    tree = { op: 'and', rules: list };
  } else if (form < 0.55) {
    tree = randomTree(rand, flows, dimsPool, 2);
    body.filters = tree;
  } else if (form < 0.8) {
    tree = randomTree(rand, flows, dimsPool, 2);
    body.filterText = printFilter(tree);
  }
  return { body, tree };
}

// ---------- reference evaluation ----------

const RATE: Partial<Record<Metric, number>> = { bits_per_second: 8, packets_per_second: 1, flows_per_second: 1 };

interface Scope {
  metric: Metric;
  seconds: number;
  bucketCount: number;
}

function finalValue(scope: Scope, v: number | null, w: number | null, kind: 'range' | 'bucket' | 'bucket-sum'): number | null {
  if (scope.metric === 'bytes_per_flow') return w ? (v as number) / w : null;
  let x = v ?? 0;
  if (kind === 'bucket-sum') x = x / scope.bucketCount;
  const m = RATE[scope.metric];
  if (m !== undefined) x = (x * m) / scope.seconds;
  return x;
}

function labelKey(values: (string | number | null)[]): string {
  return JSON.stringify(values.map((v) => (v === null ? '' : String(v))));
}

function isIpDim(name: string): boolean {
  return lookupDimension(name)!.type === 'ip';
}

function dbLabel(name: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  return isIpDim(name) ? canonicalIp(String(value)) : String(value);
}

interface Answer {
  frames: Frame[];
  table: string;
  /** Read a narrow geography level (its name is in the plan's reason). */
  geo: boolean;
}

function checkQuery(rq: RandomQuery, flows: TestFlow[], answer: Answer, label: string): void {
  const body = rq.body;
  const mode = body.mode as string;
  const metric = body.metric as Metric;
  const fromMs = typeof body.from === 'number' ? body.from : Date.parse(body.from as string);
  const toMs = typeof body.to === 'number' ? body.to : Date.parse(body.to as string);
  const aggregation = (body.aggregation as string | undefined) ?? 'total';
  const bucketed = mode === 'timeseries' || (mode === 'table' && aggregation !== 'total');
  const buckets = bucketed
    ? alignBuckets(fromMs, toMs, chooseStep(fromMs, toMs, (body.maxDataPoints as number) ?? 300, (body.intervalMs as number) ?? null))
    : null;
  const lo = buckets ? buckets.startMs : fromMs;
  const hi = buckets ? buckets.endMs : toMs;
  const scope: Scope = {
    metric,
    seconds: buckets && mode !== 'topology' && (mode === 'timeseries' || aggregation !== 'total') ? buckets.stepMs / 1000 : (toMs - fromMs) / 1000,
    bucketCount: buckets?.count ?? 1,
  };
  const inRange = flows.filter((f) => f.time >= lo && f.time < hi);
  const fwd = rq.tree ? inRange.filter((f) => matches(f, rq.tree!, false)) : inRange;
  const rev = rq.tree ? inRange.filter((f) => matches(f, rq.tree!, true)) : inRange;

  if (mode === 'topology') return checkTopology(body, fwd, scope, answer, label);

  const dims = (body.dimensions as string[]) ?? [];
  const topN = (body.topN as number) ?? 10;
  const keyFwd = (f: TestFlow) => labelKey(dims.map((d) => dimValue(f, d)));
  const keyRev = (f: TestFlow) => labelKey(dims.map((d) => dimValue(f, swapName(d))));
  const groupBy = (rows: TestFlow[], key: (f: TestFlow) => string) => {
    const m = new Map<string, TestFlow[]>();
    for (const r of rows) {
      const k = key(r);
      const list = m.get(k);
      if (list) list.push(r);
      else m.set(k, [r]);
    }
    return m;
  };
  const perBucket = (rows: TestFlow[]) => {
    const m = new Map<number, TestFlow[]>();
    for (const r of rows) {
      const b = Math.floor((r.time - buckets!.startMs) / buckets!.stepMs);
      const list = m.get(b);
      if (list) list.push(r);
      else m.set(b, [r]);
    }
    return m;
  };
  const tableValue = (rows: TestFlow[]): number | null => {
    if (aggregation === 'total') {
      const a = rawAggregate(metric, rows);
      return finalValue(scope, a.v, a.w, 'range');
    }
    const values = [...perBucket(rows).values()].map((b) => rawAggregate(metric, b).v as number);
    if (aggregation === 'avg') return finalValue(scope, values.length ? values.reduce((a, b) => a + b, 0) : null, null, 'bucket-sum');
    if (aggregation === 'max') return finalValue(scope, values.length ? Math.max(...values) : null, null, 'bucket');
    const padded = [...values, ...Array(buckets!.count - values.length).fill(0)];
    return finalValue(scope, percentileCont(padded, 0.95), null, 'bucket');
  };
  const rankValue = (rows: TestFlow[]): number => {
    const v = mode === 'table' ? tableValue(rows) : (() => {
      const a = rawAggregate(metric, rows);
      return metric === 'bytes_per_flow' ? (a.w ? a.v! / a.w : null) : a.v;
    })();
    return v === null ? -Infinity : v;
  };

  const groups = groupBy(fwd, keyFwd);
  const reverseGroups = groupBy(rev, keyRev);
  const ranks = new Map([...groups].map(([k, rows]) => [k, rankValue(rows)]));

  // Which groups the database chose, in its order.
  let chosen: string[];
  const dbValues = new Map<string, { fwd: unknown; rev?: unknown }>();
  let otherFwd: unknown;
  let otherRev: unknown;
  if (mode === 'table') {
    assert.equal(answer.frames.length, 1, `${label}: one table frame`);
    const fields = answer.frames[0]!.fields;
    const valueField = fields.find((f) => f.name === metric)!;
    const revField = fields.find((f) => f.name === `${metric}_reverse`);
    const n = valueField.values.length - (body.other && dims.length ? 1 : 0);
    chosen = [];
    for (let i = 0; i < n; i++) {
      const key = JSON.stringify(dims.map((d, j) => dbLabel(d, fields[j]!.values[i])));
      chosen.push(key);
      dbValues.set(key, { fwd: valueField.values[i], rev: revField?.values[i] });
    }
    if (body.other && dims.length) {
      otherFwd = valueField.values[n];
      otherRev = revField?.values[n];
    }
  } else {
    const isReverse = (f: Frame) => (f.fields[1]!.config?.custom as { transform?: string } | undefined)?.transform === 'negative-Y';
    const forwardFrames = answer.frames.filter((f) => !isReverse(f));
    const reverseFrames = answer.frames.filter(isReverse);
    assert.equal(reverseFrames.length, body.bidirectional ? forwardFrames.length : 0, `${label}: a reverse twin per series`);
    const times = forwardFrames[0]?.fields[0]!.values as number[] | undefined;
    if (times) {
      assert.deepEqual(times, Array.from({ length: buckets!.count }, (_, i) => buckets!.startMs + i * buckets!.stepMs), `${label}: aligned buckets`);
    }
    chosen = [];
    forwardFrames.forEach((frame, i) => {
      const labels = frame.fields[1]!.labels ?? {};
      const isOther = labels.other === 'true';
      const key = JSON.stringify(dims.map((d) => dbLabel(d, labels[d])));
      const entry = { fwd: frame.fields[1]!.values, rev: body.bidirectional ? reverseFrames[i]!.fields[1]!.values : undefined };
      if (isOther) {
        otherFwd = entry.fwd;
        otherRev = entry.rev;
      } else {
        chosen.push(key);
        dbValues.set(key, entry);
      }
    });
  }

  const series = (rows: TestFlow[]): (number | null)[] => {
    const byBucket = perBucket(rows);
    return Array.from({ length: buckets!.count }, (_, i) => {
      const b = byBucket.get(i);
      if (!b) return metric === 'bytes_per_flow' ? null : 0;
      const a = rawAggregate(metric, b);
      return finalValue(scope, a.v, a.w, 'bucket');
    });
  };
  const expectOf = (rows: TestFlow[]) => (mode === 'table' ? tableValue(rows) : series(rows));

  if (dims.length === 0) {
    assert.deepEqual(chosen, ['[]'], `${label}: one ungrouped answer`);
    assert.deepEqual(dbValues.get('[]')!.fwd, expectOf(fwd), `${label}: total`);
    if (body.bidirectional) assert.deepEqual(dbValues.get('[]')!.rev, expectOf(rev), `${label}: reverse total`);
    return;
  }
  // Top-N: the right number of groups, each a real group, none outranked by a left-out group.
  assert.equal(chosen.length, Math.min(topN, groups.size), `${label}: number of groups`);
  assert.equal(new Set(chosen).size, chosen.length, `${label}: distinct groups`);
  const chosenSet = new Set(chosen);
  const weakest = Math.min(...chosen.map((k) => {
    assert.ok(ranks.has(k), `${label}: group ${k} exists`);
    return ranks.get(k)!;
  }));
  for (const [k, r] of ranks) if (!chosenSet.has(k)) assert.ok(r <= weakest, `${label}: ${k} (${r}) outranks a chosen group (${weakest})`);
  if (mode === 'table') {
    const order = chosen.map((k) => ranks.get(k)!);
    assert.deepEqual(order, [...order].sort((a, b) => b - a), `${label}: sorted by the metric`);
  }
  for (const key of chosen) {
    assert.deepEqual(dbValues.get(key)!.fwd, expectOf(groups.get(key)!), `${label}: value of ${key}`);
    if (body.bidirectional) {
      assert.deepEqual(dbValues.get(key)!.rev, expectOf(reverseGroups.get(key) ?? []), `${label}: reverse of ${key}`);
    }
  }
  if (body.other) {
    assert.deepEqual(otherFwd, expectOf(fwd.filter((f) => !chosenSet.has(keyFwd(f)))), `${label}: Other`);
    if (body.bidirectional) assert.deepEqual(otherRev, expectOf(rev.filter((f) => !chosenSet.has(keyRev(f)))), `${label}: reverse Other`);
  }
}

function nodeId(level: string, f: TestFlow, side: 'src' | 'dst'): string {
  const site = f[`${side}_site`];
  const country = f[`${side}_country`];
  if (level === 'site') return site ?? country ?? 'unknown';
  if (level === 'region') return f[`${side}_region`] ?? site ?? country ?? 'unknown';
  return country ?? 'unknown';
}

function checkTopology(body: Record<string, unknown>, rows: TestFlow[], scope: Scope, answer: Answer, label: string): void {
  const level = (body.level as string) ?? 'site';
  const col = { bytes: 'bytes', bits_per_second: 'bytes', packets: 'packets', packets_per_second: 'packets', flows: 'flows', flows_per_second: 'flows' }[scope.metric as string] as 'bytes';
  const pairs = new Map<string, { v: number; f: number; x: boolean }>();
  for (const r of rows) {
    const k = JSON.stringify([nodeId(level, r, 'src'), nodeId(level, r, 'dst')]);
    const p = pairs.get(k) ?? { v: 0, f: 0, x: false };
    p.v += r[col];
    p.f += r.flows;
    p.x ||= r.src_country !== null && r.dst_country !== null && r.src_country !== r.dst_country;
    pairs.set(k, p);
  }
  const edges = new Map<string, { ab: number; ba: number; flows: number; crosses: boolean }>();
  for (const [k, p] of pairs) {
    const [s, d] = JSON.parse(k) as [string, string];
    if (s === d) continue;
    const [a, b] = s < d ? [s, d] : [d, s];
    const e = edges.get(`${a}--${b}`) ?? { ab: 0, ba: 0, flows: 0, crosses: false };
    const v = finalValue(scope, p.v, null, 'range')!;
    if (s === a) e.ab += v;
    else e.ba += v;
    e.flows += p.f;
    e.crosses ||= p.x;
    edges.set(`${a}--${b}`, e);
  }
  const frame = answer.frames.find((f) => f.name === 'edges')!;
  const col2 = (name: string) => frame.fields.find((f) => f.name === name)!.values;
  const got = new Map<string, { ab: number; ba: number; flows: number; crosses: boolean }>();
  col2('id').forEach((id, i) => {
    got.set(String(id), {
      ab: col2('detail__a_to_b')[i] as number,
      ba: col2('detail__b_to_a')[i] as number,
      flows: col2('detail__flows')[i] as number,
      crosses: col2('crosses_border')[i] as boolean,
    });
  });
  // Sums of rates may be added in a different order; counters must match exactly.
  const near = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  assert.deepEqual([...got.keys()].sort(), [...edges.keys()].sort(), `${label}: edge set`);
  for (const [k, e] of edges) {
    const g = got.get(k)!;
    assert.ok(near(g.ab, e.ab) && near(g.ba, e.ba), `${label}: edge ${k} ${JSON.stringify(g)} vs ${JSON.stringify(e)}`);
    assert.equal(g.flows, e.flows, `${label}: flows of ${k}`);
    assert.equal(g.crosses, e.crosses, `${label}: crosses_border of ${k}`);
  }
  if (body.topApplications) checkTopApplications(level, rows, col, frame, label);
}

/** Each direction's applications: the 3 with the largest sums above 0, ties by name, as "a, b, c". */
function checkTopApplications(level: string, rows: TestFlow[], col: 'bytes' | 'packets' | 'flows', frame: Frame, label: string): void {
  const sums = new Map<string, Map<string, number>>();
  for (const r of rows) {
    if (r.application === null) continue;
    const key = `${nodeId(level, r, 'src')}\u0000${nodeId(level, r, 'dst')}`;
    const apps = sums.get(key) ?? new Map<string, number>();
    apps.set(r.application, (apps.get(r.application) ?? 0) + r[col]);
    sums.set(key, apps);
  }
  const top = (from: string, to: string): string | null => {
    const ranked = [...(sums.get(`${from}\u0000${to}`) ?? new Map<string, number>())]
      .filter(([, v]) => v > 0)
      .sort(([x, vx], [y, vy]) => vy - vx || (x < y ? -1 : 1))
      .slice(0, 3);
    return ranked.length ? ranked.map(([app]) => app).join(', ') : null;
  };
  const values = (name: string) => frame.fields.find((f) => f.name === name)!.values;
  values('id').forEach((id, i) => {
    const a = values('source')[i] as string;
    const b = values('target')[i] as string;
    assert.deepEqual([values('detail__top_apps_a_to_b')[i], values('detail__top_apps_b_to_a')[i]], [top(a, b), top(b, a)], `${label}: applications of ${String(id)}`);
  });
}

// ---------- the test ----------

async function run(db: TestDatabase, plan: ReturnType<typeof planQuery>): Promise<Answer> {
  const results: Record<string, unknown>[][] = [];
  for (const s of plan.statements) results.push((await db.pool.query(s.sql, s.params)).rows);
  return { frames: plan.shape(results).frames, table: plan.explain.table, geo: /flows_geo_/.test(plan.explain.reason) };
}

test(`oracle: ${QUERY_COUNT} random queries over ${FLOW_COUNT} random flows equal the in-memory reference (seed ${SEED})`, async () => {
  const rand = prng(SEED);
  const flows = randomFlows(rand, FLOW_COUNT, BASE_MS, SPAN_MS);
  const db = await openTestDatabase();
  // No background refreshes: the test decides what is materialized when.
  const refresher = new RollupRefresher(db.pool, db.timescale, { idleDelayMs: 3_600_000, now: () => BASE_MS + SPAN_MS });
  try {
    // Every rollup state a query can meet: the first two thirds of the range materialized, the
    // rest summed from raw rows (real-time aggregates; plain PostgreSQL stitches store and raw),
    // and late rows that landed in the materialized part afterwards (refreshed as a query would,
    // before it reads a rollup).
    const half = BASE_MS + SPAN_MS / 2;
    const materialized = BASE_MS + (2 * SPAN_MS) / 3;
    const late = flows.filter((f, i) => f.time < half && i % 7 === 0);
    await loadFlows(db, flows.filter((f, i) => !(f.time < half && i % 7 === 0)));
    await refresher.init();
    await refresher.refresh({ untilMs: materialized });
    await loadFlows(db, late);
    refresher.markDirty(Math.min(...late.map((f) => f.time)), Math.max(...late.map((f) => f.time)));
    assert.equal(await refresher.ensureFresh(), true, 'late rows below the watermark are noticed');
    const rollups = refresher.rollups();
    assert.equal(rollups.length, 4, 'every rollup level exists on this database');
    const ctx: PlanContext = { timescale: db.timescale, now: BASE_MS + SPAN_MS, rollups, sites: TEST_SITES, limits: LIMITS };
    const rawCtx: PlanContext = { ...ctx, rollups: [] };
    const used = { raw: 0, '1m': 0, '5m': 0, '1h': 0 } as Record<string, number>;
    for (let i = 0; i < QUERY_COUNT; i++) {
      const rq = randomQuery(rand, flows);
      const label = `seed ${SEED} query ${i} ${JSON.stringify(rq.body)}`;
      let answer: Answer;
      try {
        answer = await run(db, planQuery(rq.body, ctx));
      } catch (err) {
        throw new Error(`${label}: ${(err as Error).message}`);
      }
      used[answer.table]!++;
      if (answer.geo) used.geo = (used.geo ?? 0) + 1;
      checkQuery(rq, flows, answer, `${label} [${answer.table}]`);
      if (answer.table !== 'raw') {
        // Rollups must equal raw, not only the reference.
        const raw = await run(db, planQuery(rq.body, rawCtx));
        assert.equal(raw.table, 'raw');
        assert.deepEqual(
          answer.frames.map((f) => f.fields),
          raw.frames.map((f) => f.fields),
          `${label}: rollup answer differs from raw`,
        );
      }
    }
    assert.ok(used['1m']! + used['1h']! > QUERY_COUNT / 20, `rollups used too rarely: ${JSON.stringify(used)}`);
    assert.ok((used.geo ?? 0) > 0, `the geography levels were never used: ${JSON.stringify(used)}`);
    assert.ok(used['5m']! > 0, `the five-minute level was never used: ${JSON.stringify(used)}`);
    console.log(`oracle (${db.timescale ? 'TimescaleDB' : 'plain PostgreSQL'}): tables used ${JSON.stringify(used)}`);
  } finally {
    await refresher.stop();
    await db.close();
  }
});
