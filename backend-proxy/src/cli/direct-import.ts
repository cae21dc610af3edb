/**
 * `flowatlas import --database-url …`: the proxy's own ingest service run in this process,
 * writing straight to PostgreSQL / TimescaleDB without a proxy in between. Same migrations, the
 * same parsers, enrichment (FLOWATLAS_NETWORKS, the offline geo and AS data), idempotency (source
 * + content, grown Azure blobs), dead letters and batching as the HTTP route; the rollups are
 * brought up to date when the import ends.
 */
import { createReadStream } from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';
import { Enricher } from '../enrich/enricher.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { sharedAsnLocator } from '../enrich/asn.js';
import { loadNetworkConfig, type NetworkConfig } from '../enrich/networks.js';
import { RollupRefresher } from '../execute/rollup-refresher.js';
import { chooseFlowWriter } from '../ingest/flow-writer.js';
import { IngestService } from '../ingest/ingest-service.js';
import { createIngestJob, FORMATS } from '../ingest/ingest-job.js';
import type { FlowFormat } from '../ingest/formats/index.js';
import type { GcpReporters } from '../ingest/formats/gcp-vpc.js';
import type { FileResult, ImportTarget } from './import-files.js';

export interface DirectOptions {
  databaseUrl: string;
  /** A schema to import into (default: the connection's search_path). */
  schema?: string;
  /** FLOWATLAS_NETWORKS: the estate for site / tenant / role enrichment. */
  networksFile: string | null;
}

/** PGlite (the embedded database) says it was compiled by Emscripten. */
async function isEmbeddedServer(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ v: string }>('SELECT version() AS v');
    return /emscripten/i.test(r.rows[0]?.v ?? '');
  } finally {
    await client.end();
  }
}

/** Imports files in this process; close() refreshes the rollups and disconnects. */
export class DirectImporter {
  private constructor(
    private readonly db: Database,
    private readonly service: IngestService,
    private readonly refresher: RollupRefresher,
  ) {}

  static async open(options: DirectOptions): Promise<DirectImporter> {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new Error(`--database-schema: not a plain schema name: ${options.schema}`);
    // A bad network config stops the import before anything is written (the proxy would refuse it too).
    const networks: NetworkConfig = options.networksFile ? loadNetworkConfig(options.networksFile) : { sites: [], applications: [] };
    // The proxy's embedded PGlite server (another proxy's data directory, the test runner's) takes
    // one connection at a time and loses its connection on COPY: talk to it as the proxy does.
    const embedded = await isEmbeddedServer(options.databaseUrl);
    const db = await openDatabase({ url: options.databaseUrl, dataDir: '', statementTimeoutMs: 0, schema: options.schema, singleConnection: embedded });
    const refresher = new RollupRefresher(db.pool, db.capabilities.timescale);
    await refresher.init();
    const enricher = new Enricher(networks, sharedGeoLocator(), sharedAsnLocator());
    const service = new IngestService(db.pool, () => enricher, chooseFlowWriter(db.embedded), (min, max) => refresher.markDirty(min, max));
    return new DirectImporter(db, service, refresher);
  }

  /** Streams one file through the ingest service; `onBytes` sees the bytes read so far. */
  async importFile(file: { path: string; source: string }, target: ImportTarget, onBytes?: (bytes: number) => void): Promise<FileResult> {
    const failed = (message: string): FileResult => ({ file: file.source, ok: false, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: false, message });
    if (target.format && !FORMATS.includes(target.format as FlowFormat)) return failed(`unknown format "${target.format}"; one of ${FORMATS.join(', ')}`);
    try {
      const job = await createIngestJob(createReadStream(file.path), {
        format: (target.format as FlowFormat | null) ?? null,
        source: file.source,
        awsFormat: target.awsFormat ?? undefined,
        gcpReporters: (target.gcpReporters as GcpReporters | null) ?? undefined,
        maxBytes: Number.MAX_SAFE_INTEGER,
        onBytes,
      });
      const r = await this.service.ingest(job);
      return { file: file.source, ok: true, accepted: r.accepted, rejected: r.rejected, skipped: r.skipped, rows: r.rows, alreadyIngested: r.alreadyIngested, errors: r.errors };
    } catch (err) {
      // An unreadable body (no format recognised, nothing readable) fails this file, not the run.
      return failed((err as Error).message);
    }
  }

  async close(): Promise<void> {
    try {
      await this.refresher.refresh();
    } finally {
      await this.refresher.stop();
      await this.db.close();
    }
  }
}
