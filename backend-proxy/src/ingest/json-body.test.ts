import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonBodyError, parseJsonDocuments } from './json-body.js';
import { jsonErrorPosition } from './json-error-position.js';

test('the position of the first JSON syntax error, whatever V8 says', () => {
  const cases: [string, number | null][] = [
    ['{"a": [1, 2]}', null],
    ['{"records": [}', 13],
    ['{"a": 1,, }', 8],
    ['{"a": tru}', 6],
    ['[1, 2', 5],
    ['{"a": "x\\q"}', 9],
    ['{"a": 1} x', 9],
    ['', 0],
  ];
  for (const [text, want] of cases) assert.equal(jsonErrorPosition(text), want, text);
});

test('NDJSON bodies parse line by line and a bad line is named', () => {
  assert.deepEqual(parseJsonDocuments('{"a":1}\n{"a":2}\n'), [{ a: 1 }, { a: 2 }]);
  assert.throws(
    () => parseJsonDocuments('{"a":1}\n{"a":}\n'),
    (err: unknown) => err instanceof JsonBodyError && err.line === 2 && err.offset === 13,
  );
});
