import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase } from '../test-support/database.js';

test('opens, migrates and reports what the database can do', async () => {
  const db = await openTestDatabase();
  try {
    const tables = await db.pool.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
    );
    const names = tables.rows.map((r) => r.table_name);
    for (const t of ['flows', 'ingest_batches', 'dead_letters', 'schema_migrations']) assert.ok(names.includes(t), t);
    if (db.timescale) {
      const ht = await db.pool.query("SELECT hypertable_name FROM timescaledb_information.hypertables WHERE hypertable_schema = current_schema()");
      assert.deepEqual(ht.rows.map((r) => r.hypertable_name), ['flows']);
      assert.match(db.capabilities.description, /^TimescaleDB \d/);
    } else {
      assert.equal(db.capabilities.description, 'plain PostgreSQL');
      const idx = await db.pool.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'flows' AND indexdef LIKE '%brin%'");
      assert.equal(idx.rowCount, 1);
    }
    // Running the migrations again is a no-op.
    const { migrate } = await import('./migrate.js');
    assert.deepEqual(await migrate(db.pool, db.timescale), []);
  } finally {
    await db.close();
  }
});

test('a query over the time limit stops with a timeout error on both databases, and the pool stays usable', async () => {
  const { isQueryTimeout } = await import('./pool.js');
  const db = await openTestDatabase({ statementTimeoutMs: 300 });
  try {
    await assert.rejects(db.pool.query('SELECT pg_sleep(2)'), (err: unknown) => isQueryTimeout(err));
    assert.deepEqual((await db.pool.query('SELECT 1 AS ok')).rows, [{ ok: 1 }]);
  } finally {
    await db.close();
  }
});
