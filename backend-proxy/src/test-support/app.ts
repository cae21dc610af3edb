import { fileURLToPath } from 'node:url';
import { buildApp, type FlowAtlasApp } from '../app.js';
import { loadConfig } from '../config.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { sharedAsnLocator } from '../enrich/asn.js';
import { loadNetworkConfig, type NetworkConfig } from '../enrich/networks.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export const DEMO_NETWORKS = fileURLToPath(new URL('../../config/demo-networks.yaml', import.meta.url));

export interface TestApp extends FlowAtlasApp {
  db: TestDatabase;
  /** The first column of the first row of a query, as a number (e.g. a `count(*)`). */
  count(sql: string, params?: unknown[]): Promise<number>;
  close(): Promise<void>;
}

/** The whole HTTP app on a fresh test database with the demo estate (or `networks`); drive it with app.inject(). */
export async function openTestApp(env: Record<string, string> = {}, options: { networks?: NetworkConfig } = {}): Promise<TestApp> {
  const db = await openTestDatabase();
  const config = loadConfig({ FLOWATLAS_DATA_DIR: '', ...env });
  const networks = options.networks ?? loadNetworkConfig(DEMO_NETWORKS);
  const built = await buildApp({ config, db, networks: () => networks, geo: sharedGeoLocator(), asn: sharedAsnLocator() });
  await built.app.ready();
  return {
    ...built,
    db,
    async count(sql, params = []) {
      return Number(Object.values((await db.pool.query(sql, params)).rows[0] as object)[0]);
    },
    async close() {
      await built.app.close();
      await db.close();
    },
  };
}
