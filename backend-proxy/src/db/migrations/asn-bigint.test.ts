import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, type TestDatabase } from '../../test-support/database.js';
import { migrate } from '../migrate.js';
import { migrations } from './index.js';

let db: TestDatabase;
before(async () => {
  db = await openTestDatabase();
});
after(async () => {
  await db?.close();
});

const columnTypes = async (): Promise<string[]> =>
  (
    await db.pool.query<{ t: string }>(
      `SELECT data_type AS t FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'flows' AND column_name IN ('src_asn', 'dst_asn') ORDER BY column_name`,
    )
  ).rows.map((r) => r.t);

test('migration 14 turns a database of 32-bit signed AS numbers into bigint ones, keeping its (compressed) rows', async () => {
  // The database as migration 13 left it: integer AS columns and, on TimescaleDB, a compressed chunk.
  const reverse = db.timescale
    ? [
        "SELECT remove_compression_policy('flows', if_exists => true)",
        'ALTER TABLE flows SET (timescaledb.compress = false)',
        'ALTER TABLE flows ALTER COLUMN src_asn TYPE integer, ALTER COLUMN dst_asn TYPE integer',
        "ALTER TABLE flows SET (timescaledb.compress, timescaledb.compress_segmentby = 'source_type', timescaledb.compress_orderby = 'time DESC')",
        "SELECT add_compression_policy('flows', INTERVAL '7 days')",
      ]
    : ['ALTER TABLE flows ALTER COLUMN src_asn TYPE integer, ALTER COLUMN dst_asn TYPE integer'];
  for (const sql of reverse) await db.pool.query(sql);
  await db.pool.query('DELETE FROM schema_migrations WHERE version = 14');
  assert.deepEqual(await columnTypes(), ['integer', 'integer']);
  await db.pool.query(
    `INSERT INTO flows (time, time_end, src_ip, dst_ip, protocol, direction, action, packets, bytes, flows, source_type, src_asn)
     VALUES (now() - interval '20 days', now() - interval '20 days', '198.51.100.1', '10.10.1.4', 6, 'inbound', 'allow', 3, 300, 1, 'azure-nsg', 64500)`,
  );
  if (db.timescale) {
    const compressed = await db.pool.query(`SELECT compress_chunk(c) FROM show_chunks('flows') c`);
    assert.equal(compressed.rowCount, 1);
  }

  assert.deepEqual(await migrate(db.pool, db.timescale, migrations), [14]);
  assert.deepEqual(await columnTypes(), ['bigint', 'bigint']);
  assert.equal(Number((await db.pool.query('SELECT sum(src_asn) AS s FROM flows')).rows[0].s), 64500, 'the old row is kept');
  await db.pool.query(
    `INSERT INTO flows (time, time_end, src_ip, dst_ip, protocol, direction, action, packets, bytes, flows, source_type, dst_asn)
     VALUES (now(), now(), '10.10.1.4', '103.138.210.7', 6, 'outbound', 'allow', 3, 300, 1, 'azure-nsg', 4294967294)`,
  );
  assert.equal(Number((await db.pool.query('SELECT max(dst_asn) AS m FROM flows')).rows[0].m), 4294967294);
  if (db.timescale) {
    // Compression is on again with its settings and policy: the old chunk is compressed on the policy's next run.
    const settings = await db.pool.query(
      `SELECT segmentby, orderby FROM timescaledb_information.hypertable_compression_settings WHERE hypertable = 'flows'::regclass`,
    );
    assert.deepEqual(settings.rows.map((r) => [r.segmentby, r.orderby]), [['source_type', '"time" DESC']]);
    const policy = await db.pool.query(`SELECT count(*)::int AS n FROM timescaledb_information.jobs WHERE proc_name = 'policy_compression' AND hypertable_name = 'flows' AND hypertable_schema = current_schema()`);
    assert.equal(policy.rows[0].n, 1);
    const compressed = await db.pool.query(`SELECT compress_chunk(c, if_not_compressed => true) FROM show_chunks('flows', older_than => INTERVAL '7 days') c`);
    assert.equal(compressed.rowCount, 1, 'the old chunk compresses again');
    assert.equal(Number((await db.pool.query('SELECT sum(src_asn) AS s FROM flows')).rows[0].s), 64500);
  }
});
