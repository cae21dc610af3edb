/** What the user picked on the map: a node, or one direction of a link (from → to). */
export type Selection = { type: 'node'; id: string } | { type: 'edge'; from: string; to: string } | null;

export interface VariableNames {
  nodeVariable: string;
  srcVariable: string;
  dstVariable: string;
}

export function sameSelection(a: Selection, b: Selection): boolean {
  if (!a || !b) {
    return a === b;
  }
  if (a.type === 'node' && b.type === 'node') {
    return a.id === b.id;
  }
  if (a.type === 'edge' && b.type === 'edge') {
    return a.from === b.from && a.to === b.to;
  }
  return false;
}

/** A second click on the same thing clears the selection. */
export function toggleSelection(current: Selection, clicked: Selection): Selection {
  return sameSelection(current, clicked) ? null : clicked;
}

/**
 * URL query changes for locationService.partial. One selection at a time: picking a node clears
 * the src/dst variables and picking an arc clears the node variable, so the dashboard never drills
 * into a stale mix. Null removes a variable from the URL. Blank names are left alone.
 */
export function selectionToQuery(selection: Selection, names: VariableNames): Record<string, string | null> {
  const query: Record<string, string | null> = {};
  const set = (name: string, value: string | null) => {
    if (name.trim()) {
      query[`var-${name.trim()}`] = value;
    }
  };
  set(names.nodeVariable, selection?.type === 'node' ? selection.id : null);
  set(names.srcVariable, selection?.type === 'edge' ? selection.from : null);
  set(names.dstVariable, selection?.type === 'edge' ? selection.to : null);
  return query;
}

/** The selection the URL currently describes, so a reloaded dashboard shows what it is filtered on. */
export function selectionFromQuery(search: Record<string, unknown>, names: VariableNames): Selection {
  const read = (name: string) => {
    const v = name.trim() ? search[`var-${name.trim()}`] : undefined;
    const s = Array.isArray(v) ? v[0] : v;
    return typeof s === 'string' && s !== '' && s !== '$__all' && s !== 'All' ? s : undefined;
  };
  const node = read(names.nodeVariable);
  if (node) {
    return { type: 'node', id: node };
  }
  const from = read(names.srcVariable);
  const to = read(names.dstVariable);
  return from && to ? { type: 'edge', from, to } : null;
}

/**
 * The URL values the selection is read from, as one comparable string: the panel re-reads its
 * selection only when these change (a variable picked elsewhere on the dashboard, back/forward),
 * not on every unrelated URL change such as the time range.
 */
export function selectionQueryKey(search: Record<string, unknown>, names: VariableNames): string {
  return JSON.stringify([names.nodeVariable, names.srcVariable, names.dstVariable].map((n) => (n.trim() ? (search[`var-${n.trim()}`] ?? null) : null)));
}
