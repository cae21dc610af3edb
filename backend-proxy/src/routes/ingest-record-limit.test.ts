// A record bigger than FLOWATLAS_MAX_RECORD_BYTES (after gunzip) is rejected unread: the body limit
// counts compressed bytes, and a few kilobytes of gzip can unpack to one line of gigabytes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { loadConfig } from '../config.js';

const LIMIT = 1 << 20;
let t: TestApp;
before(async () => {
  t = await openTestApp({ FLOWATLAS_MAX_RECORD_BYTES: String(LIMIT) });
});
after(async () => {
  await t.close();
});

async function send(route: string, source: string, body: Buffer) {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/${route}?source=${source}`, payload: body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.statusCode, 200, r.body.slice(0, 500));
  return r.json();
}

test('NDJSON: a gzip-packed line of 24 MB is one rejected record; the lines around it are stored', async () => {
  const time = new Date(Date.now() - 3600_000).toISOString();
  const line = (port: number, pad = '') => JSON.stringify({ time, src_ip: '10.77.0.1', dst_ip: '10.77.0.2', src_port: port, dst_port: 443, protocol: 6, bytes: 100, ...(pad ? { rule: pad } : {}) });
  const huge = line(2, 'a'.repeat(24 << 20));
  const body = gzipSync([line(1), huge, line(3)].join('\n') + '\n');
  assert.ok(body.length < 100_000, `${body.length} bytes of gzip`);
  const r = await send('ndjson', 'bomb.ndjson.gz', body);
  assert.deepEqual([r.accepted, r.rejected], [2, 1]);
  assert.equal(r.errors[0].record, 2);
  assert.match(r.errors[0].reason, new RegExp(`a line of ${huge.length} characters is longer than the limit of ${LIMIT}`));
  assert.equal(await t.count('SELECT count(*) FROM flows WHERE ingest_id = $1 AND src_port IN (1, 3)', [r.ingestId]), 2);
  const dead = await t.db.pool.query<{ record: number; raw: string }>('SELECT record, raw FROM dead_letters WHERE ingest_id = $1', [r.ingestId]);
  assert.equal(dead.rows[0]!.record, 2);
  assert.ok(huge.startsWith(dead.rows[0]!.raw) && dead.rows[0]!.raw.length <= 8192, `${dead.rows[0]!.raw.length} characters kept`);
});

test('Azure NSG: a record of 24 MB inside a PT1H.json is one rejected record; the records around it are stored', async () => {
  const ts = Math.floor(Date.now() / 1000) - 3600;
  const record = (i: number, rule = 'AllowWeb') => ({
    time: new Date(ts * 1000).toISOString(),
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/WEB',
    category: 'NetworkSecurityGroupFlowEvent',
    properties: { Version: 2, flows: [{ rule, flows: [{ mac: 'M', flowTuples: [`${ts},10.78.0.${i},10.10.1.4,${40000 + i},443,T,I,A,B,,,,`] }] }] },
  });
  const blob = JSON.stringify({ records: [record(1), record(2, 'x'.repeat(24 << 20)), record(3)] });
  const r = await send('azure-nsg', 'bomb-PT1H.json.gz', gzipSync(blob));
  assert.deepEqual([r.accepted, r.rejected], [2, 1]);
  assert.equal(r.errors[0].record, 2);
  assert.match(r.errors[0].reason, new RegExp(`a record of \\d+ bytes is longer than the limit of ${LIMIT}`));
  assert.equal(await t.count("SELECT count(*) FROM flows WHERE ingest_id = $1 AND src_ip IN ('10.78.0.1', '10.78.0.3')", [r.ingestId]), 2);
});

test('FLOWATLAS_MAX_RECORD_BYTES defaults to 32 MiB', () => {
  assert.equal(loadConfig({}).maxRecordBytes, 32 * 1024 * 1024);
});
