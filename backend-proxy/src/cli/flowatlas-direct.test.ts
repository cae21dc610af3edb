// `flowatlas import --database-url`: the files go straight into the database through the proxy's
// ingest service run in the CLI's process — migrations, enrichment from FLOWATLAS_NETWORKS,
// idempotency (same object, grown Azure blob) and dead letters as over HTTP. No proxy runs here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FIXTURES_DIR } from '../test-support/fixtures.js';

/**
 * A throw-away place to import into, reached only by short-lived connections: the embedded test
 * server serves one connection at a time, so nothing here may hold one while the CLI runs.
 */
interface Scratch {
  url: string;
  /** Embedded test server: a schema of its own (--database-schema). */
  schema: string | null;
  query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

async function once<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function openScratch(): Promise<Scratch | null> {
  const name = `flowatlas_cli_${process.pid}_${Date.now().toString(36)}`;
  const server = process.env.TEST_DATABASE_URL;
  const embedded = process.env.TEST_EMBEDDED_URL;
  if (server) {
    await once(server, (c) => c.query(`CREATE DATABASE ${name}`)); // generated name, never user input
    const url = new URL(server);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      schema: null,
      query: async (sql, params) => once(url.toString(), async (c) => (await c.query(sql, params)).rows),
      drop: () => once(server, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
    };
  }
  if (embedded) {
    await once(embedded, (c) => c.query(`CREATE SCHEMA ${name}`));
    return {
      url: embedded,
      schema: name,
      query: async (sql, params) =>
        once(embedded, async (c) => {
          await c.query(`SET search_path TO ${name}, public`);
          return (await c.query(sql, params)).rows;
        }),
      drop: () => once(embedded, (c) => c.query(`DROP SCHEMA ${name} CASCADE`)).then(() => undefined),
    };
  }
  return null;
}

let db: Scratch | null;
let dir: string;
before(async () => {
  db = await openScratch();
  dir = mkdtempSync(join(tmpdir(), 'flowatlas-direct-'));
  // An estate with a tenant: enrichment in the CLI process reads FLOWATLAS_NETWORKS like the proxy.
  writeFileSync(
    join(dir, 'networks.yaml'),
    'sites:\n  - { name: fabrikam-vnet, kind: cloud, provider: azure, region: southeastasia, country: SG, lat: 1.3, lon: 103.8, tenant: fabrikam, role: production, cidrs: [10.5.0.0/16] }\n',
  );
});
after(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = fileURLToPath(new URL('./flowatlas.ts', import.meta.url));
  const target = ['--database-url', db!.url, ...(db!.schema ? ['--database-schema', db!.schema] : [])];
  const env: NodeJS.ProcessEnv = { ...process.env, FLOWATLAS_NETWORKS: join(dir, 'networks.yaml') };
  delete env.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, ...target], { stdio: ['ignore', 'pipe', 'pipe'], env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

async function one(sql: string, params: unknown[] = []): Promise<number> {
  const rows = await db!.query<Record<string, unknown>>(sql, params);
  return Number(Object.values(rows[0]!)[0]);
}

test('import --database-url writes straight to the database: enriched rows, dead letters, exit 1 on rejects, nothing twice', async (ctx) => {
  if (!db) return ctx.skip('needs TEST_DATABASE_URL or the test runner\'s embedded server');
  const run = await cli('import', `${FIXTURES_DIR}azure-nsg`, `${FIXTURES_DIR}aws-vpc`);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /importing 11 files into the database \(--database-url/);
  assert.match(run.stderr, /otel-invalid-too-few-fields\.log: 1 rejected/);
  const summary = /imported 11 files in [\d.]+ s: (\d+) records stored, (\d+) rejected/.exec(run.stdout);
  assert.ok(summary, run.stdout);
  // The migrations ran in the CLI; every completed file is a batch, the bad line a dead letter.
  assert.equal(await one('SELECT count(*) FROM ingest_batches WHERE content_sha256 IS NOT NULL'), 11);
  assert.equal(await one('SELECT sum(accepted) FROM ingest_batches'), Number(summary![1]));
  assert.equal(await one("SELECT count(*) FROM dead_letters WHERE source = 'otel-invalid-too-few-fields.log' AND field = 'log-status'"), 1);
  // Enrichment as in the proxy: the network config's tenant and role, the offline country of a public address.
  const fromHost = await one("SELECT count(*) FROM flows WHERE src_ip = '10.5.16.4'");
  assert.ok(fromHost > 0);
  assert.equal(await one("SELECT count(*) FROM flows WHERE src_ip = '10.5.16.4' AND src_tenant = 'fabrikam' AND src_role = 'production' AND src_site = 'fabrikam-vnet'"), fromHost);
  assert.equal(await one("SELECT count(*) FROM flows WHERE src_ip = '1.128.0.0' AND src_country = 'AU' AND application = 'https'"), 1);
  const rows = await one('SELECT count(*) FROM flows');

  const again = await cli('import', `${FIXTURES_DIR}azure-nsg`);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 records stored, 0 rejected, 0 skipped, 3 unchanged, 0 failed/);
  assert.equal(await one('SELECT count(*) FROM flows'), rows);
});

test('a grown PT1H.json imported again adds only its new records', async (ctx) => {
  if (!db) return ctx.skip('needs TEST_DATABASE_URL or the test runner\'s embedded server');
  const s = Math.floor(Date.now() / 1000) - 3600;
  const record = (n: number) => ({
    time: new Date((s + n * 60) * 1000).toISOString(),
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/GROW-NSG',
    properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${s + n * 60},10.95.0.${n},10.5.1.4,40000,443,T,I,A,E,3,300,2,200`] }] }] },
  });
  const blobDir = join(dir, 'blobs');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(blobDir);
  const blob = join(blobDir, 'PT1H.json');
  writeFileSync(blob, JSON.stringify({ records: [record(1)] }));
  const first = await cli('import', blobDir);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /1 records stored, 0 rejected, 0 skipped/);
  writeFileSync(blob, JSON.stringify({ records: [record(1), record(2)] }));
  const grown = await cli('import', blobDir);
  assert.equal(grown.code, 0, grown.stderr);
  assert.match(grown.stdout, /1 records stored, 0 rejected, 1 skipped/);
  assert.equal(await one("SELECT count(*) FROM flows WHERE src_ip IN ('10.95.0.1', '10.95.0.2')"), 2);
  assert.equal(await one("SELECT count(*) FROM flows WHERE dst_ip IN ('10.95.0.1', '10.95.0.2')"), 2);
});

test('a database that is not there is a failure (exit 2) with the reason', async () => {
  const entry = fileURLToPath(new URL('./flowatlas.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'import', `${FIXTURES_DIR}azure-nsg`, '--database-url', 'postgres://nobody@127.0.0.1:9/none'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /ECONNREFUSED|connect/);
});
