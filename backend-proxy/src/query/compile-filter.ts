/**
 * Filter tree → SQL boolean expression. Expressions come from the dimension allow-list, values
 * only as parameters. Negation is a true complement: a rule on a NULL value is false, so `not`
 * (and !=, not_in, not_cidr, not_like) keep rows where the value is NULL.
 */
import { lookupDimension, type DimensionDef } from './dimensions.js';
import type { SqlParams } from './sql-params.js';
import type { CheckedNode, CheckedRule } from './validate.js';
import type { FilterOp } from './types.js';

const NEGATIVE: Partial<Record<FilterOp, FilterOp>> = {
  '!=': '=',
  not_in: 'in',
  not_cidr: 'cidr',
  not_like: 'like',
};

/** The mirrored dimension (src ↔ dst) used by bidirectional twins; itself when it has none. */
export function swapDimension(def: DimensionDef): DimensionDef {
  return def.swap ? (lookupDimension(def.swap) ?? def) : def;
}

function positive(expr: string, def: DimensionDef, op: FilterOp, values: (string | number)[], params: SqlParams): string {
  const type = def.valueType;
  const one = values.length === 1;
  switch (op) {
    case '=':
    case 'in':
      return one ? `${expr} = ${params.add(values[0])}::${type}` : `${expr} = ANY(${params.add(values)}::${type}[])`;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return `${expr} ${op} ${params.add(values[0])}::${type}`;
    case 'cidr':
      return one ? `${expr} <<= ${params.add(values[0])}::inet` : `${expr} <<= ANY(${params.add(values)}::inet[])`;
    case 'like':
      return one ? `${expr} LIKE ${params.add(values[0])}` : `${expr} LIKE ANY(${params.add(values)}::text[])`;
    case 'exists':
      return `${expr} IS NOT NULL`;
    default:
      throw new Error(`unhandled operator ${op}`);
  }
}

function compileRule(rule: CheckedRule, params: SqlParams, swap: boolean): string {
  const def = swap ? swapDimension(rule.def) : rule.def;
  const base = NEGATIVE[rule.op];
  const negate = rule.not !== (base !== undefined);
  const op = base ?? rule.op;
  if (op === 'exists') return `${def.filter} ${negate ? 'IS NULL' : 'IS NOT NULL'}`;
  if (negate && op === '=' && rule.values.length === 1) {
    return `${def.filter} IS DISTINCT FROM ${params.add(rule.values[0])}::${def.valueType}`;
  }
  const cond = positive(def.filter, def, op, rule.values, params);
  return negate ? `NOT COALESCE(${cond}, false)` : cond;
}

/** SQL for a checked filter node; `swap` mirrors every src/dst dimension (reverse twin). */
export function compileFilter(node: CheckedNode, params: SqlParams, swap = false): string {
  if (node.kind === 'rule') return compileRule(node, params, swap);
  if (node.rules.length === 0) return node.not ? 'FALSE' : 'TRUE';
  const parts = node.rules.map((child) => compileFilter(child, params, swap));
  const joined = parts.length === 1 ? parts[0]! : `(${parts.join(node.op === 'and' ? ' AND ' : ' OR ')})`;
  return node.not ? `NOT COALESCE(${joined}, false)` : joined;
}
