import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { openBody, parseBodyStream } from './stream.js';
import { detectFormat } from './detect.js';
import { fixtureBytes, NOW } from './test-fixtures.js';

const opts = { nowMs: NOW };

function awsLines(n: number): string {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < n; i++) lines.push(`2 1 eni-1 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} 10.200.0.1 ${1024 + (i % 60000)} 443 6 2 120 1700000000 1700000060 ACCEPT OK`);
  return lines.join('\n');
}

async function* chunked(buf: Buffer, size: number, pulled?: { count: number }) {
  for (let i = 0; i < buf.length; i += size) {
    if (pulled) pulled.count++;
    yield buf.subarray(i, i + size);
  }
}

test('gzip AWS body: detected from its decoded head, parsed in batches while the source is still being read', async () => {
  const gz = gzipSync(awsLines(30000));
  const pulled = { count: 0 };
  const totalChunks = Math.ceil(gz.length / 4096);
  const opened = await openBody(chunked(gz, 4096, pulled), 'flows.log.gz');
  assert.equal(detectFormat(opened.head), 'aws-vpc');
  const batches: number[] = [];
  let pulledAtFirstBatch = -1;
  for await (const batch of parseBodyStream('aws-vpc', opened, opts, 10000)) {
    if (pulledAtFirstBatch < 0) pulledAtFirstBatch = pulled.count;
    batches.push(batch.rows.length);
    assert.equal(batch.errors.length, 0);
  }
  assert.deepEqual(batches, [10000, 10000, 10000, 0]);
  // Streaming, not slurping: the first batch came out before the whole body was read.
  assert.ok(pulledAtFirstBatch < totalChunks, `${pulledAtFirstBatch} of ${totalChunks} chunks read before the first batch`);
  assert.deepEqual(opened.errors, []);
});

test('truncated gzip through the stream: rows before the cut kept, damage reported', async () => {
  const gz = gzipSync(awsLines(20000));
  const opened = await openBody(chunked(gz.subarray(0, Math.floor(gz.length * 0.6)), 1000), 'cut.log.gz');
  let rows = 0;
  const errors: string[] = [];
  for await (const batch of parseBodyStream('aws-vpc', opened, opts)) {
    rows += batch.rows.length;
    errors.push(...batch.errors.map((e) => e.reason));
  }
  assert.ok(rows > 5000 && rows < 20000, `rows ${rows}`);
  // The damage, reported once; at most one more: the line the cut went through.
  assert.equal(errors.filter((r) => /gzip/.test(r)).length, 1, errors.join('; '));
  assert.ok(errors.length <= 2, errors.join('; '));
  assert.equal(opened.errors.length, 1);
  assert.equal(opened.errors[0].source, 'cut.log.gz');
});

test('JSON documents through the stream: VNet blob (gzip), GCP pretty object, GCP NDJSON, CloudWatch envelope', async () => {
  const run = async (bytes: Buffer, options = {}) => {
    const opened = await openBody(chunked(bytes, 300));
    const format = detectFormat(opened.head);
    assert.ok(format && format !== 'azure-nsg');
    const totals = [0, 0, 0];
    for await (const b of parseBodyStream(format, opened, { ...opts, ...options })) {
      totals[0] += b.rows.length;
      totals[1] += b.errors.length;
      totals[2] += b.skipped;
    }
    return [format, ...totals];
  };
  assert.deepEqual(await run(gzipSync(fixtureBytes('azure-vnet/elastic-vnet-v4-records-multi-acl.json'))), ['azure-vnet', 24, 0, 0]);
  const gcp = fixtureBytes('gcp-vpc/otel-dest-reporter-rtt-vpc-flow-logs-config.json');
  assert.deepEqual(await run(gcp), ['gcp-vpc', 1, 0, 0]);
  const ndjson = Buffer.from([gcp, fixtureBytes('gcp-vpc/otel-internet-routing-icmp-no-ports.json')].map((b) => JSON.stringify(JSON.parse(b.toString()))).join('\n'));
  assert.deepEqual(await run(ndjson), ['gcp-vpc', 2, 0, 0]);
  assert.deepEqual(await run(fixtureBytes('aws-vpc/otel-cloudwatch-subscription-custom-format.json'), { format: 'version interface-id srcaddr dstaddr' }), ['aws-vpc', 2, 0, 0]);
});

test('one JSON record holding 12 000 tuples is expanded a batch at a time, not all at once', async () => {
  const ts = 1_764_000_000_000;
  const tuples = Array.from({ length: 12_000 }, (_, i) => `${ts + i},10.0.${i >> 8}.${i & 255},10.1.0.1,${1024 + i},443,6,O,E,X,1,100,1,50`);
  const blob = JSON.stringify({ records: [{ flowLogVersion: 4, targetResourceID: '/x/subnets/s', flowRecords: { flows: [{ aclID: 'a', flowGroups: [{ rule: 'r', flowTuples: tuples }] }] } }] });
  const opened = await openBody(chunked(Buffer.from(blob), 65536));
  const sizes: number[] = [];
  for await (const b of parseBodyStream('azure-vnet', opened, opts, 5000)) sizes.push(b.rows.length);
  // Each tuple gives two rows (forward and reverse): 24 000 rows in batches of 5 000 (± one tuple's rows).
  assert.equal(sizes.reduce((a, b) => a + b, 0), 24_000);
  assert.ok(sizes.length >= 5 && sizes.every((n) => n <= 5001), sizes.join(','));
});
