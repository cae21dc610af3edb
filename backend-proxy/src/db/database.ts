import type pg from 'pg';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';
import { createPool } from './pool.js';
import { detectCapabilities, type DatabaseCapabilities } from './capabilities.js';
import { migrate } from './migrate.js';
import { waitForDatabase } from './wait-for-database.js';

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
  /** With a URL: how long to wait for a server that is not answering yet (default: no wait). */
  waitMs?: number;
}

/** Connects (starting the embedded server when no URL is given), detects TimescaleDB and migrates. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  if (!options.url) embedded = await startEmbeddedDatabase(options.dataDir);
  const url = options.url ?? embedded!.url;
  const single = Boolean(embedded) || Boolean(options.singleConnection);
  const pool = createPool(url, { embedded: single, statementTimeoutMs: options.statementTimeoutMs, schema: options.schema });
  try {
    if (options.url && options.waitMs) {
      const where = describeServer(options.url);
      await waitForDatabase(pool, { timeoutMs: options.waitMs, onRetry: (reason) => console.log(`[flowatlas] waiting for the database at ${where} (${reason})`) });
    }
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

/** host:port/database of a connection URL, without its user or password (for log lines). */
function describeServer(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}
