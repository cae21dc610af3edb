/**
 * "Copy as alert SQL": a FlowAtlas query as SQL for Grafana's PostgreSQL data source in a
 * Grafana-managed alert rule, over the aggregate views the read-only role may read
 * (flows_1m, flow_connections_1m; backend-proxy migrations 004 and 005) — the same numbers the
 * panel shows for the rule's time range, one row per group: the dimensions as text columns
 * (alert labels), the metric as the one numeric column (the value).
 *
 * Only queries whose every dimension, filter and metric the views keep are expressible; anything
 * else gets a reason instead of SQL that would quietly answer something else. The SQL is text a
 * user pastes into a rule (Grafana's SQL data sources take no parameters), so identifiers come
 * only from the tables below and every value is validated for its type and quoted as a literal.
 *
 * Pure and free of Grafana imports, like flowQuery.ts. The filter must already be a tree (text
 * filters are parsed by the proxy first) with variables interpolated.
 */
import { FilterGroup, FilterNode, FilterRule, FlowQueryModel, isFilterGroup, isValidCidr, Metric, pruneFilter } from './flowQuery';

export type AlertSqlResult = { ok: true; sql: string; relation: string } | { ok: false; reason: string };

type ValueKind = 'text' | 'int' | 'inet' | 'protocol' | 'inside' | 'bool';

interface Column {
  /** SQL expression over the view's columns. */
  expr: string;
  /** The same value as text, for an alert label. */
  label: string;
  kind: ValueKind;
}

/** IANA protocol numbers shown by name, as the engine shows them (backend-proxy/src/query/dimensions.ts). */
const PROTOCOL_NAMES: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 132: 'sctp' };
const PROTOCOL_LABEL = `CASE protocol ${Object.entries(PROTOCOL_NAMES)
  .map(([n, name]) => `WHEN ${n} THEN '${name}'`)
  .join(' ')} ELSE protocol::text END`;

const text = (column: string): Column => ({ expr: column, label: column, kind: 'text' });
const inside = (side: 'src' | 'dst'): Column => {
  const expr = `CASE WHEN ${side}_site IS NOT NULL THEN 'inside' ELSE 'outside' END`;
  return { expr, label: expr, kind: 'inside' };
};
const protocol: Column = { expr: 'protocol', label: PROTOCOL_LABEL, kind: 'protocol' };
// As the engine: NULL (unknown) unless both countries are known; labelled true / false.
const crossesBorder: Column = { expr: '(src_country <> dst_country)', label: '(src_country <> dst_country)::text', kind: 'bool' };

/** flows_1m: traffic per minute by the low-cardinality columns (no addresses, no ports). */
const TRAFFIC_COLUMNS: Record<string, Column> = {
  direction: text('direction'),
  action: text('action'),
  protocol,
  application: text('application'),
  flow_state: text('flow_state'),
  source_type: text('source_type'),
  resource: text('resource'),
  rule: text('rule'),
  provider: text('provider'),
  src_country: text('src_country'),
  dst_country: text('dst_country'),
  src_site: text('src_site'),
  dst_site: text('dst_site'),
  src_region: text('src_region'),
  dst_region: text('dst_region'),
  src_provider: text('src_provider'),
  dst_provider: text('dst_provider'),
  src_inside: inside('src'),
  dst_inside: inside('dst'),
  crosses_border: crossesBorder,
};

/** flow_connections_1m: connections opened per minute, with addresses and the destination port. */
const CONNECTION_COLUMNS: Record<string, Column> = {
  src_ip: { expr: 'src_ip', label: 'host(src_ip)', kind: 'inet' },
  dst_ip: { expr: 'dst_ip', label: 'host(dst_ip)', kind: 'inet' },
  dst_port: { expr: 'dst_port', label: 'dst_port::text', kind: 'int' },
  protocol,
  action: text('action'),
  src_country: text('src_country'),
  dst_country: text('dst_country'),
  src_site: text('src_site'),
  dst_site: text('dst_site'),
  src_inside: inside('src'),
  dst_inside: inside('dst'),
  crosses_border: crossesBorder,
};

const WINDOW_SECONDS = 'extract(epoch FROM ($__timeTo()::timestamptz - $__timeFrom()::timestamptz))';

/** Metric → SQL over each view; missing = not computable there with the panel's meaning. */
// coalesce: without dimensions the one row exists even when nothing matched, valued 0 like the panel.
const TRAFFIC_METRICS: Partial<Record<Metric, string>> = {
  bytes: 'coalesce(sum(bytes), 0)',
  packets: 'coalesce(sum(packets), 0)',
  flows: 'coalesce(sum(flows), 0)',
  bits_per_second: `coalesce(sum(bytes), 0) * 8 / ${WINDOW_SECONDS}`,
  packets_per_second: `coalesce(sum(packets), 0) / ${WINDOW_SECONDS}`,
  flows_per_second: `coalesce(sum(flows), 0) / ${WINDOW_SECONDS}`,
  bytes_per_flow: 'sum(bytes)::float8 / nullif(sum(flows), 0)',
};
// Connections opened = flows (the engine counts a connection on the row that opens it).
const CONNECTION_METRICS: Partial<Record<Metric, string>> = {
  flows: 'coalesce(sum(connections), 0)',
  flows_per_second: `coalesce(sum(connections), 0) / ${WINDOW_SECONDS}`,
};

interface Relation {
  name: string;
  columns: Record<string, Column>;
  metrics: Partial<Record<Metric, string>>;
}

const RELATIONS: Relation[] = [
  { name: 'flows_1m', columns: TRAFFIC_COLUMNS, metrics: TRAFFIC_METRICS },
  { name: 'flow_connections_1m', columns: CONNECTION_COLUMNS, metrics: CONNECTION_METRICS },
];

class NotExpressible extends Error {}

function filterDimensions(node: FilterNode, out: string[] = []): string[] {
  if (isFilterGroup(node)) {
    node.rules.forEach((r) => filterDimensions(r, out));
  } else {
    out.push(node.dimension);
  }
  return out;
}

/** A string literal that means the same with standard_conforming_strings on or off. */
function stringLiteral(value: string): string {
  if (value.includes('\u0000')) {
    throw new NotExpressible('a filter value contains a NUL character');
  }
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

function literal(column: Column, dimension: string, value: string, op: FilterRule['op']): string {
  const v = value.trim();
  switch (column.kind) {
    case 'int':
      if (!/^\d{1,10}$/.test(v)) {
        throw new NotExpressible(`${dimension}: "${value}" is not a number`);
      }
      return String(Number(v));
    case 'protocol': {
      const byName = Object.entries(PROTOCOL_NAMES).find(([, name]) => name === v.toLowerCase());
      if (byName) {
        return byName[0];
      }
      if (/^\d{1,3}$/.test(v) && Number(v) <= 255) {
        return String(Number(v));
      }
      throw new NotExpressible(`protocol: "${value}" is not a protocol name or number`);
    }
    case 'inet': {
      const network = op === 'cidr' || op === 'not_cidr';
      const ok = network ? isValidCidr(v) : isValidCidr(`${v}/${v.includes(':') ? 128 : 32}`);
      if (!ok) {
        throw new NotExpressible(`${dimension}: "${value}" is not an ${network ? 'IP network' : 'IP address'}`);
      }
      return network ? `network('${v}'::inet)` : `'${v}'::inet`;
    }
    case 'inside': {
      const s = v.toLowerCase();
      if (s === 'inside' || s === 'true') {
        return "'inside'";
      }
      if (s === 'outside' || s === 'false') {
        return "'outside'";
      }
      throw new NotExpressible(`${dimension}: "${value}" is neither inside nor outside`);
    }
    case 'bool': {
      const s = v.toLowerCase();
      if (s === 'true' || s === 'yes') {
        return 'true';
      }
      if (s === 'false' || s === 'no') {
        return 'false';
      }
      throw new NotExpressible(`${dimension}: "${value}" is neither true nor false`);
    }
    default:
      return stringLiteral(value);
  }
}

/**
 * A rule as a boolean that is never NULL, with the engine's semantics: a comparison with a
 * missing value is false, and every negation is its exact complement.
 */
function ruleSql(rule: FilterRule, columns: Record<string, Column>): string {
  const column = columns[rule.dimension];
  const lit = (v: string) => literal(column, rule.dimension, v, rule.op);
  const one = () => lit(rule.values[0] ?? '');
  const list = () => `(${rule.values.map(lit).join(', ')})`;
  const many = rule.values.length > 1;
  let positive: string;
  let negate = false;
  switch (rule.op) {
    case '=':
      positive = many ? `${column.expr} IN ${list()}` : `${column.expr} = ${one()}`;
      break;
    case '!=':
      positive = many ? `${column.expr} IN ${list()}` : `${column.expr} = ${one()}`;
      negate = true;
      break;
    case 'in':
      positive = `${column.expr} IN ${list()}`;
      break;
    case 'not_in':
      positive = `${column.expr} IN ${list()}`;
      negate = true;
      break;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (column.kind !== 'int') {
        throw new NotExpressible(`${rule.dimension}: ${rule.op} compares numbers only`);
      }
      positive = `${column.expr} ${rule.op} ${one()}`;
      break;
    case 'cidr':
    case 'not_cidr':
      if (column.kind !== 'inet') {
        throw new NotExpressible(`${rule.dimension}: cidr applies to addresses only`);
      }
      positive = `${column.expr} <<= ${one()}`;
      negate = rule.op === 'not_cidr';
      break;
    case 'like':
    case 'not_like':
      if (column.kind !== 'text') {
        throw new NotExpressible(`${rule.dimension}: like applies to text dimensions only`);
      }
      positive = `${column.expr} LIKE ${one()}`;
      negate = rule.op === 'not_like';
      break;
    case 'exists':
      positive = `${column.expr} IS NOT NULL`;
      break;
    default:
      throw new NotExpressible(`operator ${String(rule.op)} is not supported`);
  }
  const bool = rule.op === 'exists' ? positive : `coalesce(${positive}, false)`;
  return negate !== Boolean(rule.not) ? `NOT ${bool}` : bool;
}

function groupSql(group: FilterGroup, columns: Record<string, Column>, indent: string): string {
  if (group.rules.length === 0) {
    return 'true';
  }
  const parts = group.rules.map((node) => (isFilterGroup(node) ? `(${groupSql(node, columns, indent + '  ')})` : ruleSql(node, columns)));
  const joined = parts.join(`\n${indent}${group.op.toUpperCase()} `);
  return group.not ? `NOT (${joined})` : joined;
}

function whyNot(model: FlowQueryModel): string | undefined {
  if (model.mode === 'topology') {
    return 'topology answers nodes and edges, which an alert rule cannot reduce: use a table query grouped by src_site and dst_site (or the countries)';
  }
  if (model.bidirectional) {
    return 'an alert value is one direction: turn Bidirectional off, or alert on the reverse direction as a query of its own';
  }
  if (model.other) {
    return '"Other" sums everything outside the top N, which is no alert instance: turn Other off';
  }
  if (model.mode === 'table' && model.aggregation && model.aggregation !== 'total') {
    return `the ${model.aggregation} of per-bucket rates is not kept in the views: use the Total aggregation`;
  }
  return undefined;
}

/** The query as alert SQL, or why it cannot be one. `filter` replaces the model's (text filters parsed). */
export function toAlertSql(model: FlowQueryModel, filter: FilterGroup = model.filter): AlertSqlResult {
  const refused = whyNot(model);
  if (refused) {
    return { ok: false, reason: refused };
  }
  const tree = pruneFilter(filter) ?? { op: 'and', rules: [] };
  const used = [...model.dimensions, ...filterDimensions(tree)];
  const relation = RELATIONS.find((r) => r.metrics[model.metric] && used.every((d) => d in r.columns));
  if (!relation) {
    const anywhere = RELATIONS.filter((r) => r.metrics[model.metric]);
    if (anywhere.length === 0) {
      return {
        ok: false,
        reason: `${model.metric} is not kept in the aggregate views (unique counts there would count connections opened, not every row the panel counts): use bytes, packets, flows or their rates`,
      };
    }
    const missing = [...new Set(used.filter((d) => !RELATIONS.some((r) => d in r.columns)))];
    const dims = [...new Set(used)];
    const notInConnections = dims.filter((d) => !(d in CONNECTION_COLUMNS));
    const reason = missing.length
      ? `the aggregate views do not keep ${missing.join(', ')}`
      : notInConnections.length === 0
        ? `no single view keeps ${dims.join(', ')} with ${model.metric}: addresses and ports are only in flow_connections_1m, which counts connections: use flows or flows_per_second`
        : `no single view keeps ${dims.join(', ')} together: addresses and ports are only in flow_connections_1m, which has no ${notInConnections.join(', ')}`;
    return { ok: false, reason };
  }
  try {
    const dims = model.dimensions.map((d) => `${relation.columns[d].label} AS ${d}`);
    const where = ['time >= $__timeFrom()::timestamptz', 'time < $__timeTo()::timestamptz'];
    if (tree.rules.length > 0) {
      where.push(`(${groupSql(tree, relation.columns, '       ')})`);
    }
    const lines = [
      `-- FlowAtlas query as alert SQL: Grafana PostgreSQL data source (uid flowatlas-timescaledb), Format: Table.`,
      `-- One alert instance per row: the text columns are its labels, ${model.metric} its value, over the rule's time range.`,
      ...(model.mode === 'timeseries' ? ['-- (The panel draws this as a time series; a rule reduces it to one value per group anyway.)'] : []),
      `SELECT ${[...dims, `${relation.metrics[model.metric]} AS ${model.metric}`].join(',\n       ')}`,
      `FROM ${relation.name}`,
      `WHERE ${where.join('\n  AND ')}`,
      ...(dims.length ? [`GROUP BY ${model.dimensions.map((_, i) => i + 1).join(', ')}`] : []),
      ...(dims.length ? [`ORDER BY ${model.metric} DESC NULLS LAST`, `LIMIT ${Math.max(1, Math.floor(model.topN))}`] : []),
    ];
    return { ok: true, sql: lines.join('\n'), relation: relation.name };
  } catch (err) {
    if (err instanceof NotExpressible) {
      return { ok: false, reason: err.message };
    }
    throw err;
  }
}
