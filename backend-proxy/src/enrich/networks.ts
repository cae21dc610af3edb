import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { addressToBigInt, cidrContains, parseCidr, type Cidr } from './cidr.js';
import type { ApplicationOverrides } from './applications.js';

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
  tenant?: string | null;
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
      tenant: typeof s.tenant === 'string' ? s.tenant : null,
      description: typeof s.description === 'string' ? s.description : null,
    };
  });
  const applications = Array.isArray(root.applications) ? (root.applications as ApplicationOverrides) : [];
  return { sites, applications };
}

/** Reads a JSON or YAML network config file. */
export function loadNetworkConfig(path: string): NetworkConfig {
  const text = readFileSync(path, 'utf8');
  const doc = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  return validateNetworkConfig(doc, path);
}

/** Longest-prefix match of addresses to sites, with a bounded cache of recent answers. */
export class SiteMatcher {
  private readonly prefixes: { cidr: Cidr; site: Site }[];
  private readonly cache = new Map<string, Site | null>();

  constructor(readonly sites: Site[]) {
    this.prefixes = sites
      .flatMap((site) => site.cidrs.map((c) => ({ cidr: parseCidr(c), site })))
      .sort((a, b) => b.cidr.bits - a.cidr.bits);
  }

  match(ip: string): Site | null {
    const hit = this.cache.get(ip);
    if (hit !== undefined) return hit;
    const address = addressToBigInt(ip);
    const site = address === null ? null : (this.prefixes.find((p) => cidrContains(p.cidr, address))?.site ?? null);
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(ip, site);
    return site;
  }
}
