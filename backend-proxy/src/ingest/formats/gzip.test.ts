import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { decodeBody, decodeStream, isGzip } from './gzip.js';
import { readLines, splitLines } from './lines.js';
import { parseAwsVpc } from './aws-vpc.js';
import { fixtureBytes, NOW } from './test-fixtures.js';

test('plain bodies pass through; gzip (also multi-member) is decoded', () => {
  const plain = fixtureBytes('aws-vpc/otel-v2-header-no-trailing-newline.log');
  assert.deepEqual(decodeBody(plain), { data: plain, gzip: false, error: null });
  const two = Buffer.concat([gzipSync(plain.subarray(0, 100)), gzipSync(plain.subarray(100))]);
  assert.equal(isGzip(two), true);
  const d = decodeBody(two);
  assert.deepEqual([d.gzip, d.error, d.data.equals(plain)], [true, null, true]);
});

test('truncated gzip body: readable records kept, truncation reported', () => {
  const lines = Array.from({ length: 3000 }, (_, i) => `2 1 eni-1 10.0.${i >> 8}.${i & 255} 10.9.9.9 ${1024 + i} 443 6 1 60 1700000000 1700000060 ACCEPT OK`);
  const gz = gzipSync(lines.join('\n'));
  const d = decodeBody(gz.subarray(0, Math.floor(gz.length * 0.7)), 'flows.log.gz');
  assert.equal(d.gzip, true);
  assert.equal(d.error?.source, 'flows.log.gz');
  assert.match(d.error?.reason ?? '', /truncated/);
  const r = parseAwsVpc(d.data.toString('utf8'), { nowMs: NOW });
  assert.ok(r.rows.length > 1000 && r.rows.length < 3000, `rows ${r.rows.length}`);
  // Only the cut-off last line may be rejected.
  assert.ok(r.errors.length <= 1);
});

test('stream decoding of plain and gzip input, one-byte chunks included', async () => {
  const text = 'a\nb\nc';
  const collect = async (chunks: Buffer[]) => {
    const errors: unknown[] = [];
    const parts: Buffer[] = [];
    for await (const c of decodeStream(Readable.from(chunks), (e) => errors.push(e))) parts.push(c);
    return [Buffer.concat(parts).toString(), errors.length];
  };
  assert.deepEqual(await collect([Buffer.from(text)]), [text, 0]);
  const gz = gzipSync(text);
  assert.deepEqual(await collect([gz.subarray(0, 1), gz.subarray(1, 5), gz.subarray(5)]), [text, 0]);
  assert.deepEqual(await collect([]), ['', 0]);
  const [, errs] = await collect([gz.subarray(0, gz.length - 4)]);
  assert.equal(errs, 1);
});

test('line splitting: CRLF, no final newline, UTF-8 split across chunks', async () => {
  assert.deepEqual([...splitLines('a\r\nb\n\nc')], ['a', 'b', '', 'c']);
  const bytes = Buffer.from('é1\n€2\n');
  const chunks = Array.from(bytes).map((b) => Buffer.from([b]));
  const out: string[] = [];
  for await (const line of readLines(Readable.from(chunks))) out.push(line);
  assert.deepEqual(out, ['é1', '€2']);
});

test('a gzip body that fails mid-stream (trailing garbage, a bad CRC) ends with the error, it does not hang', async () => {
  // The feeder waited for 'drain' from a gunzip that had failed: the request hung with its
  // transaction open (on the embedded database every other request waited behind it).
  const lines = Array.from({ length: 20_000 }, (_, i) => `2 1 eni-1 10.0.${i >> 8}.${i & 255} 10.9.9.9 ${1024 + (i % 60000)} 443 6 1 ${i} 1700000000 1700000060 ACCEPT OK\n`).join('');
  const gz = gzipSync(lines);
  const crc = Buffer.from(gz);
  crc[crc.length - 6]! ^= 0xff;
  for (const [name, body] of [['trailing garbage', Buffer.concat([gz, Buffer.from('garbage')])], ['bad CRC', crc]] as const) {
    const errors: { reason: string }[] = [];
    let bytes = 0;
    const read = (async () => {
      for await (const c of decodeStream(Readable.from([body]), (e) => errors.push(e))) bytes += c.length;
    })();
    const hung = new Promise((_, reject) => setTimeout(() => reject(new Error(`${name}: decodeStream hung`)), 10_000).unref());
    await Promise.race([read, hung]);
    assert.equal(errors.length, 1, name);
    assert.match(errors[0]!.reason, /gzip stream damaged or truncated/, name);
    // zlib drops the output of the call that failed (under 16 KB); everything before it is kept.
    assert.ok(bytes > lines.length - 16_384, `${name}: kept ${bytes} of ${lines.length} bytes`);
  }
});
