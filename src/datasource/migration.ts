import {
  defaultFlowQuery,
  FilterNode,
  FilterOperator,
  FilterRule,
  FLOW_QUERY_VERSION,
  isFilterGroup,
  Metric,
  OPERATORS,
  QueryMode,
} from '../shared/flowQuery';
import { FlowQuery } from './types';

/**
 * Saved panel queries outlive the editor that wrote them. Each step upgrades version N to N+1;
 * `migrateQuery` runs the steps in order, so a query saved by any release loads in the current one.
 *
 * Version 1 (walking skeleton, no `version` field): flat `filters: [{dimension, op, values, exclude?}]`;
 *            `=` / `!=` with several values meant "any of them" and become `in` / `not_in`.
 * Version 2: nested `filter` tree (`not` instead of `exclude`), `filterMode`/`filterText`,
 *            `other`, `bidirectional`, optional `aggregation` and `level`.
 */
type SavedQuery = Record<string, unknown> & { refId?: string };

const steps: Record<number, (q: SavedQuery) => SavedQuery> = {
  1: (q) => {
    const { filters, ...rest } = q;
    const flat = Array.isArray(filters) ? (filters as Array<Record<string, unknown>>) : [];
    const rules: FilterNode[] = flat.map(v1RuleToV2);
    return { ...rest, version: 2, filter: { op: 'and', rules }, filterMode: 'builder', other: false, bidirectional: false };
  },
};

const KNOWN_OPS = new Set<string>(OPERATORS.map((o) => o.value));

/** In version 1, `=` / `!=` with several values meant "any of them" (as the proxy still reads them). */
const V1_LIST_FORM: Partial<Record<FilterOperator, FilterOperator>> = { '=': 'in', '!=': 'not_in' };

function v1RuleToV2(rule: Record<string, unknown>): FilterRule {
  const values = Array.isArray(rule.values) ? rule.values.map(String) : rule.value !== undefined ? [String(rule.value)] : [];
  const known = KNOWN_OPS.has(String(rule.op)) ? (rule.op as FilterOperator) : '=';
  // The version 2 editor shows one value for = / !=: the list form keeps every value visible.
  const op = values.length > 1 && V1_LIST_FORM[known] ? V1_LIST_FORM[known]! : known;
  const migrated: FilterRule = { dimension: String(rule.dimension ?? ''), op, values };
  if (rule.exclude === true) {
    migrated.not = true;
  }
  return migrated;
}

/** The version a saved query claims; queries from before versioning are version 1. */
export function savedVersion(query: SavedQuery): number {
  return typeof query.version === 'number' && query.version >= 1 ? query.version : 1;
}

/** Upgrades any saved query to the current model and fills defaults for missing fields. */
export function migrateQuery(saved: Partial<FlowQuery> | SavedQuery): FlowQuery {
  let query = { ...(saved as SavedQuery) };
  for (let v = savedVersion(query); v < FLOW_QUERY_VERSION; v++) {
    query = steps[v](query);
  }
  return withDefaults(query);
}

function withDefaults(q: SavedQuery): FlowQuery {
  const d = defaultFlowQuery();
  const filter = q.filter && isFilterGroup(q.filter as FilterNode) ? (q.filter as FlowQuery['filter']) : d.filter;
  return {
    ...(q as unknown as FlowQuery),
    refId: q.refId ?? 'A',
    version: FLOW_QUERY_VERSION,
    mode: (q.mode as QueryMode) ?? d.mode,
    metric: (q.metric as Metric) ?? d.metric,
    dimensions: Array.isArray(q.dimensions) ? (q.dimensions as string[]) : d.dimensions,
    filter,
    filterMode: q.filterMode === 'text' ? 'text' : 'builder',
    topN: typeof q.topN === 'number' && q.topN > 0 ? q.topN : d.topN,
    other: typeof q.other === 'boolean' ? q.other : d.other,
    bidirectional: typeof q.bidirectional === 'boolean' ? q.bidirectional : d.bidirectional,
  };
}

/** True when loading would change the query (the editor then saves the migrated form once). */
export function needsMigration(saved: SavedQuery): boolean {
  return savedVersion(saved) < FLOW_QUERY_VERSION || saved.version === undefined;
}
