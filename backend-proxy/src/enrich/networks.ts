import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { addressToBigInt, cidrContains, parseCidr, type Cidr } from './cidr.js';
import { PORT_PROTOCOLS, type ApplicationOverride, type ApplicationOverrides } from './applications.js';

export type SiteKind = 'cloud' | 'datacenter' | 'branch';

/** One place of the estate: a cloud region, data center or branch, with its address space. */
export interface Site {
  name: string;
  kind: SiteKind;
  provider: string | null;
  region: string | null;
  country: string;
  lat: number;
  lon: number;
  cidrs: string[];
  /** Who owns the site (a customer, business unit, subscription owner): src/dst_tenant. */
  tenant?: string | null;
  /** What the site is for (production, staging, dmz, branch-office, …): src/dst_role. */
  role?: string | null;
  description?: string | null;
}

export interface NetworkConfig {
  sites: Site[];
  applications: ApplicationOverrides;
}

const KINDS = new Set<SiteKind>(['cloud', 'datacenter', 'branch']);

/** Validates a parsed network config document; errors name the path of the bad field. */
export function validateNetworkConfig(doc: unknown, origin = 'network config'): NetworkConfig {
  const fail = (path: string, why: string): never => {
    throw new Error(`${origin}: ${path}: ${why}`);
  };
  if (!doc || typeof doc !== 'object') fail('(root)', 'expected an object with a "sites" list');
  const root = doc as { sites?: unknown; applications?: unknown };
  if (!Array.isArray(root.sites)) fail('sites', 'expected a list');
  const sites = (root.sites as unknown[]).map((raw, i): Site => {
    const s = raw as Record<string, unknown>;
    const at = `sites[${i}]`;
    if (!s || typeof s !== 'object') fail(at, 'expected an object');
    if (typeof s.name !== 'string' || !s.name) fail(`${at}.name`, 'required text');
    const kind = (s.kind ?? 'datacenter') as SiteKind;
    if (!KINDS.has(kind)) fail(`${at}.kind`, `one of ${[...KINDS].join(', ')}`);
    if (typeof s.country !== 'string' || !/^[A-Z]{2}$/.test(s.country)) fail(`${at}.country`, 'ISO 3166 alpha-2 code such as US');
    for (const k of ['lat', 'lon'] as const) if (typeof s[k] !== 'number') fail(`${at}.${k}`, 'required number');
    if (!Array.isArray(s.cidrs) || s.cidrs.length === 0) fail(`${at}.cidrs`, 'a non-empty list of CIDRs');
    (s.cidrs as unknown[]).forEach((c, j) => {
      try {
        parseCidr(String(c));
      } catch (err) {
        fail(`${at}.cidrs[${j}]`, (err as Error).message);
      }
    });
    return {
      name: s.name as string,
      kind,
      provider: typeof s.provider === 'string' ? s.provider : null,
      region: typeof s.region === 'string' ? s.region : null,
      country: s.country as string,
      lat: s.lat as number,
      lon: s.lon as number,
      cidrs: (s.cidrs as unknown[]).map(String),
      tenant: optionalText(s.tenant, `${at}.tenant`, fail),
      role: optionalText(s.role, `${at}.role`, fail),
      description: typeof s.description === 'string' ? s.description : null,
    };
  });
  const applications = validateApplications(root.applications, fail);
  return { sites, applications };
}

/** An optional text field of a site: absent or null → null; anything but non-empty text is an error. */
function optionalText(value: unknown, path: string, fail: (path: string, why: string) => never): string | null {
  if (value === undefined || value === null) return null;
  // YAML reads an unquoted numeric id (a tenant number) as a number: keep it as its text.
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'text (or leave it out)');
  return (value as string).trim();
}

/** Protocol names accepted in `applications[].protocol` besides IANA numbers. */
const PROTOCOL_BY_NAME: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, ospf: 89, sctp: 132 };

/**
 * `applications:` overrides of the port → application table. Each entry needs a protocol (IANA
 * number or tcp/udp/sctp/…), a name, and a port for protocols that have ports (without one it
 * names the protocol itself, e.g. GRE). A mistake names the entry, never silently files an
 * override under the wrong protocol.
 */
function validateApplications(raw: unknown, fail: (path: string, why: string) => never): ApplicationOverrides {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail('applications', 'expected a list of {protocol, port, name}');
  return (raw as unknown[]).map((entry, i): ApplicationOverride => {
    const at = `applications[${i}]`;
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) fail(at, 'expected an object {protocol, port, name}');
    const e = entry as Record<string, unknown>;
    const protocol = typeof e.protocol === 'string' ? PROTOCOL_BY_NAME[e.protocol.toLowerCase()] : e.protocol;
    if (typeof protocol !== 'number' || !Number.isInteger(protocol) || protocol < 0 || protocol > 255) {
      fail(`${at}.protocol`, `an IANA protocol number 0-255 or one of ${Object.keys(PROTOCOL_BY_NAME).join(', ')}, got ${JSON.stringify(e.protocol)}`);
    }
    if (typeof e.name !== 'string' || e.name.trim() === '') fail(`${at}.name`, 'required text');
    const port = e.port;
    if (port !== undefined && port !== null) {
      if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) fail(`${at}.port`, `a port number 0-65535, got ${JSON.stringify(port)}`);
      if (!PORT_PROTOCOLS.has(protocol as number)) fail(`${at}.port`, `protocol ${protocol as number} has no ports; leave the port out to name the protocol itself`);
    }
    return { protocol: protocol as number, port: (port as number | null | undefined) ?? null, name: (e.name as string).trim() };
  });
}

/** Reads a JSON or YAML network config file. */
export function loadNetworkConfig(path: string): NetworkConfig {
  const text = readFileSync(path, 'utf8');
  const doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  return validateNetworkConfig(doc, path);
}

/** An IPv4 prefix as 32-bit numbers, for the fast path (nearly every flow address is IPv4). */
interface V4Prefix {
  base: number;
  mask: number;
  site: Site;
}

/** Dotted-quad text → unsigned 32-bit number; the caller has checked it is IPv4. */
function ipv4Number(ip: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else octet = octet * 10 + (c - 48);
  }
  return value * 256 + octet;
}

const V4_MAPPED = 0xffff00000000n;

/**
 * Longest-prefix match of addresses to sites. IPv4 addresses are matched with 32-bit integer
 * arithmetic (BigInt per address was most of enrichment's time); IPv6 in the 128-bit space.
 * Callers cache answers per address (Enricher).
 */
export class SiteMatcher {
  private readonly prefixes: { cidr: Cidr; site: Site }[];
  private readonly v4: V4Prefix[] = [];

  constructor(readonly sites: Site[]) {
    this.prefixes = sites
      .flatMap((site) => site.cidrs.map((c) => ({ cidr: parseCidr(c), site })))
      .sort((a, b) => b.cidr.bits - a.cidr.bits);
    // The same prefixes, longest first, as they apply to IPv4 (mapped into ::ffff:0:0/96).
    for (const { cidr, site } of this.prefixes) {
      if (cidr.bits >= 96 && cidr.base >> 32n === 0xffffn) {
        const bits = cidr.bits - 96;
        const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
        this.v4.push({ base: Number(cidr.base & 0xffffffffn) & mask, mask, site });
      } else if (cidr.bits < 96 && cidrContains(cidr, V4_MAPPED)) {
        this.v4.push({ base: 0, mask: 0, site });
      }
    }
  }

  match(ip: string): Site | null {
    if (isIP(ip) === 4) {
      const address = ipv4Number(ip);
      for (const p of this.v4) if (((address & p.mask) >>> 0) === p.base >>> 0) return p.site;
      return null;
    }
    const address = addressToBigInt(ip);
    return address === null ? null : (this.prefixes.find((p) => cidrContains(p.cidr, address))?.site ?? null);
  }
}
