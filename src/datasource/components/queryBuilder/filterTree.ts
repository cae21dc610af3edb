import { FilterGroup, FilterNode, FilterRule, isFilterGroup, operatorArity, operatorsForType } from '../../../shared/flowQuery';

/** Position of a node in the tree: indexes into `rules` from the root group. [] is the root. */
export type NodePath = number[];

export function newRule(): FilterRule {
  return { dimension: '', op: '=', values: [] };
}

function updateGroupAt(group: FilterGroup, path: NodePath, fn: (g: FilterGroup) => FilterGroup): FilterGroup {
  if (path.length === 0) {
    return fn(group);
  }
  const [head, ...rest] = path;
  const child = group.rules[head];
  if (!child || !isFilterGroup(child)) {
    return group;
  }
  const rules = [...group.rules];
  rules[head] = updateGroupAt(child, rest, fn);
  return { ...group, rules };
}

export function addNode(root: FilterGroup, groupPath: NodePath, node: FilterNode): FilterGroup {
  return updateGroupAt(root, groupPath, (g) => ({ ...g, rules: [...g.rules, node] }));
}

export function replaceNode(root: FilterGroup, path: NodePath, node: FilterNode): FilterGroup {
  if (path.length === 0) {
    return isFilterGroup(node) ? node : root;
  }
  const parent = path.slice(0, -1);
  const index = path[path.length - 1];
  return updateGroupAt(root, parent, (g) => ({ ...g, rules: g.rules.map((n, i) => (i === index ? node : n)) }));
}

export function removeNode(root: FilterGroup, path: NodePath): FilterGroup {
  if (path.length === 0) {
    return { ...root, rules: [] };
  }
  const parent = path.slice(0, -1);
  const index = path[path.length - 1];
  return updateGroupAt(root, parent, (g) => ({ ...g, rules: g.rules.filter((_, i) => i !== index) }));
}

/** Changing the operator keeps values that still fit: a list keeps its first value for a single-value operator. */
export function withOperator(rule: FilterRule, op: FilterRule['op']): FilterRule {
  const arity = operatorArity(op);
  const values = arity === 'none' ? [] : arity === 'one' ? rule.values.slice(0, 1) : rule.values;
  return { ...rule, op, values };
}

/**
 * A rule on another dimension starts without values (they belonged to the old one), and an
 * operator the new dimension's type does not take (cidr on a port, < on a country) becomes `=`,
 * which every type takes, so the rule never shows an operator the engine would refuse.
 */
export function withDimension(rule: FilterRule, dimension: string, type: string | undefined): FilterRule {
  const fits = operatorsForType(type).some((o) => o.value === rule.op);
  return { ...rule, dimension, op: fits ? rule.op : '=', values: [] };
}
