import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';

/**
 * A database for one benchmark run: a new database on the server in BENCH_DATABASE_URL (e.g. the
 * local PostgreSQL 15), or a new embedded TimescaleDB; dropped afterwards.
 *
 * BENCH_KEEP=<name> keeps it instead and reuses it on the next run (a database of that name on
 * the server, a data directory of that name under the temp dir for the embedded one): generating
 * 20M flows takes minutes on the server and much longer embedded, and repeated runs (medians on
 * a shared CPU) should measure the same data.
 */
export async function openBenchDatabase(): Promise<Database & { label: string; reused: boolean }> {
  const server = process.env.BENCH_DATABASE_URL ?? null;
  const keep = process.env.BENCH_KEEP?.trim() || null;
  if (keep && !/^[a-z][a-z0-9_]{0,40}$/.test(keep)) throw new Error('BENCH_KEEP must be a lower-case name (letters, digits, _)');
  let url: string | null = null;
  let name = '';
  let reused = false;
  if (server) {
    name = keep ?? `flowatlas_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    reused = Boolean(exists.rowCount);
    if (!reused) await admin.query(`CREATE DATABASE ${name}`); // generated or checked name, not user SQL
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  let dataDir = '';
  if (!url) {
    if (keep) {
      dataDir = resolve(tmpdir(), `flowatlas-bench-${keep}`);
      reused = existsSync(dataDir);
      mkdirSync(dataDir, { recursive: true });
    } else {
      dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-bench-'));
    }
  }
  const db = await openDatabase({ url, dataDir, statementTimeoutMs: 0 });
  const label = `${db.capabilities.description}${db.embedded ? ' (embedded PGlite)' : ` (server ${db.capabilities.serverVersion})`}`;
  return {
    ...db,
    label,
    reused,
    async close() {
      await db.close();
      if (keep) return;
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (server) {
        const admin = new pg.Client({ connectionString: server });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      }
    },
  };
}
