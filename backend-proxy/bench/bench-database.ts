import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../src/db/database.js';

/**
 * A fresh database for one benchmark run, dropped afterwards: a new database on the server in
 * BENCH_DATABASE_URL (e.g. the local PostgreSQL 15), or a new embedded TimescaleDB.
 */
export async function openBenchDatabase(): Promise<Database & { label: string }> {
  const server = process.env.BENCH_DATABASE_URL ?? null;
  let url: string | null = null;
  let name = '';
  if (server) {
    name = `flowatlas_bench_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`); // generated name, not user input
    await admin.end();
    const u = new URL(server);
    u.pathname = `/${name}`;
    url = u.toString();
  }
  const dataDir = url ? '' : mkdtempSync(join(tmpdir(), 'flowatlas-bench-'));
  const db = await openDatabase({ url, dataDir, statementTimeoutMs: 0 });
  const label = `${db.capabilities.description}${db.embedded ? ' (embedded PGlite)' : ` (server ${db.capabilities.serverVersion})`}`;
  return {
    ...db,
    label,
    async close() {
      await db.close();
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
