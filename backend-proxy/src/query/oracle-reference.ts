/**
 * Test support for oracle.test.ts: random directional flows, random queries, and a plain
 * in-memory TypeScript evaluation of the same questions to compare the database against.
 * Written independently of the compiler on purpose: it never builds SQL.
 */
import type { FilterGroup, FilterNode, FilterRule, Metric, SiteInfo } from './types.js';

export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface TestFlow {
  time: number;
  src_ip: string;
  dst_ip: string;
  src_port: number | null;
  dst_port: number | null;
  protocol: number;
  direction: string | null;
  action: string | null;
  flow_state: string | null;
  packets: number;
  bytes: number;
  flows: number;
  source_type: string;
  resource: string | null;
  rule: string | null;
  mac: string | null;
  tcp_flags: number | null;
  src_country: string | null;
  dst_country: string | null;
  src_site: string | null;
  dst_site: string | null;
  src_region: string | null;
  dst_region: string | null;
  src_provider: string | null;
  dst_provider: string | null;
  provider: string | null;
  application: string | null;
  src_asn: number | null;
  dst_asn: number | null;
  src_as_name: string | null;
  dst_as_name: string | null;
}

export const FLOW_COLUMNS: { name: keyof TestFlow; type: string }[] = [
  { name: 'time', type: 'timestamptz' },
  { name: 'src_ip', type: 'inet' },
  { name: 'dst_ip', type: 'inet' },
  { name: 'src_port', type: 'int' },
  { name: 'dst_port', type: 'int' },
  { name: 'protocol', type: 'smallint' },
  { name: 'direction', type: 'text' },
  { name: 'action', type: 'text' },
  { name: 'flow_state', type: 'text' },
  { name: 'packets', type: 'bigint' },
  { name: 'bytes', type: 'bigint' },
  { name: 'flows', type: 'smallint' },
  { name: 'source_type', type: 'text' },
  { name: 'resource', type: 'text' },
  { name: 'rule', type: 'text' },
  { name: 'mac', type: 'text' },
  { name: 'tcp_flags', type: 'int' },
  { name: 'src_country', type: 'text' },
  { name: 'dst_country', type: 'text' },
  { name: 'src_site', type: 'text' },
  { name: 'dst_site', type: 'text' },
  { name: 'src_region', type: 'text' },
  { name: 'dst_region', type: 'text' },
  { name: 'src_provider', type: 'text' },
  { name: 'dst_provider', type: 'text' },
  { name: 'provider', type: 'text' },
  { name: 'application', type: 'text' },
  { name: 'src_asn', type: 'bigint' },
  { name: 'dst_asn', type: 'bigint' },
  { name: 'src_as_name', type: 'text' },
  { name: 'dst_as_name', type: 'text' },
];

export const TEST_SITES: SiteInfo[] = [
  { name: 'azure-eastus', kind: 'cloud', provider: 'azure', region: 'eastus', country: 'US', lat: 37.37, lon: -79.82, cidrs: ['10.10.0.0/16'] },
  { name: 'dc-chicago', kind: 'datacenter', provider: null, region: null, country: 'US', lat: 41.88, lon: -87.63, cidrs: ['172.16.0.0/16'] },
  { name: 'branch-london', kind: 'branch', provider: null, region: null, country: 'GB', lat: 51.51, lon: -0.13, cidrs: ['172.20.0.0/16'] },
];

interface Endpoint {
  ip: string;
  site: string | null;
  region: string | null;
  provider: string | null;
  country: string | null;
  asn: number | null;
  asName: string | null;
}

function endpoints(): Endpoint[] {
  const list: Endpoint[] = [];
  for (const host of [4, 5, 20, 133]) list.push({ ip: `10.10.${host % 7}.${host}`, site: 'azure-eastus', region: 'eastus', provider: 'azure', country: 'US', asn: null, asName: null });
  for (const host of [10, 11]) list.push({ ip: `172.16.1.${host}`, site: 'dc-chicago', region: null, provider: null, country: 'US', asn: null, asName: null });
  list.push({ ip: '172.20.3.7', site: 'branch-london', region: null, provider: null, country: 'GB', asn: null, asName: null });
  list.push({ ip: '2001:db8:10::5', site: 'azure-eastus', region: 'eastus', provider: 'azure', country: 'US', asn: null, asName: null });
  const outside: [string, string | null, number | null, string | null][] = [
    ['203.0.113.9', 'CN', 4134, 'CHINANET'],
    ['203.0.113.77', 'CN', 4134, 'CHINANET'],
    ['198.51.100.23', 'RU', 12389, 'ROSTELECOM'],
    ['198.51.100.200', 'NL', 1136, 'KPN'],
    // A 32-bit AS number above the signed integer range (the shipped ASN data holds such).
    ['198.51.100.201', 'NL', 4294967294, 'PRIVATE-32BIT'],
    ['192.0.2.1', null, null, null],
    ['8.8.8.8', 'US', 15169, 'GOOGLE'],
    ['2001:db8:ffff::1', 'DE', 3320, 'DTAG'],
    ['2001:db8:ffff:0:1::2', 'DE', 3320, 'DTAG'],
  ];
  for (const [ip, country, asn, asName] of outside) list.push({ ip, site: null, region: null, provider: null, country, asn, asName });
  return list;
}

function pickFrom<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)]!;
}

export function randomFlows(rand: () => number, count: number, baseMs: number, spanMs: number): TestFlow[] {
  const eps = endpoints();
  const flows: TestFlow[] = [];
  for (let i = 0; i < count; i++) {
    const src = pickFrom(rand, eps);
    let dst = pickFrom(rand, eps);
    if (dst === src) dst = eps[(eps.indexOf(src) + 1) % eps.length]!;
    const protocol = pickFrom(rand, [6, 6, 6, 17, 1]);
    const service = pickFrom(rand, [22, 443, 3306, 53, 80, 8080, null]);
    const ephemeral = 40000 + Math.floor(rand() * 12);
    const reverse = rand() < 0.4;
    const seconds = Math.floor(rand() * (spanMs / 1000));
    flows.push({
      time: baseMs + seconds * 1000 + (rand() < 0.2 ? Math.floor(rand() * 1000) : 0),
      src_ip: src.ip,
      dst_ip: dst.ip,
      src_port: protocol === 1 ? null : reverse ? service : ephemeral,
      dst_port: protocol === 1 ? null : reverse ? ephemeral : service,
      protocol,
      direction: pickFrom(rand, ['inbound', 'outbound', null]),
      action: pickFrom(rand, ['allow', 'allow', 'deny', null]),
      flow_state: pickFrom(rand, ['B', 'C', 'E', null]),
      packets: 1 + Math.floor(rand() * 500),
      bytes: Math.floor(rand() * (rand() < 0.05 ? 50_000_000 : 200_000)),
      flows: reverse ? 0 : rand() < 0.7 ? 1 : 0,
      source_type: pickFrom(rand, ['azure-nsg', 'aws-vpc']),
      resource: pickFrom(rand, ['nsg-jump', 'nsg-db', null]),
      rule: pickFrom(rand, ['AllowSSH', 'DenyAll', 'DefaultRule_AllowVnetInBound', null]),
      mac: pickFrom(rand, ['00-0D-3A-1B-2C-3D', '00-0D-3A-9F-00-01', null]),
      tcp_flags: protocol === 6 ? pickFrom(rand, [2, 18, 16, 24, null]) : null,
      src_country: src.country,
      dst_country: dst.country,
      src_site: src.site,
      dst_site: dst.site,
      src_region: src.region,
      dst_region: dst.region,
      src_provider: src.provider,
      dst_provider: dst.provider,
      provider: pickFrom(rand, ['azure', 'aws', null]),
      application: service === null ? null : ({ 22: 'ssh', 443: 'https', 3306: 'mysql', 53: 'dns', 80: 'http', 8080: null } as Record<number, string | null>)[service] ?? null,
      src_asn: src.asn,
      dst_asn: dst.asn,
      src_as_name: src.asName,
      dst_as_name: dst.asName,
    });
  }
  return flows;
}

// ---------- addresses ----------

function parseV6(text: string): bigint {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const a = head ? head.split(':') : [];
  const b = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? a : [...a, ...Array(8 - a.length - b.length).fill('0'), ...b];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function formatV6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt((7 - i) * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export interface Addr {
  v6: boolean;
  value: bigint;
}

export function parseAddr(text: string): Addr {
  if (text.includes(':')) return { v6: true, value: parseV6(text) };
  return { v6: false, value: text.split('.').reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n) };
}

export function formatAddr(a: Addr): string {
  if (a.v6) return formatV6(a.value);
  return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 255n)).join('.');
}

function maskBits(a: Addr, len: number): bigint {
  const width = a.v6 ? 128 : 32;
  return ((1n << BigInt(width)) - 1n) ^ ((1n << BigInt(width - len)) - 1n);
}

/** network(set_masklen(ip, len)) as text "addr/len". */
export function networkOf(ip: string, len: number): string {
  const a = parseAddr(ip);
  return `${formatAddr({ v6: a.v6, value: a.value & maskBits(a, len) })}/${len}`;
}

/** Canonical text of an inet/cidr value, so database and reference compare equal. */
export function canonicalIp(text: string): string {
  const [addr, len] = text.split('/');
  const a = formatAddr(parseAddr(addr!));
  return len === undefined ? a : `${a}/${len}`;
}

function containedIn(ip: string, prefix: string): boolean {
  const [addr, lenText] = prefix.split('/');
  const p = parseAddr(addr!);
  const a = parseAddr(ip.split('/')[0]!);
  if (a.v6 !== p.v6) return false;
  const len = lenText === undefined ? (p.v6 ? 128 : 32) : Number(lenText);
  // For a prefix-valued ip (network of a dimension) the value's own mask must be at least as long.
  const ownLen = ip.includes('/') ? Number(ip.split('/')[1]) : p.v6 ? 128 : 32;
  if (ownLen < len) return false;
  const m = maskBits(p, len);
  return (a.value & m) === (p.value & m);
}

// ---------- dimensions ----------

const PROTOCOLS: Record<number, string> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 47: 'gre', 50: 'esp', 51: 'ah', 58: 'icmpv6', 132: 'sctp' };
const PROTOCOL_BY_NAME: Record<string, number> = Object.fromEntries(Object.entries(PROTOCOLS).map(([n, s]) => [s, Number(n)]));

export type DimValue = string | number | null;

export function swapName(name: string): string {
  if (name.startsWith('src_')) return `dst_${name.slice(4)}`;
  if (name.startsWith('dst_')) return `src_${name.slice(4)}`;
  return name;
}

/** The value of a dimension on a row, in the form the database returns it (ips canonical). */
export function dimValue(row: TestFlow, name: string): DimValue {
  const prefix = /^(src|dst)_ip\/(\d+)$/.exec(name);
  if (prefix) {
    const ip = row[`${prefix[1]}_ip` as 'src_ip'];
    const len = Number(prefix[2]);
    return networkOf(ip, ip.includes(':') ? len : Math.min(len, 32));
  }
  if (name === 'protocol') return PROTOCOLS[row.protocol] ?? String(row.protocol);
  if (name === 'src_inside') return row.src_site !== null ? 'inside' : 'outside';
  if (name === 'dst_inside') return row.dst_site !== null ? 'inside' : 'outside';
  // Unknown (null) unless both countries are known.
  if (name === 'crosses_border') return row.src_country !== null && row.dst_country !== null ? String(row.src_country !== row.dst_country) : null;
  if (name === 'src_ip' || name === 'dst_ip') return canonicalIp(row[name]);
  return row[name as keyof TestFlow] as DimValue;
}

/** An = / in value of a prefix dimension (src_ip/24 = 10.1.2.7) means the network holding it. */
function prefixValue(name: string, value: string): string {
  const prefix = /^(src|dst)_ip\/(\d+)$/.exec(name);
  if (!prefix) return value;
  const addr = value.split('/')[0]!;
  return networkOf(addr, addr.includes(':') ? Number(prefix[2]) : Math.min(Number(prefix[2]), 32));
}

const NUMBER_DIMS = new Set(['src_port', 'dst_port', 'src_asn', 'dst_asn', 'tcp_flags']);
const IP_DIMS = (name: string) => name === 'src_ip' || name === 'dst_ip' || /^(src|dst)_ip\//.test(name);

function likeToRegex(pattern: string): RegExp {
  let re = '^';
  for (const ch of pattern) {
    if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`${re}$`);
}

function rulePositive(row: TestFlow, rule: FilterRule, name: string, op: string): boolean {
  if (name === 'protocol') {
    const value = row.protocol;
    const wanted = rule.values.map((v) => PROTOCOL_BY_NAME[v.toLowerCase()] ?? Number(v));
    if (op === 'exists') return true;
    return wanted.includes(value);
  }
  const value = dimValue(row, name);
  if (op === 'exists') return value !== null;
  if (value === null) return false;
  if (name === 'src_inside' || name === 'dst_inside') {
    const wanted = rule.values.map((v) => (v === 'true' ? 'inside' : v === 'false' ? 'outside' : v));
    return wanted.includes(value as string);
  }
  if (name === 'crosses_border') {
    const wanted = rule.values.map((v) => ({ yes: 'true', no: 'false' })[v.toLowerCase()] ?? v.toLowerCase());
    return wanted.includes(value as string);
  }
  switch (op) {
    case '=':
    case 'in':
      if (IP_DIMS(name)) return rule.values.some((v) => canonicalIp(prefixValue(name, v)) === value);
      if (NUMBER_DIMS.has(name)) return rule.values.some((v) => Number(v) === value);
      return rule.values.includes(value as string);
    case '<':
      return (value as number) < Number(rule.values[0]);
    case '<=':
      return (value as number) <= Number(rule.values[0]);
    case '>':
      return (value as number) > Number(rule.values[0]);
    case '>=':
      return (value as number) >= Number(rule.values[0]);
    case 'cidr':
      return rule.values.some((p) => containedIn(value as string, p));
    case 'like':
      return rule.values.some((p) => likeToRegex(p).test(String(value)));
    default:
      throw new Error(`op ${op}`);
  }
}

const NEGATIVE: Record<string, string> = { '!=': '=', not_in: 'in', not_cidr: 'cidr', not_like: 'like' };

export function matches(row: TestFlow, node: FilterNode, swap: boolean): boolean {
  if ('rules' in node) {
    const g = node as FilterGroup;
    const results = g.rules.map((r) => matches(row, r, swap));
    const value = g.op === 'and' ? results.every(Boolean) : results.some(Boolean);
    return g.not ? !value : value;
  }
  const rule = node as FilterRule;
  const name = swap ? swapName(rule.dimension) : rule.dimension;
  const base = NEGATIVE[rule.op];
  let op = base ?? rule.op;
  // The engine reads "=" with several values as "in".
  if (op === '=' && rule.values.length > 1) op = 'in';
  const positive = rulePositive(row, rule, name, op);
  return Boolean(rule.not) !== (base !== undefined) ? !positive : positive;
}

// ---------- metrics ----------

export interface RawAggregate {
  v: number | null;
  w: number | null;
}

/** The raw aggregate the SQL computes for a metric over a set of rows (v, and w for ratios). */
export function rawAggregate(metric: Metric, rows: TestFlow[]): RawAggregate {
  const sum = (k: 'bytes' | 'packets' | 'flows') => (rows.length ? rows.reduce((a, r) => a + r[k], 0) : null);
  switch (metric) {
    case 'bytes':
    case 'bits_per_second':
      return { v: sum('bytes'), w: null };
    case 'packets':
    case 'packets_per_second':
      return { v: sum('packets'), w: null };
    case 'flows':
    case 'flows_per_second':
      return { v: sum('flows'), w: null };
    case 'unique_src_ips':
      return { v: new Set(rows.map((r) => canonicalIp(r.src_ip))).size, w: null };
    case 'unique_dst_ips':
      return { v: new Set(rows.map((r) => canonicalIp(r.dst_ip))).size, w: null };
    case 'unique_dst_ports':
      return { v: new Set(rows.filter((r) => r.dst_port !== null).map((r) => r.dst_port)).size, w: null };
    case 'bytes_per_flow':
      return { v: sum('bytes'), w: sum('flows') };
  }
}

export function percentileCont(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = fraction * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  if (lo === hi) return sorted[lo]!;
  return sorted[lo]! + (pos - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The little of a test database these helpers use (keeps this module free of the pg driver). */
export interface QueryableDatabase {
  timescale: boolean;
  pool: { query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }> };
}

/** Inserts test flows in unnest batches (refreshing the rollups is the caller's business). */
export async function loadFlows(db: QueryableDatabase, flows: TestFlow[]): Promise<void> {
  const cols = FLOW_COLUMNS.map((c) => c.name);
  for (let i = 0; i < flows.length; i += 500) {
    const batch = flows.slice(i, i + 500);
    const arrays = FLOW_COLUMNS.map((c) =>
      batch.map((f) => (c.name === 'time' ? new Date(f.time).toISOString() : f[c.name])),
    );
    const unnest = FLOW_COLUMNS.map((c, j) => `$${j + 1}::${c.type}[]`).join(', ');
    await db.pool.query(
      `INSERT INTO flows (${cols.join(', ')}, time_end) SELECT *, u.time FROM unnest(${unnest}) AS u(${cols.join(', ')})`,
      arrays,
    );
  }
}
