import { AdHocVariableFilter, ScopedVars } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';
import { FilterGroup, FilterNode, FilterOperator, FilterRule, isFilterGroup } from '../shared/flowQuery';
import { translateRegex } from './adHocRegex';
import { interpolateFilterText } from './filterText';
import { FlowQuery } from './types';

/** Joins a multi-value variable's values so they can be split back after templateSrv.replace. */
const SEPARATOR = '\u001f';

function joinMulti(value: string | string[]): string {
  return Array.isArray(value) ? value.join(SEPARATOR) : value;
}

/** Multi-value variables expand a single-value operator into its list form. */
const LIST_FORM: Partial<Record<FilterOperator, FilterOperator>> = { '=': 'in', '!=': 'not_in' };

function interpolateRule(rule: FilterRule, templateSrv: TemplateSrv, scopedVars: ScopedVars): FilterRule {
  const values = rule.values.flatMap((v) => templateSrv.replace(v, scopedVars, joinMulti).split(SEPARATOR));
  const dimension = templateSrv.replace(rule.dimension, scopedVars);
  const op = values.length > 1 && LIST_FORM[rule.op] ? LIST_FORM[rule.op]! : rule.op;
  return { ...rule, dimension, op, values };
}

export function interpolateFilter(group: FilterGroup, templateSrv: TemplateSrv, scopedVars: ScopedVars): FilterGroup {
  return {
    ...group,
    rules: group.rules.map((node: FilterNode) =>
      isFilterGroup(node)
        ? interpolateFilter(node, templateSrv, scopedVars)
        : interpolateRule(node, templateSrv, scopedVars)
    ),
  };
}

/**
 * The first variable of a filter value that interpolates to nothing, e.g. a query variable
 * whose query found no values. The rule would then be dropped as incomplete and the panel would
 * show unfiltered traffic under a title that names the variable, so the data source runs no
 * query instead.
 */
export function emptiedVariable(group: FilterGroup, templateSrv: TemplateSrv, scopedVars: ScopedVars): string | undefined {
  for (const node of group.rules) {
    if (isFilterGroup(node)) {
      const found = emptiedVariable(node, templateSrv, scopedVars);
      if (found) {
        return found;
      }
      continue;
    }
    for (const value of node.values) {
      const reference = /\$\{?(\w+)/.exec(value);
      if (reference && templateSrv.replace(value, scopedVars, joinMulti).split(SEPARATOR).every((v) => v.trim() === '')) {
        return reference[1];
      }
    }
  }
  return undefined;
}

/** Replaces $var / ${var} / $__interval in every user-typed string of the query. */
export function interpolateQuery(query: FlowQuery, templateSrv: TemplateSrv, scopedVars: ScopedVars): FlowQuery {
  return {
    ...query,
    dimensions: query.dimensions.flatMap((d) => templateSrv.replace(d, scopedVars, joinMulti).split(SEPARATOR)),
    filter: interpolateFilter(query.filter, templateSrv, scopedVars),
    filterText: query.filterText ? interpolateFilterText(query.filterText, templateSrv, scopedVars).text : query.filterText,
    ...(query.alias ? { alias: templateSrv.replace(query.alias, scopedVars) } : {}),
  };
}

const AD_HOC_OPS: Record<string, FilterOperator> = {
  '=': '=',
  '!=': '!=',
  '<': '<',
  '>': '>',
  '<=': '<=',
  '>=': '>=',
  '=|': 'in',
  '!=|': 'not_in',
};

/** An ad hoc filter the engine cannot apply as asked; the panel says which one instead of running without it. */
export class AdHocFilterError extends Error {}

/** `=~` / `!~`: the regex as an exact list (`in`) or LIKE patterns (adHocRegex.ts), or a clear refusal. */
function regexRule(f: AdHocVariableFilter): FilterRule {
  const negate = f.operator === '!~';
  const t = translateRegex(f.value);
  if (!t.ok) {
    throw new AdHocFilterError(`ad hoc filter ${f.key} ${f.operator} ${JSON.stringify(f.value)}: ${t.reason}`);
  }
  return t.kind === 'in'
    ? { dimension: f.key, op: negate ? 'not_in' : 'in', values: t.values }
    : { dimension: f.key, op: negate ? 'not_like' : 'like', values: t.patterns };
}

/** Grafana ad hoc filters → engine rules, ANDed into every query. Throws AdHocFilterError for a regex it cannot translate. */
export function adHocToRules(filters: AdHocVariableFilter[] | undefined): FilterRule[] {
  return (filters ?? [])
    .filter((f) => f.key && (AD_HOC_OPS[f.operator] || f.operator === '=~' || f.operator === '!~'))
    .map((f) => {
      if (f.operator === '=~' || f.operator === '!~') {
        return regexRule(f);
      }
      const op = AD_HOC_OPS[f.operator];
      const values = op === 'in' || op === 'not_in' ? (f.values?.length ? f.values : [f.value]) : [f.value];
      return { dimension: f.key, op, values };
    });
}
