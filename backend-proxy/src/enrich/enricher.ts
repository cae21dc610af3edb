import type { EnrichedFlow, FlowRecord } from '../model/flow-row.js';
import { ApplicationClassifier } from './applications.js';
import type { AsnLocator } from './asn.js';
import type { GeoLocator } from './geo.js';
import { SiteMatcher, type NetworkConfig } from './networks.js';

const PROVIDER_BY_SOURCE: Record<string, string> = {
  'azure-nsg': 'azure',
  'azure-vnet': 'azure',
  'aws-vpc': 'aws',
  'gcp-vpc': 'gcp',
};

/**
 * Adds geography, AS, site and application to parsed rows. Addresses inside a configured site take
 * the site's country, region and provider; public ones are geolocated offline.
 */
export class Enricher {
  private readonly sites: SiteMatcher;
  private readonly apps: ApplicationClassifier;

  constructor(
    readonly networks: NetworkConfig,
    private readonly geo: GeoLocator | null,
    private readonly asn: AsnLocator | null = null,
  ) {
    this.sites = new SiteMatcher(networks.sites);
    this.apps = new ApplicationClassifier(networks.applications);
  }

  enrich(row: FlowRecord): EnrichedFlow {
    const src = this.sites.match(row.srcIp);
    const dst = this.sites.match(row.dstIp);
    const srcGeo = src ? null : (this.geo?.lookup(row.srcIp) ?? null);
    const dstGeo = dst ? null : (this.geo?.lookup(row.dstIp) ?? null);
    const srcAs = src ? null : (this.asn?.lookup(row.srcIp) ?? null);
    const dstAs = dst ? null : (this.asn?.lookup(row.dstIp) ?? null);
    const enriched: EnrichedFlow = {
      ...row,
      srcCountry: src?.country ?? srcGeo?.country ?? null,
      dstCountry: dst?.country ?? dstGeo?.country ?? null,
      srcSite: src?.name ?? null,
      dstSite: dst?.name ?? null,
      srcRegion: src?.region ?? null,
      dstRegion: dst?.region ?? null,
      srcProvider: src?.provider ?? null,
      dstProvider: dst?.provider ?? null,
      provider: PROVIDER_BY_SOURCE[row.sourceType] ?? null,
      application: this.apps.classify(row.protocol, row.srcPort, row.dstPort),
      srcAsn: srcAs?.asn ?? null,
      dstAsn: dstAs?.asn ?? null,
      srcAsName: srcAs?.name ?? null,
      dstAsName: dstAs?.name ?? null,
    };
    // What the log itself states (GCP's geography and ASNs, NDJSON's own keys) beats a lookup.
    if (row.hints) {
      for (const [key, value] of Object.entries(row.hints) as [keyof typeof row.hints, unknown][]) {
        if (value !== null && value !== undefined) (enriched as unknown as Record<string, unknown>)[key] = value;
      }
      delete (enriched as { hints?: unknown }).hints;
    }
    return enriched;
  }
}
