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
  url: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** null → start the embedded PGlite + TimescaleDB server on `dataDir`. */
  url: string | null;
  dataDir: string;
  statementTimeoutMs: number;
}

/** Connects (starting the embedded server when no URL is given), detects TimescaleDB and migrates. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  if (!options.url) embedded = await startEmbeddedDatabase(options.dataDir);
  const url = options.url ?? embedded!.url;
  const pool = createPool(url, { embedded: Boolean(embedded), statementTimeoutMs: options.statementTimeoutMs });
  try {
    const capabilities = await detectCapabilities(pool);
    await migrate(pool, capabilities.timescale);
    return {
      pool,
      capabilities,
      embedded: Boolean(embedded),
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
