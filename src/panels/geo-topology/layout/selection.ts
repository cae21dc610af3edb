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
 * Grafana's "All" in a URL. A cleared variable is set to it rather than removed: a dashboard keeps
 * a variable's value when its key leaves the URL, while All is what "no filter" means for the
 * provisioned dashboards' site variables (includeAll, custom All value `%`).
 */
export const ALL_VALUE = '$__all';

/**
 * URL query changes for locationService.partial. One selection at a time: picking a node clears
 * the src/dst variables and picking an arc clears the node variable, so the dashboard never drills
 * into a stale mix. Cleared variables go back to All. Blank names are left alone.
 */
export function selectionToQuery(selection: Selection, names: VariableNames): Record<string, string> {
  const query: Record<string, string> = {};
  const set = (name: string, value: string | null) => {
    if (name.trim()) {
      query[`var-${name.trim()}`] = value ?? ALL_VALUE;
    }
  };
  set(names.nodeVariable, selection?.type === 'node' ? selection.id : null);
  set(names.srcVariable, selection?.type === 'edge' ? selection.from : null);
  set(names.dstVariable, selection?.type === 'edge' ? selection.to : null);
  return query;
}

/** A variable's value in the URL, or undefined when it is absent, empty or All. */
function urlValue(search: Record<string, unknown>, name: string): string | undefined {
  const v = name.trim() ? search[`var-${name.trim()}`] : undefined;
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' && s !== ALL_VALUE && s !== 'All' ? s : undefined;
}

/** The selection the URL currently describes, so a reloaded dashboard shows what it is filtered on. */
export function selectionFromQuery(search: Record<string, unknown>, names: VariableNames): Selection {
  const read = (name: string) => urlValue(search, name);
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
  // All and absent are the same "nothing": setting a cleared variable to All is no change of selection.
  return JSON.stringify([names.nodeVariable, names.srcVariable, names.dstVariable].map((n) => urlValue(search, n) ?? null));
}
