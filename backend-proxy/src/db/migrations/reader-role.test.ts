import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase, type TestDatabase } from '../../test-support/database.js';
import { withTransaction } from '../pool.js';
import { migrate } from '../migrate.js';
import { migrations } from './index.js';
import { READER_RELATIONS, READER_ROLE, setUpReaderRole } from './005-reader-role.js';
import { CONNECTION_AGGREGATE, CONNECTION_DIMENSION_COLUMNS } from './004-alert-views.js';

// Privileges are read from the catalog (has_*_privilege) instead of provoking permission errors:
// the embedded PGlite server drops the connection on some of those.
async function privileges(relation: string): Promise<{ select: boolean; insert: boolean }> {
  const r = await db.pool.query<{ select: boolean; insert: boolean }>(
    `SELECT has_table_privilege($1, format('%I.%I', current_schema(), $2::text), 'SELECT') AS select,
            has_table_privilege($1, format('%I.%I', current_schema(), $2::text), 'INSERT') AS insert`,
    [READER_ROLE, relation],
  );
  return r.rows[0]!;
}

// One database for the file: the embedded server serves one connection at a time, and opening
// databases back to back on it races with the previous connection's close.
let db: TestDatabase;
before(async () => {
  db = await openTestDatabase();
});
after(async () => {
  await db?.close();
});

test('the read-only role may SELECT the aggregate views and nothing else, on both databases', async () => {
  const role = await db.pool.query('SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = $1', [READER_ROLE]);
  assert.deepEqual(role.rows, [{ rolsuper: false, rolcreaterole: false, rolcreatedb: false }]);
  const usage = await db.pool.query('SELECT has_schema_privilege($1, current_schema(), $2) AS ok', [READER_ROLE, 'USAGE']);
  assert.equal(usage.rows[0].ok, true);
  for (const relation of READER_RELATIONS) assert.deepEqual([relation, await privileges(relation)], [relation, { select: true, insert: false }]);
  for (const relation of ['flows', 'ingest_batches', 'dead_letters', 'ingest_records', 'schema_migrations']) {
    assert.deepEqual([relation, await privileges(relation)], [relation, { select: false, insert: false }]);
  }
  // The role can actually read them (views run with their owner's rights over the raw table).
  await db.pool.query(
    `INSERT INTO flows (time, time_end, src_ip, dst_ip, src_port, dst_port, protocol, action, packets, bytes, flows, source_type, src_site, dst_site)
     VALUES (now(), now(), '10.0.0.1', '10.0.0.2', 40000, 22, 6, 'allow', 3, 300, 1, 'test', 'a', 'b')`,
  );
  const seen = await withTransaction(db.pool, async (client) => {
    await client.query(`SET LOCAL ROLE ${READER_ROLE}`);
    const counts: Record<string, number> = {};
    for (const relation of READER_RELATIONS) counts[relation] = (await client.query(`SELECT count(*)::int AS n FROM ${relation}`)).rows[0].n;
    return counts;
  });
  assert.deepEqual(seen, Object.fromEntries(READER_RELATIONS.map((r) => [r, 1])));
  await db.pool.query('DELETE FROM flows');
});

test('set-up is idempotent and works when the role already exists (roles are cluster-wide)', async () => {
  const logged: string[] = [];
  assert.equal(await withTransaction(db.pool, (client) => setUpReaderRole(client, (l) => logged.push(l))), true);
  // A second schema migrated from scratch on the same server: the role exists, the grants still land.
  const schema = `reader_${process.pid}_${Date.now().toString(36)}`;
  await db.pool.query(`CREATE SCHEMA ${schema}`); // generated name
  const saved = (await db.pool.query<{ search_path: string }>('SHOW search_path')).rows[0]!.search_path;
  try {
    await db.pool.query(`SET search_path TO ${schema}, public`);
    assert.deepEqual(await migrate(db.pool, db.timescale), migrations.map((m) => m.version).sort((a, b) => a - b));
    for (const relation of READER_RELATIONS) assert.deepEqual([relation, await privileges(relation)], [relation, { select: true, insert: false }]);
  } finally {
    await db.pool.query(`SET search_path TO ${saved}`);
    await db.pool.query(`DROP SCHEMA ${schema} CASCADE`);
  }
  assert.deepEqual(logged, []);
});

test('a server that refuses the role is logged and skipped, the transaction stays usable', { skip: process.env.TEST_DATABASE_URL ? false : 'the embedded PGlite server drops the connection on permission errors; runs on TEST_DATABASE_URL' }, async () => {
  const logged: string[] = [];
  const ok = await withTransaction(db.pool, async (client) => {
    // A schema whose views the reader may not read yet, migrated as the reader itself: it owns
    // none of them, so its grants do not take effect (PostgreSQL only warns about that).
    const schema = `refused_${process.pid}_${Date.now().toString(36)}`;
    await client.query(`CREATE SCHEMA ${schema}`); // generated name; dropped by the rollback
    await client.query(`SET LOCAL search_path TO ${schema}, public`);
    for (const relation of READER_RELATIONS) await client.query(`CREATE VIEW ${relation} AS SELECT 1 AS one`);
    // USAGE only, so that the schema is the reader's current schema; the views stay ungranted.
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${READER_ROLE}`);
    await client.query(`SET LOCAL ROLE ${READER_ROLE}`);
    const result = await setUpReaderRole(client, (l) => logged.push(l));
    await client.query('RESET ROLE');
    assert.equal((await client.query('SELECT 1 AS one')).rows[0].one, 1);
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    return result;
  });
  assert.equal(ok, false);
  assert.equal(logged.length, 1);
  assert.match(logged[0]!, /flowatlas_reader not set up, skipped \(.*\)\. The proxy works without it/);
});

test('flow_connections_1m keeps one row per connection-opening tuple without source ports', async () => {
  const columns = await db.pool.query<{ column_name: string }>(
    'SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position',
    [CONNECTION_AGGREGATE],
  );
  assert.deepEqual(columns.rows.map((r) => r.column_name), ['time', ...CONNECTION_DIMENSION_COLUMNS, 'connections', 'bytes', 'packets']);
  // Three attempts from three source ports in one minute, plus their reverse rows (flows = 0).
  await db.pool.query(
    `INSERT INTO flows (time, time_end, src_ip, dst_ip, src_port, dst_port, protocol, action, packets, bytes, flows, source_type)
     SELECT '2026-01-05T10:00:10Z'::timestamptz + s * interval '1 second', '2026-01-05T10:00:50Z'::timestamptz, '203.0.113.9'::inet, '10.10.1.4'::inet, 40000 + s, 22, 6, 'allow', 4, 400, 1, 'test' FROM generate_series(1, 3) s
     UNION ALL
     SELECT '2026-01-05T10:00:10Z'::timestamptz + s * interval '1 second', '2026-01-05T10:00:50Z'::timestamptz, '10.10.1.4'::inet, '203.0.113.9'::inet, 22, 40000 + s, 6, 'allow', 4, 400, 0, 'test' FROM generate_series(1, 3) s`,
  );
  const rows = await db.pool.query(`SELECT host(src_ip) AS src, dst_port, connections, bytes FROM ${CONNECTION_AGGREGATE}`);
  assert.deepEqual(rows.rows, [{ src: '203.0.113.9', dst_port: 22, connections: 3, bytes: 1200 }]);
});
