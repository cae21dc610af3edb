import { TABLE_ROLLUP_STORE } from './006-table-rollups.js';
import { GEO_ROLLUP, geoLevelStatements } from './009-geo-rollup.js';

/**
 * flows_geo_5m: the narrow level of migration 009 in five-minute buckets, summed from
 * flows_geo_1m. A day of traffic between sites in 5-minute steps — what a 24-hour dashboard panel
 * of ~300 points asks for, and every 10/15/30-minute step of a week — read 350k minute rows from
 * flows_geo_1m for the 20M-flow benchmark day (≈200 ms on PostgreSQL 15, over the 200 ms target);
 * this level holds about a fifth of them. Same columns, window and retention as the minute level.
 */
export const GEO_5M_ROLLUP = { name: 'flows_geo_5m', bucketMs: 300_000, bucket: '5 minutes', store: 'flows_geo_5m_store' } as const;

export function geo5mRollupMigration(timescale: boolean): string[] {
  const stores = [...Object.values(TABLE_ROLLUP_STORE), GEO_ROLLUP.store, GEO_5M_ROLLUP.store];
  return geoLevelStatements(GEO_5M_ROLLUP, GEO_ROLLUP.name, timescale, stores, '5 minutes');
}
