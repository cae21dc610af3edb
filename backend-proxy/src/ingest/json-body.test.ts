import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonErrorIndex } from './json-body.js';
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

test('the error index comes from V8 when it says, from the scan when it does not', () => {
  for (const text of ['{"a": 1,, }', '{"a": tru}', '[1, 2', '{"records": [}']) {
    let error: Error | null = null;
    try {
      JSON.parse(text);
    } catch (err) {
      error = err as Error;
    }
    assert.equal(jsonErrorIndex(text, error!), jsonErrorPosition(text), text);
  }
});
