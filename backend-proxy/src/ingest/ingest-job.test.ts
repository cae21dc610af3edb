import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createIngestJob, IngestInputError } from './ingest-job.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const p of parts) yield Buffer.from(p);
}

async function drain(job: Awaited<ReturnType<typeof createIngestJob>>) {
  const batches = [];
  for await (const b of job.batches(new Set())) batches.push(b);
  return batches;
}

test('a body over the limit is refused with 413 while it streams', async () => {
  const read = async () => drain(await createIngestJob(chunks('{"time":', 'x'.repeat(2000)), { format: 'ndjson', source: null, maxBytes: 1000 }));
  await assert.rejects(read(), (err: unknown) => err instanceof IngestInputError && err.statusCode === 413 && /limit of 1000 bytes/.test(err.message));
});

test('line formats come in bounded batches; the digest is known only at the end', async () => {
  const start = Math.floor(Date.now() / 1000) - 600;
  const line = (i: number) => `2 1 eni-1 10.0.0.${(i % 250) + 1} 10.0.1.1 40000 443 6 1 100 ${start} ${start + 60} ACCEPT OK\n`;
  const parts = Array.from({ length: 205 }, (_, i) => line(i));
  const job = await createIngestJob(chunks(...parts), { format: null, source: 's', maxBytes: 1e9, batchSize: 50 });
  assert.equal(job.format, 'aws-vpc');
  assert.equal(job.digest(), null);
  const batches = await drain(job);
  assert.deepEqual(batches.map((b) => b.rows.length), [50, 50, 50, 50, 5]);
  assert.equal(job.digest()!.bytes, parts.join('').length);
});

test('an unrecognisable body is a 400 naming the format', async () => {
  await assert.rejects(createIngestJob(chunks('hello world'), { format: null, source: null, maxBytes: 1e9 }), (err: unknown) => err instanceof IngestInputError && err.statusCode === 400 && err.field === 'format');
});
