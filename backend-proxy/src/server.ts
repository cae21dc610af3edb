import type { ProxyConfig } from './config.js';
import { openDatabase, type Database } from './db/database.js';
import { buildApp, type AppDependencies, type FlowAtlasApp } from './app.js';
import { sharedGeoLocator } from './enrich/geo.js';
import { sharedAsnLocator } from './enrich/asn.js';
import type { NetworkConfig } from './enrich/networks.js';
import { watchNetworkConfig } from './enrich/network-config-watch.js';
import { FlowCollector } from './ingest/flow-collector.js';

export interface RunningProxy extends FlowAtlasApp {
  db: Database;
  url: string;
  /** The port actually bound (FLOWATLAS_PORT=0 picks a free one). */
  port: number;
  close(): Promise<void>;
}

/**
 * The running proxy's log: warnings and errors, one JSON line each (a failed request with its
 * stack). A 500 answers "see the proxy log", and the proxy was started without a logger, so
 * nothing was ever written there; info lines per request are left out (ingest sends many).
 */
export function proxyLogger(stream: { write(line: string): void } = process.stdout): AppDependencies['logger'] {
  return { level: 'warn', stream };
}

/** Opens the database, builds the app and listens; the network config hot-reloads on change. */
export async function startProxy(config: ProxyConfig, options: { logger?: AppDependencies['logger'] } = {}): Promise<RunningProxy> {
  const empty: NetworkConfig = { sites: [], applications: [] };
  // Hot reload: a replaced or edited file takes effect for the next ingested rows; a broken one keeps the last good config.
  const watcher = config.networksFile ? watchNetworkConfig(config.networksFile) : null;
  const networks = (): NetworkConfig => watcher?.current() ?? empty;
  const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, statementTimeoutMs: config.queryTimeoutMs, waitMs: config.databaseWaitMs });
  const built = await buildApp({ config, db, networks, geo: sharedGeoLocator(), asn: sharedAsnLocator(), logger: options.logger ?? proxyLogger() });
  const address = await built.app.listen({ port: config.port, host: config.host });
  let collector: FlowCollector | null = null;
  if (config.netflowPort) {
    collector = new FlowCollector(built.ingest, { port: config.netflowPort, host: config.host });
    await collector.start();
    console.log(`[flowatlas] NetFlow/IPFIX collector on udp ${config.host}:${config.netflowPort}`);
  }
  return {
    ...built,
    db,
    url: address.replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost'),
    port: Number(new URL(address).port),
    async close() {
      watcher?.stop();
      await collector?.stop();
      // Bring the aggregates up to date before the pool goes: the next start finds them whole.
      await built.refresher.refresh().catch(() => undefined);
      await built.app.close();
      await db.close();
    },
  };
}
