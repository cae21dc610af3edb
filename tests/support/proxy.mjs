/**
 * Starts the FlowAtlas proxy as `npm start` does (embedded TimescaleDB, seeded demo) on a free
 * port and a fresh data directory, and stops it again.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * With TEST_DATABASE_URL (CI's plain-PostgreSQL pass) the proxy gets a fresh database on that
 * server through DATABASE_URL, exactly as a deployment would; otherwise the embedded default.
 */
async function freshServerDatabase() {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return null;
  const { default: pg } = await import('pg');
  const name = `flowatlas_browser_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * Resolves with { url, stop } once the proxy printed that the demo is loaded and it is ready.
 * `token`: FLOWATLAS_TOKEN of the proxy (none by default, so the tests' plain fetches are let in).
 */
export async function startProxy({ demoFlows = 15000, timeoutMs = 300_000, token = '' } = {}) {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'flowatlas-browser-'));
  const serverDb = await freshServerDatabase();
  const port = await freePort();
  const cwd = path.join(repoRoot, 'backend-proxy');
  // Own process group, so stop() also ends the embedded database server the proxy forks.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...(serverDb ? { DATABASE_URL: serverDb.url } : {}), FLOWATLAS_DEMO_FLOWS: String(demoFlows), FLOWATLAS_DATA_DIR: dataDir, FLOWATLAS_PORT: String(port), FLOWATLAS_HOST: '127.0.0.1', FLOWATLAS_TOKEN: token },
  });
  let log = '';
  const collect = (chunk) => {
    log = (log + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
    await serverDb?.drop();
  };

  try {
    await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`proxy not ready after ${timeoutMs / 1000} s:\n${log}`)), timeoutMs);
      const check = () => {
        if (log.includes('FlowAtlas is ready')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`proxy exited (${code}) before it was ready:\n${log}`));
      });
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `http://127.0.0.1:${port}`, stop, log: () => log };
}

/** POST /api/v1/query on the proxy; returns the first frame as an array of row objects. */
export async function queryRows(proxyUrl, body) {
  const to = Date.now();
  const res = await fetch(`${proxyUrl}/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: to - 21 * 24 * 3600_000, to, filters: { op: 'and', rules: [] }, topN: 10, ...body }),
  });
  if (!res.ok) {
    throw new Error(`query failed ${res.status}: ${await res.text()}`);
  }
  const frame = (await res.json()).frames[0];
  const n = frame?.fields[0]?.values.length ?? 0;
  return Array.from({ length: n }, (_, i) => Object.fromEntries(frame.fields.map((f) => [f.name, f.values[i]])));
}
