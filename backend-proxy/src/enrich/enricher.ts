import type { EnrichedFlow, FlowRecord } from '../model/flow-row.js';
import { ApplicationClassifier } from './applications.js';
import { cloudProviderOfAsn } from './cloud-asn.js';
import type { AsnLocator } from './asn.js';
import type { GeoLocator } from './geo.js';
import { SiteMatcher, type NetworkConfig, type Site } from './networks.js';

const PROVIDER_BY_SOURCE: Record<string, string> = {
  'azure-nsg': 'azure',
  'azure-vnet': 'azure',
  'aws-vpc': 'aws',
  'gcp-vpc': 'gcp',
};

/** Everything enrichment knows about one address, looked up once and cached. */
interface AddressFacts {
  site: Site | null;
  /** The site's provider; outside the estate, the cloud whose AS announces the address (cloud-asn.ts). */
  provider: string | null;
  country: string | null;
  asn: number | null;
  asName: string | null;
}

/**
 * Distinct addresses remembered (~100 bytes each). A scan of the whole internet must not grow the
 * cache without limit: it is cleared when full, and the next lookups refill it.
 */
const FACTS_CACHE_SIZE = 100_000;

/**
 * Adds geography, AS, site and application to parsed rows. Addresses inside a configured site take
 * the site's country, region and provider; public ones are geolocated offline. One instance per
 * network config: a reloaded config gets a new Enricher (and an empty cache).
 */
export class Enricher {
  private readonly sites: SiteMatcher;
  private readonly apps: ApplicationClassifier;
  private readonly facts = new Map<string, AddressFacts>();

  constructor(
    readonly networks: NetworkConfig,
    private readonly geo: GeoLocator | null,
    private readonly asn: AsnLocator | null = null,
  ) {
    this.sites = new SiteMatcher(networks.sites);
    this.apps = new ApplicationClassifier(networks.applications);
  }

  /** Site, country and AS of an address: one map lookup for the addresses seen before. */
  private factsOf(ip: string): AddressFacts {
    let f = this.facts.get(ip);
    if (f !== undefined) return f;
    const site = this.sites.match(ip);
    if (site) f = { site, provider: site.provider, country: site.country, asn: null, asName: null };
    else {
      const as = this.asn?.lookup(ip) ?? null;
      f = { site: null, provider: cloudProviderOfAsn(as?.asn), country: this.geo?.country(ip) ?? null, asn: as?.asn ?? null, asName: as?.name ?? null };
    }
    if (this.facts.size >= FACTS_CACHE_SIZE) this.facts.clear();
    this.facts.set(ip, f);
    return f;
  }

  enrich(row: FlowRecord): EnrichedFlow {
    const src = this.factsOf(row.srcIp);
    const dst = this.factsOf(row.dstIp);
    // One object literal with every field (no spread, no delete): V8 keeps one fast shape for
    // all rows, which the writers then read column by column.
    const enriched: EnrichedFlow = {
      startMs: row.startMs,
      endMs: row.endMs,
      srcIp: row.srcIp,
      dstIp: row.dstIp,
      srcPort: row.srcPort,
      dstPort: row.dstPort,
      protocol: row.protocol,
      direction: row.direction,
      action: row.action,
      flowState: row.flowState,
      packets: row.packets,
      bytes: row.bytes,
      flows: row.flows,
      initiated: row.initiated,
      sourceType: row.sourceType,
      resource: row.resource,
      resourceGroup: row.resourceGroup,
      rule: row.rule,
      mac: row.mac,
      tcpFlags: row.tcpFlags,
      encryption: row.encryption,
      account: row.account,
      vpc: row.vpc,
      subnet: row.subnet,
      instance: row.instance,
      cloudRegion: row.cloudRegion,
      srcCountry: src.country,
      dstCountry: dst.country,
      srcSite: src.site?.name ?? null,
      dstSite: dst.site?.name ?? null,
      srcRegion: src.site?.region ?? null,
      dstRegion: dst.site?.region ?? null,
      srcProvider: src.provider,
      dstProvider: dst.provider,
      srcTenant: src.site?.tenant ?? null,
      dstTenant: dst.site?.tenant ?? null,
      srcRole: src.site?.role ?? null,
      dstRole: dst.site?.role ?? null,
      provider: PROVIDER_BY_SOURCE[row.sourceType] ?? null,
      application: this.apps.classify(row.protocol, row.srcPort, row.dstPort),
      srcAsn: src.asn,
      dstAsn: dst.asn,
      srcAsName: src.asName,
      dstAsName: dst.asName,
    };
    // What the log itself states (GCP's geography and ASNs, NDJSON's own keys) beats a lookup.
    const hints = row.hints;
    if (hints) {
      for (const key in hints) {
        const value = hints[key as keyof typeof hints];
        if (value !== null && value !== undefined) (enriched as unknown as Record<string, unknown>)[key] = value;
      }
      // An AS number the log states (GCP's location ASN) names a cloud the lookup did not.
      if (enriched.srcProvider === null && enriched.srcSite === null) enriched.srcProvider = cloudProviderOfAsn(enriched.srcAsn);
      if (enriched.dstProvider === null && enriched.dstSite === null) enriched.dstProvider = cloudProviderOfAsn(enriched.dstAsn);
    }
    return enriched;
  }
}
