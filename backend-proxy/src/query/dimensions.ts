/**
 * The allow-list of dimensions: every identifier that can reach SQL comes from this file.
 * A request names a dimension; the compiler only ever inserts the SQL expression found here.
 */
import { ROLLUP_DIMENSION_COLUMNS } from '../db/migrations/002-rollups.js';
import type { FilterOp } from './types.js';

export type DimensionType = 'string' | 'number' | 'ip';
export type DimensionCategory = 'addresses' | 'ports & apps' | 'geography' | 'cloud & sites' | 'firewall';
/** How filter values are passed as parameters. */
export type ValueType = 'text' | 'int' | 'bigint' | 'inet' | 'bool';

export interface DimensionDef {
  name: string;
  label: string;
  type: DimensionType;
  category: DimensionCategory;
  /** SQL expression whose value is the group key / column of the answer. */
  select: string;
  /** SQL expression filters compare against (differs from `select` for protocol names). */
  filter: string;
  valueType: ValueType;
  /** Base columns the expressions read: decides whether a rollup can answer. */
  columns: string[];
  /** The same dimension seen from the other end (src ↔ dst), for bidirectional twins. */
  swap: string | null;
  ops: readonly FilterOp[];
  /** Maps a filter value to its parameter form; returns undefined when the value is invalid. */
  normalize?: (value: string) => string | number | undefined;
}

const STRING_OPS: readonly FilterOp[] = ['=', '!=', 'in', 'not_in', 'like', 'not_like', 'exists'];
const NUMBER_OPS: readonly FilterOp[] = ['=', '!=', 'in', 'not_in', '<', '<=', '>', '>=', 'exists'];
const IP_OPS: readonly FilterOp[] = ['=', '!=', 'in', 'not_in', 'cidr', 'not_cidr', 'exists'];
const ENUM_OPS: readonly FilterOp[] = ['=', '!=', 'in', 'not_in', 'exists'];

/** IANA protocol numbers shown by name (anything else is shown as its number). */
export const PROTOCOL_NAMES: Record<number, string> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'icmpv6',
  132: 'sctp',
};
const PROTOCOL_NUMBERS: Record<string, number> = Object.fromEntries(
  Object.entries(PROTOCOL_NAMES).map(([n, name]) => [name, Number(n)]),
);

const PROTOCOL_SELECT = `CASE protocol ${Object.entries(PROTOCOL_NAMES)
  .map(([n, name]) => `WHEN ${n} THEN '${name}'`)
  .join(' ')} ELSE protocol::text END`;

function plain(
  name: string,
  label: string,
  type: DimensionType,
  category: DimensionCategory,
  swap: string | null,
): DimensionDef {
  return {
    name,
    label,
    type,
    category,
    select: name,
    filter: name,
    valueType: type === 'number' ? 'int' : type === 'ip' ? 'inet' : 'text',
    columns: [name],
    swap,
    ops: type === 'number' ? NUMBER_OPS : type === 'ip' ? IP_OPS : STRING_OPS,
  };
}

function insideDimension(side: 'src' | 'dst'): DimensionDef {
  const expr = `CASE WHEN ${side}_site IS NOT NULL THEN 'inside' ELSE 'outside' END`;
  return {
    name: `${side}_inside`,
    label: `${side === 'src' ? 'Source' : 'Destination'} inside / outside`,
    type: 'string',
    category: 'cloud & sites',
    select: expr,
    filter: expr,
    valueType: 'text',
    columns: [`${side}_site`],
    swap: `${side === 'src' ? 'dst' : 'src'}_inside`,
    ops: ENUM_OPS,
    // "Inside" means the address belongs to a configured site.
    normalize: (v) => {
      const s = v.toLowerCase();
      if (s === 'inside' || s === 'true') return 'inside';
      if (s === 'outside' || s === 'false') return 'outside';
      return undefined;
    },
  };
}

/** Both countries known and different: NULL (unknown) when either end has no country. */
const CROSSES_BORDER = '(src_country <> dst_country)';

/**
 * Did the traffic cross an international border? Inside addresses carry their site's country, so
 * `crosses_border = true` is "data leaving (or entering) a country" for any estate, no country
 * written into the query. Shown as `true` / `false`; filtered as a boolean, so `!= true` keeps the
 * rows whose crossing is unknown and `exists` keeps only rows where both countries are known.
 * Symmetric (src and dst swapped give the same answer), so it is its own reverse twin.
 */
const crossesBorder: DimensionDef = {
  name: 'crosses_border',
  label: 'Crosses a border (countries differ)',
  type: 'string',
  category: 'geography',
  select: `${CROSSES_BORDER}::text`,
  filter: CROSSES_BORDER,
  valueType: 'bool',
  columns: ['src_country', 'dst_country'],
  swap: null,
  ops: ENUM_OPS,
  normalize: (v) => {
    const s = v.toLowerCase();
    if (s === 'true' || s === 'yes') return 'true';
    if (s === 'false' || s === 'no') return 'false';
    return undefined;
  },
};

const SIDES = { src: 'Source', dst: 'Destination' } as const;

function bothSides(
  suffix: string,
  label: string,
  type: DimensionType,
  category: DimensionCategory,
): DimensionDef[] {
  return (['src', 'dst'] as const).map((side) =>
    plain(`${side}_${suffix}`, `${SIDES[side]} ${label}`, type, category, `${side === 'src' ? 'dst' : 'src'}_${suffix}`),
  );
}

const protocol: DimensionDef = {
  name: 'protocol',
  label: 'Protocol',
  type: 'string',
  category: 'ports & apps',
  select: PROTOCOL_SELECT,
  filter: 'protocol',
  valueType: 'int',
  columns: ['protocol'],
  swap: null,
  ops: ENUM_OPS,
  normalize: (v) => {
    const byName = PROTOCOL_NUMBERS[v.toLowerCase()];
    if (byName !== undefined) return byName;
    return /^\d{1,3}$/.test(v) && Number(v) <= 255 ? Number(v) : undefined;
  },
};

const FIXED: DimensionDef[] = [
  ...bothSides('ip', 'IP', 'ip', 'addresses'),
  // 32-bit unsigned AS numbers (up to 4294967295) do not fit an integer: bigint values.
  ...bothSides('asn', 'AS number', 'number', 'addresses').map((d): DimensionDef => ({ ...d, valueType: 'bigint' })),
  ...bothSides('as_name', 'AS name', 'string', 'addresses'),
  plain('mac', 'MAC address', 'string', 'addresses', null),
  ...bothSides('port', 'port', 'number', 'ports & apps'),
  protocol,
  plain('application', 'Application', 'string', 'ports & apps', null),
  plain('tcp_flags', 'TCP flags', 'number', 'ports & apps', null),
  ...bothSides('country', 'country', 'string', 'geography'),
  crossesBorder,
  ...bothSides('region', 'region', 'string', 'geography'),
  ...bothSides('site', 'site', 'string', 'cloud & sites'),
  insideDimension('src'),
  insideDimension('dst'),
  plain('provider', 'Log source provider', 'string', 'cloud & sites', null),
  ...bothSides('provider', 'provider', 'string', 'cloud & sites'),
  // The site's tenant and role from the network config (null outside the estate).
  ...bothSides('tenant', 'tenant', 'string', 'cloud & sites'),
  ...bothSides('role', 'role', 'string', 'cloud & sites'),
  plain('resource', 'Resource (NSG, interface)', 'string', 'cloud & sites', null),
  // Cloud fields of the recording side, as the log states them (columns.ts).
  plain('resource_group', 'Azure resource group', 'string', 'cloud & sites', null),
  plain('account', 'Cloud account / subscription', 'string', 'cloud & sites', null),
  plain('vpc', 'VPC / VNet', 'string', 'cloud & sites', null),
  plain('subnet', 'Subnet', 'string', 'cloud & sites', null),
  plain('instance', 'Instance (VM, interface)', 'string', 'cloud & sites', null),
  plain('cloud_region', 'Cloud region (as logged)', 'string', 'cloud & sites', null),
  plain('source_type', 'Log source type', 'string', 'cloud & sites', null),
  plain('direction', 'Direction (as logged)', 'string', 'firewall', null),
  plain('action', 'Firewall action', 'string', 'firewall', null),
  plain('flow_state', 'Flow state', 'string', 'firewall', null),
  plain('rule', 'Firewall rule', 'string', 'firewall', null),
  plain('encryption', 'Encryption (Azure VNet)', 'string', 'firewall', null),
];

const BY_NAME = new Map(FIXED.map((d) => [d.name, d]));

const PREFIX_PATTERN = /^(src|dst)_ip\/(\d{1,3})$/;

/**
 * `src_ip/24`, `dst_ip/64`, …: the network an address belongs to at a prefix length. IPv6
 * addresses are masked at the given length, IPv4 addresses at min(length, 32), so one
 * dimension groups a mixed v4/v6 estate.
 */
function prefixDimension(side: 'src' | 'dst', length: number): DimensionDef {
  const column = `${side}_ip`;
  const expr = `network(set_masklen(${column}, CASE family(${column}) WHEN 4 THEN ${Math.min(length, 32)} ELSE ${length} END))`;
  return {
    name: `${column}/${length}`,
    label: `${SIDES[side]} network /${length}`,
    type: 'ip',
    category: 'addresses',
    select: expr,
    filter: expr,
    valueType: 'inet',
    columns: [column],
    swap: `${side === 'src' ? 'dst' : 'src'}_ip/${length}`,
    ops: IP_OPS,
  };
}

/** The definition of a dimension name, or undefined when it is not on the allow-list. */
export function lookupDimension(name: string): DimensionDef | undefined {
  const fixed = BY_NAME.get(name);
  if (fixed) return fixed;
  const m = PREFIX_PATTERN.exec(name);
  if (!m) return undefined;
  const length = Number(m[2]);
  if (length > 128 || String(length) !== m[2]) return undefined;
  return prefixDimension(m[1] as 'src' | 'dst', length);
}

const ROLLUP_COLUMNS = new Set<string>(ROLLUP_DIMENSION_COLUMNS);

/** True when every column the dimension reads is kept in the rollups. */
export function dimensionInRollups(def: DimensionDef): boolean {
  return def.columns.every((c) => ROLLUP_COLUMNS.has(c));
}

export interface CatalogueEntry {
  name: string;
  label: string;
  type: DimensionType;
  category: DimensionCategory;
}

/** GET /api/v1/dimensions: every fixed dimension plus the common prefix lengths (any /N works). */
export function dimensionCatalogue(): CatalogueEntry[] {
  const prefixes = (['src', 'dst'] as const).flatMap((side) => [24, 16, 64, 48].map((n) => prefixDimension(side, n)));
  return [...FIXED, ...prefixes].map(({ name, label, type, category }) => ({ name, label, type, category }));
}

export const DIMENSION_CATEGORIES: readonly DimensionCategory[] = [
  'addresses',
  'ports & apps',
  'geography',
  'cloud & sites',
  'firewall',
];
