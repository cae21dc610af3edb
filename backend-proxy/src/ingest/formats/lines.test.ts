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

test('a line of many megabytes arriving in many chunks is searched chunk by chunk, not again from its start', async () => {
  // The unfinished line was searched again for every chunk: 32 MB in 64 KB chunks took 5-10 s
  // (quadratic), so a body of one long line held a core for minutes. Counted, not timed: the
  // characters indexOf is asked to look at stay about the size of the body.
  const chunk = Buffer.alloc(65_536, 0x61);
  const parts = [...Array.from({ length: 512 }, () => chunk), Buffer.from('\nok')];
  const indexOf = String.prototype.indexOf;
  let searched = 0;
  String.prototype.indexOf = function (this: string, search: string, position?: number) {
    if (search === '\n') searched += this.length - (position ?? 0);
    return indexOf.call(this, search, position);
  } as typeof indexOf;
  const lengths: number[] = [];
  try {
    for await (const line of readLines(chunked(parts))) lengths.push(line.length);
  } finally {
    String.prototype.indexOf = indexOf;
  }
  assert.deepEqual(lengths, [512 * 65_536, 2]);
  assert.ok(searched <= 2 * (512 * 65_536 + 3), `${searched} characters searched for 32 MiB`);
});

test('a line longer than the limit is not assembled: its length and start come back, the lines around it as they are', async () => {
  const long = 'x'.repeat(100);
  for (const size of [1, 7, 64, 1000]) {
    const text = `first\n${long}\n${'y'.repeat(30)}\nlast ${long}`;
    const parts: string[] = [];
    for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
    const out: unknown[] = [];
    for await (const line of readLines(chunked(parts), 30)) out.push(line);
    assert.deepEqual(out, ['first', { oversized: true, length: 100, head: long }, 'y'.repeat(30), { oversized: true, length: 105, head: `last ${long}` }], `chunk ${size}`);
  }
});
