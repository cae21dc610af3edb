import { FlowVariableQuery, FlowVariableTarget } from './types';

/** Variable queries: the string form `dimension [by metric] [where filter]` and the editor's object. */

/**
 * `dimension [by metric] [where filter]`: `src_ip`, `src_ip where dst_port = 22`,
 * `dst_ip by unique_dst_ports where src_ip = $jump_host`. Without `by`, a filtered list is ranked
 * by flows.
 */
export function parseVariableQuery(text: string): FlowVariableQuery {
  const match = /^\s*(\S+)(?:\s+by\s+(\S+))?(?:\s+where\s+([\s\S]+))?$/i.exec(text);
  if (!match) {
    return { dimension: '' };
  }
  const parsed: FlowVariableQuery = { dimension: match[1], filterText: match[3]?.trim() };
  if (match[2]) {
    parsed.metric = match[2];
  }
  return parsed;
}

/** The variable query of a saved variable: the editor's object, or the older string form. */
export function toVariableQuery(saved: FlowVariableTarget | string | undefined): FlowVariableQuery {
  if (typeof saved === 'string') {
    return parseVariableQuery(saved);
  }
  // only the variable query's own fields: refId, datasource, … are Grafana's
  const { dimension, metric, filter, filterText, prefix, limit } = saved ?? { refId: '' };
  const query: FlowVariableQuery = { dimension: dimension ?? '' };
  Object.assign(query, metric && { metric }, filter && { filter }, filterText && { filterText }, prefix && { prefix }, limit && { limit });
  return query;
}

/** The string form of a variable query (`src_ip by bytes where dst_port = 22`), shown as its definition. */
export function variableQueryText(query: FlowVariableQuery): string {
  const by = query.metric ? ` by ${query.metric}` : '';
  const where = query.filterText?.trim() ? ` where ${query.filterText.trim()}` : '';
  return `${query.dimension}${by}${where}`;
}
