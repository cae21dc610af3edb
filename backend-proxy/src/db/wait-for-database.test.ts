import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { isTransientConnectError, waitForDatabase } from './wait-for-database.js';
import { loadConfig } from '../config.js';

// The real database of this test run (a server, or the shared embedded one), reached through a
// TCP forwarder that starts late: what a proxy sees when it starts before its database.
const target = process.env.TEST_DATABASE_URL ?? process.env.TEST_EMBEDDED_URL;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function forwarder(port: number, to: URL): Promise<{ server: Server; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(to.port || 5432), to.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        server,
        close: async () => {
          for (const s of sockets) s.destroy();
          await new Promise((r) => server.close(r));
        },
      }),
    ),
  );
}

function poolAt(port: number, database = new URL(target!).pathname): pg.Pool {
  const url = new URL(target!);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  url.pathname = database;
  return new pg.Pool({ connectionString: url.toString(), max: 1 });
}

test('start-up waits for a database server that comes up late, then goes on', { skip: !target && 'needs TEST_DATABASE_URL or the run’s embedded server' }, async () => {
  const port = await freePort();
  const pool = poolAt(port);
  const retries: string[] = [];
  let forward: Awaited<ReturnType<typeof forwarder>> | null = null;
  const late = setTimeout(async () => {
    forward = await forwarder(port, new URL(target!));
  }, 1200);
  try {
    await waitForDatabase(pool, { timeoutMs: 20_000, intervalMs: 200, onRetry: (r) => retries.push(r) });
    assert.ok(retries.length >= 3, `retried while nothing listened: ${retries.join(', ')}`);
    assert.equal(retries[0], 'ECONNREFUSED');
    assert.equal((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0]!.one, 1);
  } finally {
    clearTimeout(late);
    await pool.end();
    await (forward as Awaited<ReturnType<typeof forwarder>> | null)?.close();
  }
});

test('a server that never answers fails start-up with the reason and how long it waited', async () => {
  const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${await freePort()}/postgres`, max: 1 });
  try {
    await assert.rejects(waitForDatabase(pool, { timeoutMs: 700, intervalMs: 200 }), /did not answer within 1 s \(ECONNREFUSED\)/);
  } finally {
    await pool.end();
  }
});

test('a database that does not exist is not waited for', { skip: !process.env.TEST_DATABASE_URL && 'the embedded server has one database' }, async () => {
  const port = await freePort();
  const forward = await forwarder(port, new URL(process.env.TEST_DATABASE_URL!));
  const pool = poolAt(port, '/flowatlas_no_such_database');
  const retries: string[] = [];
  try {
    await assert.rejects(waitForDatabase(pool, { timeoutMs: 20_000, intervalMs: 200, onRetry: (r) => retries.push(r) }), (err: { code?: string }) => err.code === '3D000');
    assert.deepEqual(retries, [], 'failed at once, without retrying');
  } finally {
    await pool.end();
    await forward.close();
  }
});

test('which connection errors are worth waiting for', () => {
  for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', '57P03']) assert.equal(isTransientConnectError({ code }), true, code);
  assert.equal(isTransientConnectError(new Error('Connection terminated unexpectedly')), true);
  for (const code of ['28P01', '3D000', '42501']) assert.equal(isTransientConnectError({ code }), false, code);
});

test('FLOWATLAS_DATABASE_WAIT_MS sets how long start-up waits (default 2 minutes)', () => {
  assert.equal(loadConfig({}).databaseWaitMs, 120_000);
  assert.equal(loadConfig({ FLOWATLAS_DATABASE_WAIT_MS: '0' }).databaseWaitMs, 0);
});
