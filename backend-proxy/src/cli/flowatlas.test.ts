import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { FIXTURES_DIR } from '../test-support/fixtures.js';

let t: TestApp;
let url: string;
before(async () => {
  t = await openTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
after(async () => {
  await t.close();
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const entry = fileURLToPath(new URL('./flowatlas.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args, '--url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

test('import streams every file of the folders, reports rejects with their place, exits 1 on rejects', async () => {
  const run = await cli('import', `${FIXTURES_DIR}azure-nsg`, `${FIXTURES_DIR}aws-vpc`);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stdout, /imported 11 files in [\d.]+ s: \d+ records stored, \d+ rejected/);
  assert.match(run.stderr, /otel-invalid-too-few-fields\.log: 1 rejected/);
  assert.match(run.stderr, /record 2 field log-status: too few fields/);
  const batches = await t.db.pool.query('SELECT count(*)::int AS n FROM ingest_batches');
  assert.equal(batches.rows[0].n, 11);

  // Importing the same files again adds nothing.
  const again = await cli('import', `${FIXTURES_DIR}azure-nsg`);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /0 records stored, 0 rejected, 0 skipped, 3 unchanged, 0 failed/);
});

test('dead letters are listed, fixed by hand and replayed from the command line', async () => {
  const listed = await cli('dead-letters', '--source', 'otel-invalid-too-few-fields.log');
  assert.equal(listed.code, 0, listed.stderr);
  const id = /^#(\d+) aws-vpc otel-invalid-too-few-fields\.log record 2 field log-status: too few fields/m.exec(listed.stdout)?.[1];
  assert.ok(id, listed.stdout);
  const fixed = await cli('fix', id!, '2 12345678910 eni-0eb1e4178af74336c 10.0.0.1 10.0.0.2 40000 443 6 3 180 1742570089 1742570142 ACCEPT OK');
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.match(fixed.stdout, /corrected; replay it with: flowatlas replay --format aws-vpc/);
  const replayed = await cli('replay', '--format', 'aws-vpc', '--source', 'otel-invalid-too-few-fields.log');
  assert.equal(replayed.code, 0, replayed.stderr);
  assert.match(replayed.stdout, /replayed 1 dead letters: 1 stored, 0 rejected again/);
  const row = await t.db.pool.query("SELECT bytes::int FROM flows WHERE src_ip = '10.0.0.1' AND dst_ip = '10.0.0.2' AND dst_port = 443");
  assert.deepEqual(row.rows, [{ bytes: 180 }]);
  const unknownId = await cli('fix', '999999', 'x');
  assert.equal(unknownId.code, 2);
});

test('a proxy that is not there is a failure (exit 2), not a crash', async () => {
  const entry = fileURLToPath(new URL('./flowatlas.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'import', `${FIXTURES_DIR}azure-nsg`, '--url', 'http://127.0.0.1:9'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /✗ .*fetch failed|ECONNREFUSED/);
});

test('--gcp-reporters all keeps both reports of a VM-to-VM flow', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'flowatlas-gcp-'));
  try {
    const time = new Date(Date.now() - 3600_000).toISOString();
    const vm = (name: string) => ({ project_id: 'proj', vm_name: name, region: 'europe-west1', zone: 'europe-west1-b' });
    const report = (reporter: string) => ({ jsonPayload: { reporter, connection: { src_ip: '10.71.0.2', dest_ip: '10.71.0.3', src_port: 45000, dest_port: 5432, protocol: 6 }, bytes_sent: '1000', packets_sent: '10', start_time: time, end_time: time, src_instance: vm('a'), dest_instance: vm('b') } });
    writeFileSync(join(dir, 'both-reports.json'), JSON.stringify([report('SRC'), report('DEST')]));
    const run = await cli('import', dir, '--gcp-reporters', 'all');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /2 records stored, 0 rejected, 0 skipped/);
    const rows = await t.db.pool.query("SELECT count(*)::int AS n FROM flows WHERE src_ip = '10.71.0.2'");
    assert.equal(rows.rows[0].n, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('watch imports a file dropped into the folder, and only the new records when it grows', async () => {
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'flowatlas-watch-'));
  const s = Math.floor(Date.now() / 1000) - 3600;
  const record = (n: number) => ({
    time: new Date((s + n * 60) * 1000).toISOString(),
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WATCH-NSG',
    properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${s + n * 60},10.96.0.${n},10.10.1.4,40000,443,T,I,A,E,3,300,2,200`] }] }] },
  });
  const entry = fileURLToPath(new URL('./flowatlas.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', entry, 'watch', dir, '--interval', '1', '--url', url], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const rowsFrom = async (ip: string) => (await t.db.pool.query('SELECT count(*)::int AS n FROM flows WHERE src_ip = $1', [ip])).rows[0].n as number;
  // Polls (never a timing assertion): the watcher looks every second.
  const until = async (what: string, check: () => Promise<boolean>) => {
    for (let i = 0; i < 600; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail(`${what} did not happen; watch said: ${stdout}`);
  };
  try {
    writeFileSync(join(dir, 'PT1H.json'), JSON.stringify({ records: [record(1)] }));
    await until('the dropped file imported', async () => (await rowsFrom('10.96.0.1')) > 0);
    // The rows are committed before the watcher hears back and prints.
    await until('the import reported', async () => /PT1H\.json: 1 stored, 0 rejected, 0 skipped/.test(stdout));
    writeFileSync(join(dir, 'PT1H.json'), JSON.stringify({ records: [record(1), record(2)] }));
    await until('the grown file imported', async () => (await rowsFrom('10.96.0.2')) > 0);
    await until('the grown import reported', async () => /PT1H\.json: 1 stored, 0 rejected, 1 skipped/.test(stdout));
    // The first record is not stored again.
    assert.equal(await rowsFrom('10.96.0.1'), 1);
    assert.equal(await rowsFrom('10.96.0.2'), 1);
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import: a dangling link and a link back up the folder fail on their own (exit 2); the other files are imported once', async () => {
  const { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'flowatlas-links-'));
  try {
    mkdirSync(join(dir, 'sub'));
    copyFileSync(`${FIXTURES_DIR}aws-vpc/otel-v2-header-no-trailing-newline.log`, join(dir, 'sub', 'vpc.log'));
    symlinkSync('..', join(dir, 'sub', 'loop'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling.log'));
    const run = await cli('import', dir);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /✗ .*dangling\.log: ENOENT/);
    assert.match(run.stdout, /imported 1 files in [\d.]+ s: 2 records stored, 0 rejected/);
    assert.equal((await t.db.pool.query("SELECT count(*)::int AS n FROM ingest_batches WHERE source = 'sub/vpc.log'")).rows[0].n, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
