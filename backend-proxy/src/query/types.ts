/** Types shared by the stages of the query pipeline (validate → resolve → compile → shape). */

export type Mode = 'table' | 'timeseries' | 'topology';
export const MODES: readonly Mode[] = ['table', 'timeseries', 'topology'];

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
export const AGGREGATIONS: readonly Aggregation[] = ['total', 'avg', 'max', 'p95'];

export type TopologyLevel = 'site' | 'region' | 'country';
export const TOPOLOGY_LEVELS: readonly TopologyLevel[] = ['site', 'region', 'country'];

export type FilterOp =
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
export const FILTER_OPS: readonly FilterOp[] = [
  '=', '!=', 'in', 'not_in', '<', '<=', '>', '>=', 'cidr', 'not_cidr', 'like', 'not_like', 'exists',
];

/** One condition on one dimension. `not` negates it (the skeleton's `exclude`). */
export interface FilterRule {
  dimension: string;
  op: FilterOp;
  values: string[];
  not?: boolean;
}

/** AND / OR over rules and nested groups; `not` negates the whole group. */
export interface FilterGroup {
  op: 'and' | 'or';
  not?: boolean;
  rules: FilterNode[];
}

export type FilterNode = FilterRule | FilterGroup;

export function isGroup(node: FilterNode): node is FilterGroup {
  return Array.isArray((node as FilterGroup).rules);
}

export type RollupName = 'flows_1m' | 'flows_1h' | 'flows_geo_1m' | 'flows_geo_5m';
/** Plain PostgreSQL: the tables behind the real-time rollup views (migration 006). */
export type RollupStore = 'flows_1m_store' | 'flows_1h_store' | 'flows_geo_1m_store' | 'flows_geo_5m_store';
/** Every relation a plan may read (fixed names, never from a request). */
export type Relation = 'flows' | RollupName | RollupStore;

export interface RollupInfo {
  name: RollupName;
  bucketMs: number;
  /** Start of the oldest bucket present (null = empty). */
  oldestMs: number | null;
  /**
   * Plain PostgreSQL: read this table below `untilMs` (its watermark; null = nothing stored yet)
   * and the raw table (or a finer level) above it, instead of the real-time view, whose
   * watermark the planner cannot see. Absent on TimescaleDB: the aggregate answers for any time.
   */
  store?: { relation: RollupStore; untilMs: number | null };
}
export type TableChoice = 'raw' | '1m' | '5m' | '1h';

export interface SiteInfo {
  name: string;
  kind: 'cloud' | 'datacenter' | 'branch';
  provider: string | null;
  region: string | null;
  country: string;
  lat: number;
  lon: number;
  cidrs: string[];
}

export interface PlanContext {
  timescale: boolean;
  /** "Now" in epoch ms (for relative defaults; never read from the clock inside the pipeline). */
  now: number;
  /** Rollups present (continuous aggregates, or the proxy's tables on plain PostgreSQL). */
  rollups: RollupInfo[];
  sites: SiteInfo[];
  limits: { maxRows: number; maxSeries: number; maxTopN: number };
}

export type FieldType = 'time' | 'number' | 'string' | 'boolean';

export interface Field {
  name: string;
  type: FieldType;
  values: unknown[];
  labels?: Record<string, string>;
  config?: Record<string, unknown>;
}

export interface Frame {
  name?: string;
  refId?: string;
  fields: Field[];
  meta: { executedQueryString: string; custom?: Record<string, unknown>; notices?: { severity: 'info' | 'warning'; text: string }[] };
}

export interface Statement {
  sql: string;
  params: unknown[];
  /**
   * What more rows than the row cap mean for this statement, said where the user can act on it
   * (e.g. topology: `level`); without it the executor's generic refusal.
   */
  overCap?: { message: string; field: string };
}

export interface Explain {
  sql: string;
  params: unknown[];
  table: TableChoice;
  reason: string;
  /** What the user is told with the answer, e.g. that the step was widened to fit the cap. */
  notice?: string;
  /** Every statement the query runs, when there is more than one (topology with topApplications). */
  statements?: Array<{ sql: string; params: unknown[] }>;
}

export interface QueryPlan {
  explain: Explain;
  /** true when the request asked for `explain: true`: answer with `explain`, run nothing. */
  explainOnly: boolean;
  /** Run in order on one connection. */
  statements: Statement[];
  /** Turns each statement's rows (as node-postgres returns them) into response frames. */
  shape(results: Record<string, unknown>[][]): { frames: Frame[] };
}
