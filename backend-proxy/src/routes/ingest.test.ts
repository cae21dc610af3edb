import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { readFixture } from '../test-support/fixtures.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const count = (sql: string, params: unknown[] = []): Promise<number> => t.count(sql, params);

test('every public NSG fixture ingests with the right accepted / rejected counts', async () => {
  const expected: Record<string, { accepted: number; rejected: number; skipped: number; rows: number }> = {
    'azure-nsg/elastic-nsg-v2-records-mixed-states.json': { accepted: 11, rejected: 0, skipped: 0, rows: 14 },
    'azure-nsg/elastic-nsg-v2-single-record.json': { accepted: 1, rejected: 0, skipped: 0, rows: 2 },
    'azure-nsg/msdocs-nsg-v1-sample-with-nested-records.json': { accepted: 12, rejected: 0, skipped: 9, rows: 12 },
  };
  for (const [file, want] of Object.entries(expected)) {
    const response = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-nsg?source=${encodeURIComponent(file)}`, payload: readFixture(file), headers: { 'content-type': 'application/json' } });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    assert.deepEqual({ accepted: body.accepted, rejected: body.rejected, skipped: body.skipped, rows: body.rows }, want, file);
    assert.equal(await count('SELECT count(*) FROM flows WHERE ingest_id = $1', [body.ingestId]), want.rows, file);
  }
  // Enrichment: a public address gets its country from the offline database.
  assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '1.128.0.0' AND src_country = 'AU' AND application = 'https'"), 1);
});

test('the same object sent twice is stored once', async () => {
  const body = readFixture('azure-nsg/elastic-nsg-v2-single-record.json');
  const first = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=dup.json', payload: body, headers: { 'content-type': 'application/json' } });
  const again = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=dup.json', payload: body, headers: { 'content-type': 'application/json' } });
  assert.equal(first.json().alreadyIngested, false);
  assert.equal(again.json().alreadyIngested, true);
  assert.equal(again.json().rows, 0);
  assert.equal(await count('SELECT count(*) FROM ingest_batches WHERE source = $1', ['dup.json']), 1);
});

test('gzip bodies, bad tuples kept apart in dead letters, malformed JSON as 400 with offset', async () => {
  const blob = JSON.stringify({
    records: [{ resourceId: '/x/NETWORKSECURITYGROUPS/JUMP', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: ['1764496800,203.0.113.9,10.10.1.4,40000,22,T,I,A,B,,,,', '1764496800,203.0.113.9,10.10.1.4,40000,22,X,I,A,B,,,,'] }] }] } }],
  });
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=gz.json.gz', payload: gzipSync(blob), headers: { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' } });
  assert.equal(response.statusCode, 200, response.body);
  const r = response.json();
  assert.equal(r.accepted, 1);
  assert.equal(r.rejected, 1);
  assert.deepEqual(r.errors, [{ source: 'gz.json.gz', record: 1, tuple: 2, field: 'protocol', reason: '"X" is not T or U' }]);
  const dead = await t.db.pool.query('SELECT record, tuple, field, raw FROM dead_letters WHERE ingest_id = $1', [r.ingestId]);
  assert.deepEqual(dead.rows.map(({ raw: _raw, ...rest }) => rest), [{ record: 1, tuple: 2, field: 'protocol' }]);
  // The dead letter keeps the bad tuple inside a one-tuple copy of its record: replayable once fixed.
  const raw = JSON.parse(dead.rows[0].raw);
  assert.equal(raw.resourceId, '/x/NETWORKSECURITYGROUPS/JUMP');
  assert.deepEqual(raw.properties.flows, [{ rule: 'r', flows: [{ mac: 'm', flowTuples: ['1764496800,203.0.113.9,10.10.1.4,40000,22,X,I,A,B,,,,'] }] }]);
  // The jump host's site and the inside/outside geography come from the demo estate.
  assert.equal(await count("SELECT count(*) FROM flows WHERE ingest_id = $1 AND dst_site = 'azure-eastus' AND dst_country = 'US' AND application = 'ssh'", [r.ingestId]), 1);

  const bad = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg', payload: '{"records": [}', headers: { 'content-type': 'application/json' } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().offset, 13);
  assert.match(bad.json().message, /byte offset 13/);
});

test('unknown formats are 404 naming the format', async () => {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/nope', payload: '{}', headers: { 'content-type': 'application/json' } });
  assert.equal(response.statusCode, 404);
  assert.equal(response.json().field, 'format');
});

test('health reports the database kind, rows and newest flow', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/api/health' });
  const h = response.json();
  assert.equal(h.status, 'ok');
  assert.equal(h.database, t.db.timescale ? h.database : 'plain PostgreSQL');
  assert.match(h.database, t.db.timescale ? /^TimescaleDB / : /^plain PostgreSQL$/);
  assert.equal(h.rows, await count('SELECT count(*) FROM flows'));
  assert.equal(h.newest, '2025-11-30T10:00:00.000Z');
});

test('every public cloud fixture ingests through format detection, rows stored as parsed', async () => {
  const { readdirSync } = await import('node:fs');
  const { FIXTURES_DIR } = await import('../test-support/fixtures.js');
  const { parseBody, detectFormat } = await import('../ingest/formats/index.js');
  for (const dir of ['azure-vnet', 'aws-vpc', 'gcp-vpc'] as const) {
    for (const file of readdirSync(FIXTURES_DIR + dir)) {
      const bytes = readFixture(`${dir}/${file}`);
      const text = bytes.toString('utf8');
      const format = detectFormat(text);
      assert.equal(format, dir, `${file} detected as ${format}`);
      const parsed = parseBody(format as 'aws-vpc', text, { source: file });
      const response = await t.app.inject({ method: 'POST', url: `/api/v1/ingest?source=${encodeURIComponent(`${dir}/${file}`)}`, payload: bytes, headers: { 'content-type': 'application/octet-stream' } });
      assert.equal(response.statusCode, 200, `${file}: ${response.body}`);
      const r = response.json();
      assert.equal(r.format, format, file);
      assert.equal(r.rows, parsed.rows.length, file);
      assert.equal(r.rejected, parsed.errors.length, file);
      assert.equal(r.skipped, parsed.skipped, file);
      assert.equal(await count('SELECT count(*) FROM flows WHERE ingest_id = $1', [r.ingestId]), parsed.rows.length, file);
      assert.equal(await count('SELECT count(*) FROM dead_letters WHERE ingest_id = $1', [r.ingestId]), parsed.errors.length, file);
    }
  }
});

test('a large AWS body streams through in batches; a truncated gzip keeps what was readable', async () => {
  const start = Math.floor(Date.now() / 1000) - 3600;
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < 30_000; i++) lines.push(`2 123456789012 eni-1 10.30.1.${(i % 200) + 1} 10.10.5.20 ${40000 + (i % 20000)} 3306 6 10 ${1000 + i} ${start + (i % 3000)} ${start + (i % 3000) + 60} ACCEPT OK`);
  lines.push('2 123456789012 eni-1 10.30.1.1 10.10.5.20 1 2 6 10');
  const text = lines.join('\n') + '\n';
  const whole = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=big.log', payload: text, headers: { 'content-type': 'text/plain' } });
  assert.equal(whole.statusCode, 200, whole.body);
  assert.deepEqual([whole.json().accepted, whole.json().rejected, whole.json().rows], [30_000, 1, 30_000]);
  assert.equal(whole.json().errors[0].record, 30_002, 'line numbers count the header line');
  const expectedBytes = Array.from({ length: 30_000 }, (_, i) => 1000 + i).reduce((a, b) => a + b, 0);
  assert.equal(await count('SELECT sum(bytes) FROM flows WHERE ingest_id = $1', [whole.json().ingestId]), expectedBytes);

  const gz = gzipSync(text);
  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  const partial = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=cut.log.gz', payload: cut, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(partial.statusCode, 200, partial.body);
  const p = partial.json();
  assert.ok(p.accepted > 1000 && p.accepted < 30_000, `kept ${p.accepted} records of the readable half`);
  assert.ok(p.errors.some((e: { reason: string }) => /gzip|truncat|unexpected end/i.test(e.reason)), JSON.stringify(p.errors.slice(-2)));
});

test('a big NSG blob streams record by record; a truncated gzip blob keeps the records before the cut', async () => {
  const ts = Math.floor(Date.now() / 1000) - 7200;
  const records = Array.from({ length: 400 }, (_, r) => ({
    time: new Date(ts * 1000).toISOString(),
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/BIG-NSG',
    properties: { Version: 2, flows: [{ rule: 'AllowWeb', flows: [{ mac: 'M', flowTuples: Array.from({ length: 50 }, (_, i) => `${ts + i},10.20.${r % 250}.${(i % 250) + 1},10.10.1.4,${20000 + r},443,T,I,A,E,2,200,3,300`) }] }] },
  }));
  const text = JSON.stringify({ records });
  const whole = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=big/PT1H.json', payload: text, headers: { 'content-type': 'application/json' } });
  assert.equal(whole.statusCode, 200, whole.body);
  // 20 000 tuples → 40 000 rows, more than one streamed batch.
  assert.deepEqual([whole.json().accepted, whole.json().rejected, whole.json().rows], [20_000, 0, 40_000]);
  assert.equal(await count('SELECT sum(bytes) FROM flows WHERE ingest_id = $1', [whole.json().ingestId]), 20_000 * 500);

  const gz = gzipSync(text);
  const cut = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=cut/PT1H.json.gz', payload: gz.subarray(0, Math.floor(gz.length / 2)), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(cut.statusCode, 200, cut.body);
  const c = cut.json();
  assert.ok(c.accepted > 2_000 && c.accepted < 20_000 && c.accepted % 50 === 0, `whole records kept: ${c.accepted} tuples`);
  const reasons = c.errors.map((e: { reason: string }) => e.reason);
  assert.ok(reasons.some((r: string) => /gzip stream damaged or truncated/.test(r)), reasons.join('; '));
  assert.ok(reasons.some((r: string) => /ends inside a JSON value/.test(r)), reasons.join('; '));
});

test('GCP: ?reporters=all keeps both reports of a VM-to-VM flow; the default keeps the SRC one; a bad value is a 400', async () => {
  const time = new Date(Date.now() - 3600_000).toISOString();
  const vm = (name: string) => ({ project_id: 'proj', vm_name: name, region: 'europe-west1', zone: 'europe-west1-b' });
  const report = (reporter: 'SRC' | 'DEST') => ({
    jsonPayload: {
      reporter,
      connection: { src_ip: '10.70.0.2', dest_ip: '10.70.0.3', src_port: 45000, dest_port: 5432, protocol: 6 },
      bytes_sent: '1000',
      packets_sent: '10',
      start_time: time,
      end_time: time,
      src_instance: vm('app-1'),
      dest_instance: vm('db-1'),
    },
  });
  const body = JSON.stringify([report('SRC'), report('DEST')]);
  const send = (query: string) => t.app.inject({ method: 'POST', url: `/api/v1/ingest/gcp-vpc?${query}`, payload: body, headers: { 'content-type': 'application/json' } });
  const byDefault = (await send('source=gcp-default.json')).json();
  assert.deepEqual([byDefault.accepted, byDefault.skipped, byDefault.rows], [1, 1, 1]);
  const all = (await send('source=gcp-all.json&reporters=all')).json();
  assert.deepEqual([all.accepted, all.skipped, all.rows], [2, 0, 2]);
  assert.equal(await count('SELECT count(*) FROM flows WHERE ingest_id = $1 AND direction = $2', [all.ingestId, 'inbound']), 1);
  const bad = await send('source=gcp-bad.json&reporters=both');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().field, 'reporters');
});

test('an address whose AS number is above 2^31 (32-bit ASNs) is stored, queried and filtered with it', async () => {
  // 103.138.210.0/24 is announced as AS4294967294 in the shipped ASN data: it once failed the whole batch.
  const start = Math.floor(Date.now() / 1000) - 3600;
  const text = [
    'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
    `2 123456789012 eni-1 10.30.1.9 103.138.210.7 40000 443 6 10 5000 ${start} ${start + 60} ACCEPT OK`,
    `2 123456789012 eni-1 10.30.1.9 8.8.8.8 40001 53 17 1 80 ${start} ${start + 60} ACCEPT OK`,
  ].join('\n');
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=asn32.log', payload: text, headers: { 'content-type': 'text/plain' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual([r.json().accepted, r.json().rejected], [2, 0]);
  assert.equal(await count("SELECT dst_asn FROM flows WHERE dst_ip = '103.138.210.7'"), 4294967294);
  const q = await t.app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: (start - 60) * 1000, to: (start + 120) * 1000, metric: 'bytes', dimensions: ['dst_asn'], filterText: 'dst_asn >= 4294967294' },
  });
  assert.equal(q.statusCode, 200, q.body);
  const fields = q.json().frames[0].fields as { name: string; values: unknown[] }[];
  assert.deepEqual(fields.map((f) => f.values), [[4294967294], [5000]]);
});
