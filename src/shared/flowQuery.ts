/**
 * The FlowAtlas structured query: the typed, versioned model an editor saves, and the pure mapping
 * from it to the JSON body of the proxy's `POST /api/v1/query`.
 *
 * Kept free of React and Grafana runtime imports on purpose: a future Grafana backend (alerting,
 * issue 10) compiles the same saved model, so it must load in plain Node.
 */

/** Bump when the saved shape changes, and add a step to src/datasource/migration.ts. */
export const FLOW_QUERY_VERSION = 2;

export type QueryMode = 'table' | 'timeseries' | 'topology';
export type Metric =
  | 'bytes'
  | 'packets'
  | 'flows'
  | 'bits_per_second'
  | 'packets_per_second'
  | 'flows_per_second'
  | 'unique_src_ips'
  | 'unique_dst_ips'
  | 'unique_dst_ports'
  | 'bytes_per_flow';
export type Aggregation = 'total' | 'avg' | 'max' | 'p95';
export type TopologyLevel = 'site' | 'region' | 'country';
export type FilterOperator =
  | '='
  | '!='
  | 'in'
  | 'not_in'
  | '<'
  | '<='
  | '>'
  | '>='
  | 'cidr'
  | 'not_cidr'
  | 'like'
  | 'not_like'
  | 'exists';
export type FilterMode = 'builder' | 'text';

export interface FilterRule {
  dimension: string;
  op: FilterOperator;
  values: string[];
  not?: boolean;
}

export interface FilterGroup {
  op: 'and' | 'or';
  not?: boolean;
  rules: FilterNode[];
}

export type FilterNode = FilterRule | FilterGroup;

/** What an editor saves (Grafana adds refId, datasource, hide around it). */
export interface FlowQueryModel {
  version: number;
  mode: QueryMode;
  metric: Metric;
  /** Table mode only: how per-bucket rates are reduced over the range. */
  aggregation?: Aggregation;
  dimensions: string[];
  filter: FilterGroup;
  filterMode: FilterMode;
  /** The text form, used instead of `filter` while filterMode is 'text'. */
  filterText?: string;
  topN: number;
  other: boolean;
  bidirectional: boolean;
  level?: TopologyLevel;
  /** Topology only: also each edge's top applications per direction (the geo panel's tooltip shows them). */
  topApplications?: boolean;
  /** Series name of a query without dimensions (default: its refId), e.g. "MySQL in". */
  alias?: string;
}

/** Body of `POST /api/v1/query` (the proxy's contract). */
export interface ProxyQueryRequest {
  from: number;
  to: number;
  mode: QueryMode;
  metric: Metric;
  aggregation?: Aggregation;
  dimensions: string[];
  filters: FilterGroup;
  filterText?: string;
  topN: number;
  other?: boolean;
  maxDataPoints?: number;
  intervalMs?: number;
  bidirectional?: boolean;
  level?: TopologyLevel;
  topApplications?: boolean;
  explain?: boolean;
}

export type ProxyFieldType = 'time' | 'number' | 'string' | 'boolean';

export interface ProxyField {
  name: string;
  type: ProxyFieldType;
  values: unknown[];
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface ProxyFrame {
  name?: string;
  refId?: string;
  fields: ProxyField[];
  meta?: {
    executedQueryString?: string;
    custom?: { table?: string; reason?: string; [k: string]: unknown };
    /** Shown by Grafana on the panel, e.g. "step widened … to stay under the cap". */
    notices?: Array<{ severity: 'info' | 'warning'; text: string }>;
  };
}

export interface ProxyQueryResponse {
  frames: ProxyFrame[];
}

/** The proxy's 4xx/5xx body. `field` names the offending request field, line/column a filterText position. */
export interface ProxyErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  line?: number;
  column?: number;
}

export interface DimensionInfo {
  name: string;
  label: string;
  type: string;
  category?: string;
}

export interface HealthResponse {
  status: string;
  database: string;
  rows?: number;
  /** False when `rows` is the planner's estimate (the proxy counts exactly only below 2M rows). */
  rowsExact?: boolean;
  newest?: string | number | null;
}

/**
 * Answer of `POST /api/v1/filter/validate`: the query's own filterText checks. When ok is false,
 * message/field/line/column say where, and `tree` is there when only the semantic checks failed.
 */
export interface FilterValidation {
  ok: boolean;
  tree?: FilterGroup;
  text?: string;
  message?: string;
  field?: string;
  line?: number;
  column?: number;
}

export interface MetricInfo {
  value: Metric;
  label: string;
  /** Grafana unit id for the value fields of this metric. */
  unit: string;
  /** Sums over groups and edges make sense: the only metrics topology mode accepts. */
  additive: boolean;
}

export const METRICS: MetricInfo[] = [
  // 'b/s': SI prefixes without milli (registered by src/datasource/units.ts); reads "b/s" even where it is not.
  { value: 'bits_per_second', label: 'Bits/s', unit: 'b/s', additive: true },
  { value: 'bytes', label: 'Bytes', unit: 'decbytes', additive: true },
  { value: 'packets', label: 'Packets', unit: 'short', additive: true },
  { value: 'flows', label: 'Flows', unit: 'short', additive: true },
  // Grafana's custom count units: K, M, B (no milli) and the name spelled out.
  { value: 'packets_per_second', label: 'Packets/s', unit: 'count:packets/s', additive: true },
  { value: 'flows_per_second', label: 'Flows/s', unit: 'count:flows/s', additive: true },
  { value: 'unique_src_ips', label: 'Unique source IPs', unit: 'short', additive: false },
  { value: 'unique_dst_ips', label: 'Unique destination IPs', unit: 'short', additive: false },
  { value: 'unique_dst_ports', label: 'Unique destination ports', unit: 'short', additive: false },
  { value: 'bytes_per_flow', label: 'Bytes per flow', unit: 'decbytes', additive: false },
];

export const AGGREGATIONS: Array<{ value: Aggregation; label: string }> = [
  { value: 'total', label: 'Total' },
  { value: 'avg', label: 'Average' },
  { value: 'max', label: 'Max' },
  { value: 'p95', label: 'p95' },
];

export interface OperatorInfo {
  value: FilterOperator;
  label: string;
  /** in/not_in take a list; exists takes none. */
  arity: 'one' | 'many' | 'none';
}

export const OPERATORS: OperatorInfo[] = [
  { value: '=', label: '=', arity: 'one' },
  { value: '!=', label: '!=', arity: 'one' },
  { value: 'in', label: 'in', arity: 'many' },
  { value: 'not_in', label: 'not in', arity: 'many' },
  { value: '<', label: '<', arity: 'one' },
  { value: '<=', label: '<=', arity: 'one' },
  { value: '>', label: '>', arity: 'one' },
  { value: '>=', label: '>=', arity: 'one' },
  { value: 'cidr', label: 'cidr', arity: 'one' },
  { value: 'not_cidr', label: 'not cidr', arity: 'one' },
  { value: 'like', label: 'like', arity: 'one' },
  { value: 'not_like', label: 'not like', arity: 'one' },
  { value: 'exists', label: 'exists', arity: 'none' },
];

export const MAX_DIMENSIONS = 8;

const OPS_BY_TYPE: Record<string, FilterOperator[]> = {
  string: ['=', '!=', 'in', 'not_in', 'like', 'not_like', 'exists'],
  number: ['=', '!=', 'in', 'not_in', '<', '<=', '>', '>=', 'exists'],
  ip: ['=', '!=', 'in', 'not_in', 'cidr', 'not_cidr', 'exists'],
};

/** Operators the engine accepts for a dimension type (/api/v1/dimensions `type`); all when unknown. */
export function operatorsForType(type: string | undefined): OperatorInfo[] {
  const allowed = type ? OPS_BY_TYPE[type] : undefined;
  return allowed ? OPERATORS.filter((o) => allowed.includes(o.value)) : OPERATORS;
}

/** Metrics a mode accepts (the proxy rejects non-additive metrics in topology mode). */
export function metricsForMode(mode: QueryMode): MetricInfo[] {
  return mode === 'topology' ? METRICS.filter((m) => m.additive) : METRICS;
}

/** bytes_per_flow is a ratio over the whole range: only its total is defined. */
export function aggregationsFor(metric: Metric): Array<{ value: Aggregation; label: string }> {
  return metric === 'bytes_per_flow' ? AGGREGATIONS.filter((a) => a.value === 'total') : AGGREGATIONS;
}

export function metricUnit(metric: Metric): string {
  return METRICS.find((m) => m.value === metric)?.unit ?? 'short';
}

export function metricLabel(metric: Metric): string {
  return METRICS.find((m) => m.value === metric)?.label ?? metric;
}

export function aggregationLabel(aggregation: Aggregation): string {
  return AGGREGATIONS.find((a) => a.value === aggregation)?.label ?? aggregation;
}

export function operatorArity(op: FilterOperator): OperatorInfo['arity'] {
  return OPERATORS.find((o) => o.value === op)?.arity ?? 'one';
}

export function isFilterGroup(node: FilterNode): node is FilterGroup {
  return Array.isArray((node as FilterGroup).rules);
}

export function emptyFilterGroup(op: FilterGroup['op'] = 'and'): FilterGroup {
  return { op, rules: [] };
}

/** A new panel shows data at once: the top 10 destinations by bits/s over time. */
export function defaultFlowQuery(): FlowQueryModel {
  return {
    version: FLOW_QUERY_VERSION,
    mode: 'timeseries',
    metric: 'bits_per_second',
    dimensions: ['dst_ip'],
    filter: emptyFilterGroup(),
    filterMode: 'builder',
    topN: 10,
    other: false,
    bidirectional: false,
  };
}

/** True when a rule is complete enough to send (the editor keeps half-typed rules in the saved query). */
export function isCompleteRule(rule: FilterRule): boolean {
  if (!rule.dimension) {
    return false;
  }
  return operatorArity(rule.op) === 'none' || rule.values.some((v) => v !== '');
}

/**
 * Drops half-edited rules and groups left empty by that, so an editor in progress never sends an
 * invalid tree. Returns undefined for a group with nothing left.
 */
export function pruneFilter(group: FilterGroup): FilterGroup | undefined {
  const rules: FilterNode[] = [];
  for (const node of group.rules) {
    if (isFilterGroup(node)) {
      const pruned = pruneFilter(node);
      if (pruned) {
        rules.push(pruned);
      }
    } else if (isCompleteRule(node)) {
      const values = operatorArity(node.op) === 'none' ? [] : node.values.filter((v) => v !== '');
      rules.push(node.not ? { ...node, values } : { dimension: node.dimension, op: node.op, values });
    }
  }
  if (rules.length === 0) {
    return undefined;
  }
  return group.not ? { op: group.op, not: true, rules } : { op: group.op, rules };
}

/** AND-combines filter parts (the query's own tree, ad hoc filters), skipping empty ones. */
export function andFilters(...parts: Array<FilterNode | undefined>): FilterGroup {
  const rules = parts.filter((p): p is FilterNode => p !== undefined);
  if (rules.length === 1 && isFilterGroup(rules[0]) && rules[0].op === 'and' && !rules[0].not) {
    return rules[0];
  }
  return { op: 'and', rules };
}

/** IPv4 or IPv6 network in CIDR notation (the host part may be non-zero; the proxy masks it). */
export function isValidCidr(text: string): boolean {
  const [addr, bits, extra] = text.trim().split('/');
  if (extra !== undefined || bits === undefined || !/^\d{1,3}$/.test(bits)) {
    return false;
  }
  const len = Number(bits);
  if (isIPv4(addr)) {
    return len <= 32;
  }
  return isIPv6(addr) && len <= 128;
}

function isIPv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) {
    return false;
  }
  const groups = text.split(':').filter((g) => g !== '');
  const last = groups[groups.length - 1] ?? '';
  const v4Tail = last.includes('.');
  if (v4Tail && !isIPv4(last)) {
    return false;
  }
  const hexGroups = v4Tail ? groups.slice(0, -1) : groups;
  const count = hexGroups.length + (v4Tail ? 2 : 0);
  const compressed = text.includes('::');
  return hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g)) && (compressed ? count < 8 : count === 8);
}

/** Why a rule cannot be sent as it is, for inline display; undefined when it is fine. */
export function ruleProblem(rule: FilterRule): string | undefined {
  if ((rule.op === 'cidr' || rule.op === 'not_cidr') && rule.values[0] && !isValidCidr(rule.values[0])) {
    return `"${rule.values[0]}" is not a CIDR network (e.g. 10.0.0.0/8 or 2001:db8::/32)`;
  }
  return undefined;
}

export interface RuleProblem {
  /** "2.1" = first rule of the second node of the root group, as the builder labels it. */
  path: string;
  rule: FilterRule;
  message: string;
}

/**
 * Every complete rule of a tree that the engine would reject for a reason the editor can see
 * itself (an invalid CIDR), so the query is not sent and the editor says why instead.
 */
export function filterProblems(group: FilterGroup, prefix: number[] = []): RuleProblem[] {
  return group.rules.flatMap((node, i): RuleProblem[] => {
    const path = [...prefix, i + 1];
    if (isFilterGroup(node)) {
      return filterProblems(node, path);
    }
    const message = isCompleteRule(node) ? ruleProblem(node) : undefined;
    return message ? [{ path: path.join('.'), rule: node, message }] : [];
  });
}

/** The request context the data source knows and the saved model does not. */
export interface RequestContext {
  from: number;
  to: number;
  maxDataPoints?: number;
  intervalMs?: number;
  /** Extra filters ANDed into the query (Grafana ad hoc filters). */
  extraFilters?: FilterNode[];
  explain?: boolean;
}

/**
 * Maps a saved (and already interpolated) model to the proxy's request body. Mode-specific fields
 * are only sent in the mode that uses them, so the proxy never has to ignore stale editor state.
 */
export function toProxyRequest(model: FlowQueryModel, ctx: RequestContext): ProxyQueryRequest {
  const textMode = model.filterMode === 'text' && (model.filterText ?? '').trim() !== '';
  const own = textMode ? undefined : pruneFilter(model.filter);
  const extra = (ctx.extraFilters ?? []).map((node) => (isFilterGroup(node) ? pruneFilter(node) : node));
  const request: ProxyQueryRequest = {
    from: ctx.from,
    to: ctx.to,
    mode: model.mode,
    metric: model.metric,
    dimensions: model.mode === 'topology' ? [] : [...model.dimensions],
    filters: andFilters(own, ...extra),
    topN: model.topN,
  };
  if (textMode) {
    request.filterText = model.filterText!.trim();
  }
  if (model.mode === 'table' && model.aggregation) {
    request.aggregation = model.aggregation;
  }
  if (model.mode !== 'topology') {
    request.other = model.other;
    if (model.bidirectional) {
      request.bidirectional = true;
    }
  } else {
    request.level = model.level ?? 'site';
    if (model.topApplications) {
      request.topApplications = true;
    }
  }
  if (ctx.maxDataPoints !== undefined) {
    request.maxDataPoints = ctx.maxDataPoints;
  }
  if (ctx.intervalMs !== undefined) {
    request.intervalMs = ctx.intervalMs;
  }
  if (ctx.explain) {
    request.explain = true;
  }
  return request;
}

const BARE_VALUE = /^[A-Za-z0-9_.:/\-*%]+$/;
/** Words of the grammar (backend-proxy/src/query/filter-text.ts, case-insensitive): a value spelled so is quoted. */
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'not_in', 'cidr', 'not_cidr', 'like', 'not_like', 'exists']);
/** A value that is one dashboard variable: interpolation puts it in quotes itself (filterText.ts textFormat). */
const VARIABLE_ONLY = /^(?:\$\w+|\$\{[^}\s]+\}|\[\[[^\]\s]+\]\])$/;

function quoteValue(value: string): string {
  if (VARIABLE_ONLY.test(value) || (BARE_VALUE.test(value) && !KEYWORDS.has(value.toLowerCase()))) {
    return value;
  }
  // A line break inside quotes is escaped as the engine's printer does (a bare one ends the text).
  return `'${value.replace(/[\\'\n]/g, (c) => `\\${c}`)}'`;
}

/** `=` / `!=` with several values mean "any of them" to the engine (the skeleton's form): say it as a list. */
const LIST_OF: Partial<Record<FilterOperator, FilterOperator>> = { '=': 'in', '!=': 'not_in' };

function ruleToText(rule: FilterRule): string {
  const arity = operatorArity(rule.op);
  const several = rule.values.length > 1;
  const listOp = several ? LIST_OF[rule.op] : undefined;
  const op = (listOp ?? rule.op).replace('_', ' ');
  // Every value is printed: a list wherever there is more than one (the grammar takes a list
  // after any operator), so the text never says less than the tree.
  const body =
    arity === 'none'
      ? `${rule.dimension} exists`
      : arity === 'many' || several
        ? `${rule.dimension} ${op} (${rule.values.map(quoteValue).join(', ')})`
        : `${rule.dimension} ${op} ${quoteValue(rule.values[0] ?? '')}`;
  return rule.not ? `not ${body}` : body;
}

/**
 * Prints a tree in the engine's text form (`dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (…)`),
 * so switching the editor to text mode starts from the filter the user already built.
 */
export function filterToText(group: FilterGroup, nested = false): string {
  const pruned = nested ? group : pruneFilter(group);
  if (!pruned || pruned.rules.length === 0) {
    return '';
  }
  const parts = pruned.rules.map((node) => (isFilterGroup(node) ? `(${filterToText(node, true)})` : ruleToText(node)));
  const joined = parts.join(` ${pruned.op} `);
  if (pruned.not) {
    return `not (${joined})`;
  }
  return joined;
}
