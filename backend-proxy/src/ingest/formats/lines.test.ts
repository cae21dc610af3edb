import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLines } from './lines.js';

async function* chunked(parts: (string | Buffer)[]): AsyncGenerator<string | Buffer> {
  yield* parts;
}

test('lines split across chunks, \\r\\n split between chunks, a UTF-8 character split between chunks, no final newline', async () => {
  const euro = Buffer.from('€');
  const parts = ['a\r', '\nb', 'c\n', euro.subarray(0, 1), Buffer.concat([euro.subarray(1), Buffer.from('\n\nlast')])];
  const out: string[] = [];
  for await (const line of readLines(chunked(parts))) out.push(line);
  assert.deepEqual(out, ['a', 'bc', '€', '', 'last']);
});

test('a line of many megabytes without a newline is read in linear time', async () => {
  // The unfinished line was searched again for every chunk: 32 MB in 64 KB chunks took 5-10 s
  // (quadratic), so a body of one long line held a core for minutes. Now it is a few ms per MB.
  const chunk = Buffer.alloc(65_536, 0x61);
  const parts = [...Array.from({ length: 512 }, () => chunk), Buffer.from('\nok')];
  const started = Date.now();
  const lengths: number[] = [];
  for await (const line of readLines(chunked(parts))) lengths.push(line.length);
  assert.deepEqual(lengths, [512 * 65_536, 2]);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
});
