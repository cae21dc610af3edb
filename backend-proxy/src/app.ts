import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import type { ProxyConfig } from './config.js';
import type { Database } from './db/database.js';
import { Enricher } from './enrich/enricher.js';
import type { GeoLocator } from './enrich/geo.js';
import type { AsnLocator } from './enrich/asn.js';
import type { NetworkConfig } from './enrich/networks.js';
import { RollupRefresher } from './execute/rollup-refresher.js';
import { chooseFlowWriter } from './ingest/flow-writer.js';
import { IngestService } from './ingest/ingest-service.js';
import { collectGarbageNow } from './ingest/heap-relief.js';
import { installAuth, routedPath } from './routes/auth.js';
import { installErrorHandler } from './routes/errors.js';
import { healthRoutes } from './routes/health.js';
import { deadLetterRoutes } from './routes/dead-letters.js';
import { ingestRoutes } from './routes/ingest.js';
import { ingestOverlapRoutes } from './routes/ingest-overlap.js';
import { queryRoutes } from './routes/query.js';
import { playgroundRoutes } from './routes/playground.js';

/** Query requests are small JSON documents; anything bigger is a mistake or an attack. */
const QUERY_BODY_LIMIT = 1024 * 1024;

export interface AppDependencies {
  config: ProxyConfig;
  db: Database;
  networks: () => NetworkConfig;
  geo: GeoLocator | null;
  asn?: AsnLocator | null;
  /** Fastify's logger: false (tests), or a level and where the JSON lines go (server.ts). */
  logger?: boolean | { level: string; stream?: { write(line: string): void } };
}

export interface FlowAtlasApp {
  app: FastifyInstance;
  refresher: RollupRefresher;
  ingest: IngestService;
}

/** Builds the HTTP app on an open database; tests call this and use app.inject(). */
export async function buildApp(deps: AppDependencies): Promise<FlowAtlasApp> {
  const { config, db } = deps;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    // Slow clients must not hold a connection forever, but a big ingest body takes as long as the
    // database needs to write it (10 minutes once cut a 500 MB object off with a 408).
    requestTimeout: config.requestTimeoutMs,
  });
  // Ingest bodies are handed over as the raw stream: the ingest job decodes (gzip), detects the
  // format and parses line formats as they stream in, so their size is bounded by the body
  // limit, not by memory. Everything else that is not JSON is refused. Decided on the routed path
  // (auth.ts): /api/v1/%69ngest/… is the ingest route too.
  const rawStream = (request: FastifyRequest, payload: unknown, done: (err: Error | null, body?: unknown) => void): void => {
    if (routedPath(request).startsWith('/api/v1/ingest')) return done(null, payload);
    done(Object.assign(new Error('unsupported content type'), { statusCode: 415 }));
  };
  app.addContentTypeParser('*', rawStream);
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', (request, payload, done) => {
    if (routedPath(request).startsWith('/api/v1/ingest')) return done(null, payload);
    // Queries are small: read and parse them with Fastify's hardened JSON parser.
    const chunks: Buffer[] = [];
    let size = 0;
    payload.on('data', (c: Buffer) => {
      size += c.length;
      if (size > QUERY_BODY_LIMIT) {
        payload.destroy();
        done(Object.assign(new Error(`query body larger than ${QUERY_BODY_LIMIT} bytes`), { statusCode: 413 }));
      } else chunks.push(c);
    });
    payload.on('end', () => defaultJson(request, Buffer.concat(chunks).toString('utf8'), done));
    payload.on('error', (err) => done(err));
  });

  installErrorHandler(app);
  installAuth(app, config.tokens);

  const refresher = new RollupRefresher(db.pool, db.capabilities.timescale);
  await refresher.init();
  refresher.start();
  app.addHook('onClose', async () => refresher.stop());
  let enricher: Enricher | null = null;
  let enricherFor: NetworkConfig | null = null;
  // Rebuilt only when the network config object changes (hot reload swaps it).
  const currentEnricher = (): Enricher => {
    const networks = deps.networks();
    if (!enricher || enricherFor !== networks) {
      enricher = new Enricher(networks, deps.geo, deps.asn ?? null);
      enricherFor = networks;
    }
    return enricher;
  };
  const ingest = new IngestService(db.pool, currentEnricher, chooseFlowWriter(db.embedded), (min, max) => refresher.markDirty(min, max));

  healthRoutes(app, db);
  ingestRoutes(app, ingest, config.bodyLimitBytes, config.maxRecordBytes);
  deadLetterRoutes(app, db, ingest);
  ingestOverlapRoutes(app, db);
  queryRoutes(app, {
    db,
    refresher,
    sites: () => deps.networks().sites,
    limits: { maxRows: config.maxRows, maxSeries: config.maxSeries, maxTopN: config.maxTopN },
  });
  // The playground page (built by `npm run build:playground`); same path from src/ and dist/.
  playgroundRoutes(app, process.env.FLOWATLAS_PLAYGROUND_DIR ?? fileURLToPath(new URL('../../playground/dist', import.meta.url)));
  // Loading the enrichment tables leaves tens of MB of parse garbage (buffers, strings) that V8
  // would keep until its next full collection: drop it now so the proxy starts at its real size.
  collectGarbageNow();
  return { app, refresher, ingest };
}
