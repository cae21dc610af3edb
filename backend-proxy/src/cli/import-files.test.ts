import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listFiles, type ListProblem } from './import-files.js';

test('listFiles: a dangling link, a link back up the tree and a FIFO are problems of their own, every other file is listed once', () => {
  // Each of these once threw out of listFiles (ENOENT, ELOOP after listing the tree 40 times) and stopped the whole import.
  const dir = mkdtempSync(join(tmpdir(), 'flowatlas-list-'));
  try {
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.log'), 'a');
    writeFileSync(join(dir, 'sub', 'b.log'), 'b');
    symlinkSync('..', join(dir, 'sub', 'up'));
    symlinkSync(join(dir, 'gone.log'), join(dir, 'dangling.log'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const problems: ListProblem[] = [];
    const files = listFiles([dir, join(dir, 'missing.log')], problems);
    assert.deepEqual(files.map((f) => f.source), ['a.log', 'sub/b.log']);
    assert.deepEqual(
      problems.map((p) => [p.path.slice(dir.length + 1), /ENOENT/.test(p.message) ? 'ENOENT' : p.message]),
      [['dangling.log', 'ENOENT'], ['pipe', 'not a regular file'], ['missing.log', 'ENOENT']],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
