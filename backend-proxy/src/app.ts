import Fastify, { type FastifyInstance } from 'fastify';
import type { ProxyConfig } from './config.js';
import type { Database } from './db/database.js';
import { Enricher } from './enrich/enricher.js';
import type { GeoLocator } from './enrich/geo.js';
import type { NetworkConfig } from './enrich/networks.js';
import { RollupRefresher } from './execute/rollup-refresher.js';
import { chooseFlowWriter } from './ingest/flow-writer.js';
import { IngestService } from './ingest/ingest-service.js';
import { installAuth } from './routes/auth.js';
import { installErrorHandler } from './routes/errors.js';
import { healthRoutes } from './routes/health.js';
import { ingestRoutes } from './routes/ingest.js';
import { queryRoutes } from './routes/query.js';

export interface AppDependencies {
  config: ProxyConfig;
  db: Database;
  networks: () => NetworkConfig;
  geo: GeoLocator | null;
  logger?: boolean;
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
    // Slow clients must not hold a connection forever.
    requestTimeout: 10 * 60_000,
  });
  // Ingest bodies are read raw: the parsers decide what they are (and gzip is decoded by us).
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.addContentTypeParser(['application/x-ndjson', 'text/plain', 'application/gzip', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    // Ingest wants the raw JSON bytes (hash for idempotency, byte offsets in errors).
    if (request.url.startsWith('/api/v1/ingest')) return done(null, body);
    defaultJson(request, (body as Buffer).toString('utf8'), done);
  });

  installErrorHandler(app);
  installAuth(app, config.token);

  const refresher = new RollupRefresher(db.pool, db.capabilities.timescale);
  await refresher.init();
  let enricher: Enricher | null = null;
  let enricherFor: NetworkConfig | null = null;
  // Rebuilt only when the network config object changes (hot reload swaps it).
  const currentEnricher = (): Enricher => {
    const networks = deps.networks();
    if (!enricher || enricherFor !== networks) {
      enricher = new Enricher(networks, deps.geo);
      enricherFor = networks;
    }
    return enricher;
  };
  const ingest = new IngestService(db.pool, currentEnricher, chooseFlowWriter(db.embedded), (min, max) => refresher.markDirty(min, max));

  healthRoutes(app, db);
  ingestRoutes(app, ingest);
  queryRoutes(app, {
    db,
    refresher,
    sites: () => deps.networks().sites,
    limits: { maxRows: config.maxRows, maxSeries: config.maxSeries, maxTopN: config.maxTopN },
  });
  return { app, refresher, ingest };
}
