import type pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { createPool } from './pool.js';
import { detectCapabilities, type DatabaseCapabilities } from './capabilities.js';
import { migrate } from './migrate.js';

export interface Database {
  pool: pg.Pool;
  capabilities: DatabaseCapabilities;
  /** True on the embedded PGlite server (one connection, no background jobs). */
  embedded: boolean;
  /** PID of the embedded server's process when this Database started it. */
  embeddedPid?: number;
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** null → start the embedded PGlite + TimescaleDB server on `dataDir`. */
  url: string | null;
  dataDir: string;
  statementTimeoutMs: number;
  /** The URL is a single-connection server (the embedded one started elsewhere, e.g. by the test runner). */
  singleConnection?: boolean;
  schema?: string;
}

/** Connects (starting the embedded server when no URL is given), detects TimescaleDB and migrates. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  if (!options.url) embedded = await startEmbeddedDatabase(options.dataDir);
  const url = options.url ?? embedded!.url;
  const single = Boolean(embedded) || Boolean(options.singleConnection);
  const pool = createPool(url, { embedded: single, statementTimeoutMs: options.statementTimeoutMs, schema: options.schema });
  try {
    const capabilities = await detectCapabilities(pool);
    await migrate(pool, capabilities.timescale);
    return {
      pool,
      capabilities,
      embedded: single,
      embeddedPid: embedded?.pid,
      url,
      async close() {
        await pool.end().catch(() => undefined);
        await embedded?.stop();
      },
    };
  } catch (err) {
    await pool.end().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
}
