/**
 * A fresh, migrated database for one test file: the embedded PGlite + TimescaleDB by default,
 * or a throw-away database created on the server in TEST_DATABASE_URL (e.g. the local
 * PostgreSQL 15, the plain-PostgreSQL path). Everything it creates is removed on close().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';

export interface TestDatabase extends Database {
  timescale: boolean;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-test-'));
    const db = await openDatabase({ url: null, dataDir, statementTimeoutMs: 0 });
    return {
      ...db,
      timescale: db.capabilities.timescale,
      async close() {
        await db.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `flowatlas_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`); // name is generated above, never user input
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), dataDir: '', statementTimeoutMs: 0 });
  return {
    ...db,
    timescale: db.capabilities.timescale,
    async close() {
      await db.close();
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
