/**
 * Stage 1: unknown JSON → a typed, checked query, or a QueryError naming the JSON path at fault.
 * Everything after this stage can trust its input: dimensions are allow-listed definitions,
 * filter values have their parameter types, numbers are within the caps.
 */
import { isIP } from 'node:net';
import { lookupDimension, type DimensionDef } from './dimensions.js';
import { QueryError } from './errors.js';
import { filterTextPosition, parseFilterText } from './filter-text.js';
import { parseIsoTime } from '../model/iso-time.js';
import {
  AGGREGATIONS,
  FILTER_OPS,
  MODES,
  TOPOLOGY_LEVELS,
  isGroup,
  type Aggregation,
  type FilterGroup,
  type FilterNode,
  type FilterOp,
  type FilterRule,
  type Metric,
  type Mode,
  type PlanContext,
  type TopologyLevel,
} from './types.js';

export const METRICS: readonly Metric[] = [
  'bytes',
  'packets',
  'flows',
  'bits_per_second',
  'packets_per_second',
  'flows_per_second',
  'unique_src_ips',
  'unique_dst_ips',
  'unique_dst_ports',
  'bytes_per_flow',
];

/** Metrics that add up across groups and directions (the only ones topology can draw). */
export const ADDITIVE_METRICS: ReadonlySet<Metric> = new Set([
  'bytes', 'packets', 'flows', 'bits_per_second', 'packets_per_second', 'flows_per_second',
]);

export interface CheckedRule {
  kind: 'rule';
  def: DimensionDef;
  op: FilterOp;
  /** Parameter-ready values (numbers for int dimensions, strings otherwise). */
  values: (string | number)[];
  not: boolean;
}

export interface CheckedGroup {
  kind: 'group';
  op: 'and' | 'or';
  not: boolean;
  rules: (CheckedRule | CheckedGroup)[];
}

export type CheckedNode = CheckedRule | CheckedGroup;

export interface ValidQuery {
  fromMs: number;
  toMs: number;
  mode: Mode;
  metric: Metric;
  aggregation: Aggregation;
  dimensions: DimensionDef[];
  /** null = no filter. */
  filter: CheckedGroup | null;
  topN: number;
  other: boolean;
  maxDataPoints: number;
  intervalMs: number | null;
  bidirectional: boolean;
  level: TopologyLevel;
  /** Topology: also the top applications of each direction of each edge (a second statement). */
  topApplications: boolean;
  explain: boolean;
  refId: string | undefined;
}

const DEFAULT_TOP_N = 10;
const DEFAULT_MAX_DATA_POINTS = 300;
const MAX_DIMENSIONS = 8;
const MAX_VALUES = 1000;
const MAX_RULES = 200;
const MAX_DEPTH = 12;
const INT32 = 2 ** 31;

function fail(field: string, message: string, statusCode = 400): never {
  throw new QueryError(`${field}: ${message}`, { field, statusCode });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const RELATIVE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * The times a query may name, and its buckets reach: 0001-01-01 to 9999-12-31 (UTC). Outside
 * them JavaScript writes no ISO text, or text PostgreSQL does not read ("+010000-…", "-000001-…").
 */
export const FIRST_TIME_MS = Date.parse('0001-01-01T00:00:00.000Z');
export const LAST_TIME_MS = Date.parse('9999-12-31T23:59:59.999Z');

function parseTime(value: unknown, field: string, now: number): number {
  const ms = parseTimeValue(value, now);
  if (ms === null) return fail(field, 'expected an ISO 8601 time, epoch milliseconds or now-<n><s|m|h|d|w>');
  if (ms < FIRST_TIME_MS || ms > LAST_TIME_MS) return fail(field, 'outside the supported time range (years 0001 to 9999)');
  return ms;
}

function parseTimeValue(value: unknown, now: number): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
  if (typeof value === 'string') {
    // Grafana-style relative times ("now", "now-6h") for hand-written requests and examples.
    const relative = /^now(?:-(\d{1,6})([smhdw]))?$/.exec(value);
    if (relative) return relative[1] ? now - Number(relative[1]) * RELATIVE_UNITS[relative[2]!]! : now;
    if (/^\d+$/.test(value)) return Number(value);
    return parseIsoTime(value);
  }
  return null;
}


function pick<T extends string>(value: unknown, allowed: readonly T[], fallback: T, field: string): T {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  return fail(field, `expected one of ${allowed.join(', ')}`);
}

function optionalBool(value: unknown, field: string): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  return fail(field, 'expected true or false');
}

function optionalInt(value: unknown, field: string, min: number, max: number, statusCode = 400): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value)) fail(field, 'expected an integer');
  if (value < min || value > max) fail(field, `must be between ${min} and ${max}`, statusCode);
  return value;
}

function validIp(value: string): boolean {
  // node:net takes an IPv6 zone (fe80::1%eth0); PostgreSQL's inet does not.
  return isIP(value) !== 0 && !value.includes('%');
}

/** The network of a valid address at `length` bits, as inet text: 10.1.2.7, 24 → "10.1.2.0/24". */
export function networkOf(address: string, length: number): string {
  const bytes = isIP(address) === 4 ? address.split('.').map(Number) : ipv6Bytes(address);
  const masked = bytes.map((b, i) => b & (0xff << (8 - Math.max(0, Math.min(8, length - 8 * i)))) & 0xff);
  if (masked.length === 4) return `${masked.join('.')}/${length}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((masked[2 * i]! << 8) | masked[2 * i + 1]!).toString(16));
  return `${groups.join(':')}/${length}`;
}

/** The 16 bytes of a valid IPv6 address (with at most one "::", perhaps ending in dotted IPv4). */
function ipv6Bytes(address: string): number[] {
  const part = (text: string): number[] =>
    text === '' ? [] : text.split(':').flatMap((g) => (g.includes('.') ? g.split('.').map(Number) : [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
  const [head, tail] = address.split('::') as [string, string | undefined];
  const a = part(head);
  const b = tail === undefined ? [] : part(tail);
  return [...a, ...new Array<number>(16 - a.length - b.length).fill(0), ...b];
}

function validCidr(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash < 0) return validIp(value);
  const addr = value.slice(0, slash);
  const len = value.slice(slash + 1);
  const family = validIp(addr) ? isIP(addr) : 0;
  if (family === 0 || !/^\d{1,3}$/.test(len)) return false;
  return Number(len) <= (family === 4 ? 32 : 128);
}

/** Field path of a filter rule's part, plus text position when the rule came from filterText. */
interface Where {
  path: string;
  node: FilterNode;
  fromText: boolean;
}

function ruleError(where: Where, part: string, message: string): never {
  const position = where.fromText ? filterTextPosition(where.node) : undefined;
  if (position) {
    throw new QueryError(`filterText line ${position.line} column ${position.column}: ${message}`, {
      field: 'filterText',
      line: position.line,
      column: position.column,
    });
  }
  return fail(`${where.path}${part}`, message);
}

function checkValue(def: DimensionDef, op: FilterOp, raw: string, where: Where, index: number): string | number {
  const bad = (why: string): never => ruleError(where, `.values[${index}]`, `${JSON.stringify(raw)} ${why}`);
  // PostgreSQL text cannot hold U+0000: no stored value has it, and as a parameter it is an error.
  if (raw.includes('\u0000')) bad('contains a NUL character (U+0000), which no stored value can hold');
  if (op === 'like' || op === 'not_like') {
    // LIKE escapes with \: a pattern ending in a lone one is an error PostgreSQL raises only on the rows it reaches.
    if ((/\\+$/.exec(raw)?.[0].length ?? 0) % 2 === 1) bad('ends with a lone \\ (the LIKE escape); write \\\\ for a backslash');
    return raw;
  }
  if (def.normalize) {
    const v = def.normalize(raw);
    if (v === undefined) bad(`is not a valid value of ${def.name}`);
    return v as string | number;
  }
  switch (def.valueType) {
    case 'int': {
      if (!/^-?\d{1,10}$/.test(raw) || Math.abs(Number(raw)) >= INT32) bad('is not an integer');
      return Number(raw);
    }
    case 'bigint': {
      if (!/^-?\d{1,15}$/.test(raw)) bad('is not an integer');
      return Number(raw);
    }
    case 'inet': {
      const prefixAllowed = op === 'cidr' || op === 'not_cidr' || def.name.includes('/');
      if (prefixAllowed ? !validCidr(raw) : !validIp(raw)) {
        bad(prefixAllowed ? 'is not an IP address or CIDR prefix' : 'is not an IP address (use op cidr for a prefix)');
      }
      if (op === 'cidr' || op === 'not_cidr' || !def.name.includes('/')) return raw;
      // src_ip/24 = 10.1.2.7 means the /24 network 10.1.2.0/24 (inet equality compares masks too,
      // so the address as written would never equal a group).
      const [address, written] = raw.split('/') as [string, string | undefined];
      const dimLength = Number(def.name.slice(def.name.indexOf('/') + 1));
      const length = isIP(address) === 4 ? Math.min(dimLength, 32) : dimLength;
      if (written !== undefined && Number(written) !== length) {
        bad(`is a /${written} prefix, never a ${def.name} network (/${length}); use op cidr for the networks inside a prefix`);
      }
      return networkOf(address, length);
    }
    default:
      return raw;
  }
}

function rawValues(value: unknown, where: Where): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  if (list.length > MAX_VALUES) ruleError(where, '.values', `at most ${MAX_VALUES} values`);
  return list.map((v, i) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'boolean') return String(v);
    return ruleError(where, `.values[${i}]`, 'expected a string or number');
  });
}

/** A rule's or group's `not` / `exclude`: a boolean (or absent), so "false" cannot negate. */
function negation(node: FilterNode, key: 'not' | 'exclude', where: Where): boolean {
  const value = (node as unknown as Record<string, unknown>)[key];
  if (value === undefined || value === null || typeof value === 'boolean') return value === true;
  return ruleError(where, `.${key}`, 'expected true or false');
}

function checkRule(rule: FilterRule, where: Where): CheckedRule {
  const def = lookupDimension(String(rule.dimension));
  if (typeof rule.dimension !== 'string' || !def) {
    ruleError(where, '.dimension', `unknown dimension ${JSON.stringify(rule.dimension)}`);
  }
  let op = rule.op;
  if (!FILTER_OPS.includes(op)) ruleError(where, '.op', `unknown operator ${JSON.stringify(op)}; expected one of ${FILTER_OPS.join(' ')}`);
  if (!def.ops.includes(op)) {
    ruleError(where, '.op', `operator ${op} does not apply to ${def.name} (use ${def.ops.join(' ')})`);
  }
  const values = rawValues(rule.values, where);
  // JSON rules may say `exclude` (skeleton wording) or `not`.
  const negated = negation(rule, 'not', where) || negation(rule, 'exclude', where);
  if (op === 'exists') return { kind: 'rule', def, op, values: [], not: negated };
  if (values.length === 0) ruleError(where, '.values', `operator ${op} needs at least one value`);
  // The skeleton sent "=" / "!=" with several values meaning "any of them".
  if (values.length > 1 && op === '=') op = 'in';
  if (values.length > 1 && op === '!=') op = 'not_in';
  if (['<', '<=', '>', '>='].includes(op) && values.length !== 1) {
    ruleError(where, '.values', `operator ${op} takes exactly one value`);
  }
  const checked = values.map((v, i) => checkValue(def, op, v, where, i));
  return { kind: 'rule', def, op, values: checked, not: negated };
}

interface Budget {
  rules: number;
}

function checkNode(node: FilterNode, where: Where, depth: number, budget: Budget): CheckedNode {
  if (depth > MAX_DEPTH) ruleError(where, '', `filter nesting deeper than ${MAX_DEPTH}`);
  if (isGroup(node)) {
    if (node.op !== 'and' && node.op !== 'or') ruleError(where, '.op', 'a group op must be "and" or "or"');
    if (node.rules.length === 0 && depth > 0) ruleError(where, '.rules', 'an empty group');
    return {
      kind: 'group',
      op: node.op,
      not: negation(node, 'not', where),
      rules: node.rules.map((child, i) => {
        if (!isObject(child)) return ruleError({ ...where, path: `${where.path}.rules[${i}]` }, '', 'expected a rule or group');
        return checkNode(child as unknown as FilterNode, { ...where, path: `${where.path}.rules[${i}]`, node: child as unknown as FilterNode }, depth + 1, budget);
      }),
    };
  }
  if (++budget.rules > MAX_RULES) ruleError(where, '', `more than ${MAX_RULES} filter rules`);
  return checkRule(node, where);
}

/** The skeleton's flat list: every item must hold (AND); `exclude` negates one. */
function fromFlatList(list: unknown[]): FilterGroup {
  return {
    op: 'and',
    rules: list.map((item, i) => {
      if (!isObject(item)) fail(`filters[${i}]`, 'expected {dimension, op, values}');
      if (Array.isArray(item.rules)) return item as unknown as FilterGroup;
      return {
        dimension: item.dimension as string,
        op: (item.op ?? '=') as FilterOp,
        values: (item.values ?? item.value) as string[],
        // checked as booleans by checkRule
        not: item.not,
        exclude: item.exclude,
      } as FilterRule;
    }),
  };
}

function parseText(text: unknown): FilterGroup {
  if (typeof text !== 'string') fail('filterText', 'expected a string');
  if (text.length > 20_000) fail('filterText', 'longer than 20000 characters');
  return parseFilterText(text);
}

function checkTextTree(tree: FilterGroup, budget: Budget): CheckedGroup {
  return checkNode(tree, { path: 'filterText', node: tree, fromText: true }, 0, budget) as CheckedGroup;
}

export interface FilterTextCheck {
  /** The parsed tree, also when only the semantic checks failed (null on a syntax error). */
  tree: FilterGroup | null;
  error: QueryError | null;
}

/**
 * The checks a query runs on its filterText (grammar, then dimensions, operators and values), on
 * the text alone: /api/v1/filter/validate answers with exactly what /api/v1/query would reject,
 * so the editor can underline it before the query runs.
 */
export function checkFilterText(text: unknown): FilterTextCheck {
  let tree: FilterGroup | null = null;
  try {
    tree = parseText(text);
    checkTextTree(tree, { rules: 0 });
    return { tree, error: null };
  } catch (err) {
    if (err instanceof QueryError) return { tree, error: err };
    throw err;
  }
}

function checkFilters(body: Record<string, unknown>): CheckedGroup | null {
  const parts: CheckedGroup[] = [];
  const budget = { rules: 0 };
  const filters = body.filters;
  if (Array.isArray(filters)) {
    const tree = fromFlatList(filters);
    // Flat list paths are filters[i], not filters.rules[i].
    const group: CheckedGroup = {
      kind: 'group',
      op: 'and',
      not: false,
      rules: tree.rules.map((node, i) => checkNode(node, { path: `filters[${i}]`, node, fromText: false }, 1, budget)),
    };
    parts.push(group);
  } else if (isObject(filters)) {
    if (!Array.isArray(filters.rules)) fail('filters.rules', 'expected an array of rules and groups');
    parts.push(checkNode(filters as unknown as FilterGroup, { path: 'filters', node: filters as unknown as FilterNode, fromText: false }, 0, budget) as CheckedGroup);
  } else if (filters !== undefined && filters !== null) {
    fail('filters', 'expected a list of filters or a group {op, rules}');
  }
  if (body.filterText !== undefined && body.filterText !== null) {
    parts.push(checkTextTree(parseText(body.filterText), budget));
  }
  const nonEmpty = parts.filter((g) => g.rules.length > 0 || g.not);
  if (nonEmpty.length === 0) return null;
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  return { kind: 'group', op: 'and', not: false, rules: nonEmpty };
}

/** Stage 1 of the pipeline: see the file comment. */
export function validateQuery(body: unknown, ctx: PlanContext): ValidQuery {
  if (!isObject(body)) fail('body', 'expected a JSON object');
  if (body.from === undefined) fail('from', 'required');
  if (body.to === undefined) fail('to', 'required');
  const fromMs = parseTime(body.from, 'from', ctx.now);
  const toMs = parseTime(body.to, 'to', ctx.now);
  if (toMs <= fromMs) fail('to', 'must be after from');

  const mode = pick(body.mode, MODES, 'table', 'mode');
  const metric = pick(body.metric, METRICS, 'bytes', 'metric');
  const aggregation = pick(body.aggregation, AGGREGATIONS, 'total', 'aggregation');
  if (metric === 'bytes_per_flow' && aggregation !== 'total') {
    fail('aggregation', 'bytes_per_flow is a ratio over the whole range; only "total" applies');
  }
  const level = pick(body.level, TOPOLOGY_LEVELS, 'site', 'level');
  if (mode === 'topology' && !ADDITIVE_METRICS.has(metric)) {
    fail('metric', `topology draws additive metrics only (${[...ADDITIVE_METRICS].join(', ')})`);
  }

  let dimensions: DimensionDef[] = [];
  if (body.dimensions !== undefined && body.dimensions !== null) {
    if (!Array.isArray(body.dimensions)) fail('dimensions', 'expected a list of dimension names');
    if (body.dimensions.length > MAX_DIMENSIONS) fail('dimensions', `at most ${MAX_DIMENSIONS} dimensions`);
    dimensions = body.dimensions.map((name, i) => {
      const def = typeof name === 'string' ? lookupDimension(name) : undefined;
      if (!def) fail(`dimensions[${i}]`, `unknown dimension ${JSON.stringify(name)}`);
      return def;
    });
    const seen = new Set<string>();
    dimensions.forEach((d, i) => {
      if (seen.has(d.name)) fail(`dimensions[${i}]`, `${d.name} listed twice`);
      seen.add(d.name);
    });
  }

  const topN = optionalInt(body.topN, 'topN', 1, ctx.limits.maxTopN) ?? Math.min(DEFAULT_TOP_N, ctx.limits.maxTopN);
  const maxDataPoints = optionalInt(body.maxDataPoints, 'maxDataPoints', 1, 100_000) ?? DEFAULT_MAX_DATA_POINTS;
  let intervalMs: number | null = null;
  if (body.intervalMs !== undefined && body.intervalMs !== null) {
    if (typeof body.intervalMs !== 'number' || !Number.isFinite(body.intervalMs) || body.intervalMs <= 0) {
      fail('intervalMs', 'expected a positive number of milliseconds');
    }
    intervalMs = Math.round(body.intervalMs);
  }
  const other = optionalBool(body.other, 'other');
  const bidirectional = optionalBool(body.bidirectional, 'bidirectional');
  const explain = optionalBool(body.explain, 'explain');
  const topApplications = optionalBool(body.topApplications, 'topApplications');
  if (topApplications && mode !== 'topology') fail('topApplications', 'applies to mode topology only (the top applications of each edge)');
  if (body.refId !== undefined && typeof body.refId !== 'string') fail('refId', 'expected a string');

  if (bidirectional) {
    dimensions.forEach((d, i) => {
      if (d.swap === null) return;
      if (!lookupDimension(d.swap)) fail(`dimensions[${i}]`, `no reverse twin for ${d.name}`);
    });
  }

  const filter = checkFilters(body);
  const series = (dimensions.length > 0 ? topN + (other ? 1 : 0) : 1) * (bidirectional ? 2 : 1);
  if (mode === 'timeseries' && series > ctx.limits.maxSeries) {
    throw new QueryError(
      `topN: this query would return ${series} series, more than the cap of ${ctx.limits.maxSeries}; lower topN`,
      { field: 'topN', statusCode: 422 },
    );
  }
  return {
    fromMs,
    toMs,
    mode,
    metric,
    aggregation,
    dimensions,
    filter,
    topN,
    other,
    maxDataPoints,
    intervalMs,
    bidirectional,
    level,
    topApplications,
    explain,
    refId: body.refId as string | undefined,
  };
}
