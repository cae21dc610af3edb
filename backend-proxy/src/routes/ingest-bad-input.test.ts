// Hostile input on the ingest routes: whatever a body holds, the good records are kept, the bad
// ones are reported with their place and kept as dead letters, and the request never fails whole.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { openTestApp, type TestApp } from '../test-support/app.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const count = (sql: string, params: unknown[] = []): Promise<number> => t.count(sql, params);

test('a NUL character (U+0000) in a value, a rejected line or the source is stored as U+FFFD, not a failed batch', async () => {
  // PostgreSQL text cannot hold U+0000: each of these once answered 500 and stored nothing of the body.
  const time = new Date(Date.now() - 3600_000).toISOString();
  const line = (extra: Record<string, unknown>) => JSON.stringify({ time, src_ip: '10.71.0.1', dst_ip: '10.71.0.2', protocol: 6, ...extra });
  const rawNul = `${line({ src_port: 3 }).slice(0, -1)},"x":"a\u0000b"}`; // a raw NUL byte: not valid JSON
  const body = [line({ src_port: 1 }), line({ src_port: 2, rule: 'allow\u0000web' }), rawNul, line({ src_port: 4, 'ru\u0000le': 1 })].join('\n');
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/ndjson?source=nul%00name.ndjson', payload: body, headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(response.statusCode, 200, response.body);
  const r = response.json();
  assert.deepEqual([r.accepted, r.rejected, r.source], [2, 2, 'nul\uFFFDname.ndjson']);
  assert.deepEqual(r.errors.map((e: { record: number; field?: string }) => [e.record, e.field]), [[3, undefined], [4, 'ru\u0000le']]);
  assert.equal(await count("SELECT count(*) FROM flows WHERE ingest_id = $1 AND rule = 'allow\uFFFDweb' AND src_port = 2", [r.ingestId]), 1);
  const dead = await t.db.pool.query('SELECT source, record, field, raw FROM dead_letters WHERE ingest_id = $1 ORDER BY record', [r.ingestId]);
  assert.deepEqual(dead.rows, [
    { source: 'nul\uFFFDname.ndjson', record: 3, field: null, raw: rawNul.replace('\u0000', '\uFFFD') },
    { source: 'nul\uFFFDname.ndjson', record: 4, field: 'ru\uFFFDle', raw: line({ src_port: 4, 'ru\u0000le': 1 }) },
  ]);
  // A hand fix holding a NUL is stored the same way.
  const id = (await t.db.pool.query('SELECT id FROM dead_letters WHERE ingest_id = $1 AND record = 3', [r.ingestId])).rows[0].id;
  const fixed = await t.app.inject({ method: 'PATCH', url: `/api/v1/dead-letters/${id}`, payload: { raw: 'still\u0000bad' } });
  assert.equal(fixed.statusCode, 200, fixed.body);
  assert.equal(fixed.json().raw, 'still\uFFFDbad');
  // Bytes that are not text at all (UTF-16 sent as NDJSON) are rejected lines, not a 500.
  const utf16 = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/ndjson?source=utf16.ndjson', payload: Buffer.from(`${line({})}\n`, 'utf16le'), headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(utf16.statusCode, 200, utf16.body);
  assert.equal(utf16.json().accepted, 0);
  assert.ok(utf16.json().rejected >= 1, utf16.body);
});

test('an IPv6 address with a zone id (fe80::1%eth0) is a rejected record, not a failed batch', async () => {
  const start = Math.floor(Date.now() / 1000) - 3600;
  const aws = [
    `2 123456789012 eni-1 fe80::1%eth0 fe80::2 40000 443 6 1 100 ${start} ${start + 60} ACCEPT OK`,
    `2 123456789012 eni-1 fe80::1 fe80::2 40001 443 6 1 100 ${start} ${start + 60} ACCEPT OK`,
  ].join('\n');
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=zone.log', payload: aws, headers: { 'content-type': 'text/plain' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.deepEqual([r.json().accepted, r.json().rejected], [1, 1]);
  assert.deepEqual(r.json().errors[0], { source: 'zone.log', record: 1, field: 'srcaddr', reason: 'not an IP address: fe80::1%eth0' });
  assert.equal(await count("SELECT count(*) FROM flows WHERE ingest_id = $1 AND src_ip = 'fe80::1' AND src_port = 40001", [r.json().ingestId]), 1);
  const time = new Date(start * 1000).toISOString();
  const nd = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/ndjson?source=zone.ndjson', payload: JSON.stringify({ time, src_ip: 'fe80::1', dst_ip: 'fe80::2%25', protocol: 6 }), headers: { 'content-type': 'application/x-ndjson' } });
  assert.equal(nd.statusCode, 200, nd.body);
  assert.deepEqual([nd.json().accepted, nd.json().errors[0]?.field], [0, 'dst_ip']);
});

test('a query parameter given twice (?source=a&source=b) is a 400 naming it, not a 500', async () => {
  const start = Math.floor(Date.now() / 1000) - 3600;
  const line = `2 123456789012 eni-1 10.72.0.1 10.72.0.2 40000 443 6 1 100 ${start} ${start + 60} ACCEPT OK`;
  for (const [query, field] of [
    ['source=a&source=b', 'source'],
    ['source=c&format=version&format=srcaddr', 'format'],
    ['source=d&reporters=all&reporters=all', 'reporters'],
  ]) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/aws-vpc?${query}`, payload: line, headers: { 'content-type': 'text/plain' } });
    assert.equal(r.statusCode, 400, `${query}: ${r.body}`);
    assert.equal(r.json().field, field, query);
  }
  assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '10.72.0.1'"), 0);
});

test('a record nested thousands of levels deep is a rejected record; the records beside it are kept', async () => {
  // JSON.stringify (raw text, reasons) and the NSG records' flattening overflowed the stack: 500, nothing stored.
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const time = new Date(Date.now() - 3600_000).toISOString();
  const seconds = Math.floor(Date.now() / 1000) - 3600;
  const gcpEntry = { jsonPayload: { reporter: 'SRC', connection: { src_ip: '10.73.0.1', dest_ip: '10.73.0.2', src_port: 40000, dest_port: 443, protocol: 6 }, bytes_sent: '10', packets_sent: '1', start_time: time } };
  const nsgRecord = { resourceId: '/X/NETWORKSECURITYGROUPS/DEEP', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${seconds},10.73.0.1,10.73.0.2,40000,443,T,O,A,B,,,,`] }] }] } };
  const cases: [string, string, number][] = [
    ['gcp-vpc', `[${JSON.stringify(gcpEntry)},${deep}]`, 2],
    ['azure-nsg', `{"records":[${JSON.stringify(nsgRecord)},${deep}]}`, 2],
    ['aws-vpc', `{"messageType":"DATA_MESSAGE","logEvents":${deep}}\n{"messageType":"DATA_MESSAGE","logEvents":[{"timestamp":${seconds * 1000},"message":"2 1 eni-1 10.73.0.1 10.73.0.2 40000 443 6 1 10 ${seconds} ${seconds + 60} ACCEPT OK"}]}`, 1],
    ['ndjson', `{"time":${deep},"src_ip":"10.73.0.1"}\n${JSON.stringify({ time, src_ip: '10.73.0.1', dst_ip: '10.73.0.2', protocol: 6 })}`, 1],
  ];
  for (const [format, body, record] of cases) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/${format}?source=deep-${format}`, payload: body, headers: { 'content-type': 'application/json' } });
    assert.equal(r.statusCode, 200, `${format}: ${r.body.slice(0, 300)}`);
    assert.deepEqual([r.json().accepted, r.json().rejected, r.json().errors[0].record], [1, 1, record], format);
    assert.match(r.json().errors[0].reason, format === 'ndjson' ? /nested too deeply/ : /nested 2000[01] levels deep \(at most 64\)/, format);
    assert.equal(await count("SELECT count(*) FROM flows WHERE ingest_id = $1 AND src_ip = '10.73.0.1'", [r.json().ingestId]), 1, format);
    assert.equal(await count('SELECT count(*) FROM dead_letters WHERE ingest_id = $1', [r.json().ingestId]), 1, format);
  }
});

test('a huge value quoted in a reason is cut, in the response and in the dead letter', async () => {
  // The raw text was cut to 8 KB, but the reason quoted a 2 MB value whole (20 MB took 7 s to answer).
  const huge = 'x'.repeat(2 * 2 ** 20);
  const start = Math.floor(Date.now() / 1000) - 3600;
  const cases: [string, string][] = [
    ['ndjson', JSON.stringify({ time: huge, src_ip: '10.74.0.1', dst_ip: '10.74.0.2', protocol: 6 })],
    ['aws-vpc', `2 123456789012 eni-1 ${huge} 10.74.0.2 40000 443 6 1 100 ${start} ${start + 60} ACCEPT OK`],
  ];
  for (const [format, body] of cases) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/${format}?source=huge-reason-${format}`, payload: body, headers: { 'content-type': 'text/plain' } });
    assert.equal(r.statusCode, 200, format);
    assert.ok(r.body.length < 2000, `${format}: a response of ${r.body.length} bytes`);
    assert.match(r.json().errors[0].reason, /…\[\d+ chars\]$/, format);
    const dead = await t.db.pool.query<{ reason: string; raw: string }>('SELECT reason, raw FROM dead_letters WHERE ingest_id = $1', [r.json().ingestId]);
    assert.ok(dead.rows[0]!.reason.length < 600 && dead.rows[0]!.raw.length < 9000, format);
  }
});

test('an ingest path with a percent-escape is the ingest route: its body streams in as for the plain path', async () => {
  // The body parsers looked at the raw URL: /api/v1/%69ngest/ndjson was refused with 415 (and a JSON body went to the query parser).
  const time = new Date(Date.now() - 3600_000).toISOString();
  const body = `${JSON.stringify({ time, src_ip: '10.75.0.1', dst_ip: '10.75.0.2', protocol: 6 })}\n`;
  for (const type of ['application/x-ndjson', 'application/json']) {
    const r = await t.app.inject({ method: 'POST', url: `/api/v1/%69ngest/ndjson?source=escaped-${type}`, payload: body, headers: { 'content-type': type } });
    assert.equal(r.statusCode, 200, `${type}: ${r.body}`);
    assert.deepEqual([r.json().accepted, r.json().rows], [1, 1], type);
  }
});

test('a gzip body with trailing garbage is answered with what it held and the damage; the next request is served', async () => {
  // The request hung with its transaction open; on the embedded database every later request waited behind it.
  const start = Math.floor(Date.now() / 1000) - 3600;
  const lines = Array.from({ length: 20_000 }, (_, i) => `2 123456789012 eni-1 10.76.${i >> 8}.${i & 255} 10.10.5.20 ${40000 + (i % 20000)} 3306 6 10 ${1000 + i} ${start} ${start + 60} ACCEPT OK\n`).join('');
  const body = Buffer.concat([gzipSync(lines), Buffer.from('garbage')]);
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=garbage.log.gz', payload: body, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(r.statusCode, 200, r.body.slice(0, 300));
  assert.ok(r.json().accepted > 19_800, `kept ${r.json().accepted} of 20000`);
  assert.ok(r.json().errors.some((e: { record: number; reason: string }) => e.record === 0 && /gzip stream damaged/.test(e.reason)), r.body.slice(0, 500));
  assert.equal((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
});
