/**
 * A fresh, migrated database for one test file, removed again on close():
 * - TEST_DATABASE_URL set: a throw-away database on that server (e.g. the local PostgreSQL 15,
 *   the plain-PostgreSQL path);
 * - TEST_EMBEDDED_URL set (scripts/run-tests.mjs starts one embedded PGlite + TimescaleDB for the
 *   whole run, because starting one takes 10-20 s): a throw-away schema on it;
 * - neither: an embedded server of its own in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.js';

export interface TestDatabase extends Database {
  timescale: boolean;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
}

export async function openTestDatabase(options: { statementTimeoutMs?: number } = {}): Promise<TestDatabase> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 0;
  const serverUrl = process.env.TEST_DATABASE_URL;
  const sharedEmbedded = process.env.TEST_EMBEDDED_URL;
  if (serverUrl) return openOnServer(serverUrl, statementTimeoutMs);
  if (sharedEmbedded) return openInSchema(sharedEmbedded, statementTimeoutMs);
  const dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-test-'));
  const db = await openDatabase({ url: null, dataDir, statementTimeoutMs });
  return {
    ...db,
    timescale: db.capabilities.timescale,
    async close() {
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function openInSchema(url: string, statementTimeoutMs: number): Promise<TestDatabase> {
  const schema = uniqueName('t');
  // On the shared embedded server this waits while the previous file's connection closes.
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`); // generated name, never user input
  await admin.end();
  const db = await openDatabase({ url, dataDir: '', statementTimeoutMs, singleConnection: true, schema });
  return {
    ...db,
    timescale: db.capabilities.timescale,
    async close() {
      await db.pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    },
  };
}

async function openOnServer(serverUrl: string, statementTimeoutMs: number): Promise<TestDatabase> {
  const name = uniqueName('flowatlas_test');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`); // generated name, never user input
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ url: url.toString(), dataDir: '', statementTimeoutMs });
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
