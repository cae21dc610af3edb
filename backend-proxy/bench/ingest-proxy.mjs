// The proxy as shipped (the compiled dist/), started by bench/ingest-bench.ts in a process of its
// own so that its memory (RSS) is measured alone, without the benchmark client's bodies.
// Usage: node bench/ingest-proxy.mjs <database url> <single|pool>; answers {type:'ready', url}
// over IPC and stops on {type:'stop'}.
import { fileURLToPath } from 'node:url';
import { buildApp } from '../dist/app.js';
import { loadConfig } from '../dist/config.js';
import { openDatabase } from '../dist/db/database.js';
import { sharedGeoLocator } from '../dist/enrich/geo.js';
import { sharedAsnLocator } from '../dist/enrich/asn.js';
import { loadNetworkConfig } from '../dist/enrich/networks.js';

const [url, mode] = process.argv.slice(2);
// The embedded PGlite server takes one connection at a time: the proxy then uses one, as in production.
const db = await openDatabase({ url, dataDir: '', statementTimeoutMs: 0, singleConnection: mode === 'single' });
const networks = loadNetworkConfig(fileURLToPath(new URL('../config/demo-networks.yaml', import.meta.url)));
const { app } = await buildApp({ config: loadConfig({ FLOWATLAS_DATA_DIR: '' }), db, networks: () => networks, geo: sharedGeoLocator(), asn: sharedAsnLocator() });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
process.send?.({ type: 'ready', url: address });
process.on('message', async (message) => {
  if (message?.type !== 'stop') return;
  await app.close();
  await db.close();
  process.exit(0);
});
