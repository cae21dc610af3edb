import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { loadNetworkConfig } from '../enrich/networks.js';
import { DEMO_NETWORKS } from '../test-support/app.js';
import { readFixture } from '../test-support/fixtures.js';
import { openDatabase } from './database.js';

// The embedded database is the only one whose crash behaviour is ours to prove (a PostgreSQL
// server's durability is PostgreSQL's); it gets a server of its own here, killed for real.
const skip = process.env.TEST_DATABASE_URL ? 'crashes the embedded PGlite server; runs without TEST_DATABASE_URL' : false;

test('an acknowledged ingest survives a crash of the embedded database; an uncommitted one leaves nothing', { skip }, async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-durability-'));
  const db = await openDatabase({ url: null, dataDir, statementTimeoutMs: 0 });
  try {
    const networks = loadNetworkConfig(DEMO_NETWORKS);
    const { app } = await buildApp({ config: loadConfig({ FLOWATLAS_DATA_DIR: dataDir }), db, networks: () => networks, geo: sharedGeoLocator() });
    const acked = await app.inject({
      method: 'POST',
      url: '/api/v1/ingest/azure-nsg?source=crash-test.json',
      payload: readFixture('azure-nsg/elastic-nsg-v2-records-mixed-states.json'),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(acked.statusCode, 200, acked.body);
    const rows = acked.json().rows as number;
    assert.ok(rows > 0);

    // A write in flight when the process dies: begun, never committed.
    const client = await db.pool.connect();
    client.on('error', () => undefined);
    await client.query('BEGIN');
    await client.query('INSERT INTO flows SELECT * FROM flows');
    process.kill(db.embeddedPid!, 'SIGKILL');
    await assert.rejects(client.query('SELECT 1'));
    client.release(true);
    await app.close().catch(() => undefined);
    await db.pool.end().catch(() => undefined);

    const reopened = await openDatabase({ url: null, dataDir, statementTimeoutMs: 0 });
    try {
      const { rows: [stored] } = await reopened.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
      assert.equal(stored!.n, rows, 'exactly the acknowledged rows');
      const { rows: [batch] } = await reopened.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM ingest_batches WHERE source = 'crash-test.json'");
      assert.equal(batch!.n, 1, 'the batch record committed with its rows');
    } finally {
      await reopened.close();
    }
  } finally {
    // a failed assertion must not leave the first server running (the test process would hang)
    try {
      process.kill(db.embeddedPid!, 'SIGKILL');
    } catch {
      // already gone: the normal case
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
});
