import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonElementScanner, type JsonElement, type JsonProblem } from './json-scanner.js';

/** Scans `text` cut into chunks of `size` bytes; returns what the sink saw. */
function scan(text: string | Buffer, size = Infinity, keys = ['records'], maxElementBytes = Infinity): { elements: JsonElement[]; problems: JsonProblem[] } {
  const elements: JsonElement[] = [];
  const problems: JsonProblem[] = [];
  const scanner = new JsonElementScanner(new Set(keys), { element: (e) => elements.push(e), problem: (p) => problems.push(p) }, maxElementBytes);
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const step = Math.min(size, bytes.length || 1);
  for (let i = 0; i < bytes.length; i += step) scanner.push(bytes.subarray(i, i + step));
  scanner.end();
  return { elements, problems };
}

const CHUNK_SIZES = [1, 2, 3, 7, 64, Infinity];

test('records of a PT1H.json wrapper come out one by one, with byte offsets and lines, whatever the chunking', () => {
  const records = [{ time: 'a', properties: { flows: [{ rule: 'R}"]', flowTuples: ['1,2,3'] }] } }, { time: 'b\\"{', n: [1, [2, { x: null }]] }, 42, 'text, with ] and }', true];
  const text = `{"records":[\n${records.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
  for (const size of CHUNK_SIZES) {
    const { elements, problems } = scan(text, size);
    assert.deepEqual(problems, [], `chunk ${size}`);
    assert.deepEqual(elements.map((e) => JSON.parse(e.text)), records, `chunk ${size}`);
    assert.deepEqual(elements.map((e) => e.line), [2, 3, 4, 5, 6]);
    for (const e of elements) assert.equal(Buffer.from(text).subarray(e.offset, e.offset + Buffer.byteLength(e.text)).toString(), e.text);
    assert.ok(elements.every((e) => e.item));
  }
});

test('multi-byte characters split across chunks, a byte order mark, escapes in keys', () => {
  const record = { name: 'Zürich – 東京 🚀', path: 'C:\\temp\\"x"' };
  const text = `\uFEFF{"rec\\u006frds": [${JSON.stringify(record)}]}`;
  for (const size of CHUNK_SIZES) {
    const { elements, problems } = scan(text, size);
    assert.deepEqual(problems, []);
    assert.deepEqual(elements.map((e) => JSON.parse(e.text)), [record], `chunk ${size}`);
    assert.equal(elements[0]!.offset, Buffer.byteLength('\uFEFF{"rec\\u006frds": ['));
  }
});

test('other keys of the wrapper are skipped, before and after the stream key; a stream key without an array is just a key', () => {
  const text = JSON.stringify({ kind: { nested: ['[', '{'] }, entries: [{ a: 1 }, { a: 2 }], nextPageToken: 'x]}', more: [1, 2] });
  assert.deepEqual(scan(text, 5, ['entries']).elements.map((e) => JSON.parse(e.text)), [{ a: 1 }, { a: 2 }]);
  const whole = { entries: 'not an array', jsonPayload: { x: 1 } };
  assert.deepEqual(scan(JSON.stringify(whole), 3, ['entries']).elements.map((e) => [JSON.parse(e.text), e.item]), [[whole, false]]);
});

test('a top-level array streams its items; a pretty-printed single object is one element', () => {
  const items = [{ a: [1, 2] }, { b: '}' }];
  assert.deepEqual(scan(JSON.stringify(items, null, 2), 4).elements.map((e) => JSON.parse(e.text)), items);
  const one = { jsonPayload: { connection: { src_ip: '10.0.0.1' } }, records: 3 };
  const { elements } = scan(JSON.stringify(one, null, 2), 4);
  assert.deepEqual(elements.map((e) => [JSON.parse(e.text), e.line, e.item]), [[one, 1, false]]);
});

test('NDJSON and back-to-back documents: each top-level object is an element; a wrapper per line streams its records', () => {
  const text = '{"a":1}\n\n{"b":2}{"c":3}\r\n{"records":[{"d":4},{"e":5}]}\n';
  const { elements, problems } = scan(text, 2);
  assert.deepEqual(problems, []);
  assert.deepEqual(elements.map((e) => [JSON.parse(e.text), e.line]), [[{ a: 1 }, 1], [{ b: 2 }, 3], [{ c: 3 }, 3], [{ d: 4 }, 4], [{ e: 5 }, 4]]);
});

test('a broken NDJSON line is reported and skipped; the lines after it are still read', () => {
  const text = '{"a":1}\n{"b": [1, 2}\nnot json\n{"c": "unterminated\n{"d":4}\n';
  for (const size of [1, 5, Infinity]) {
    const { elements, problems } = scan(text, size);
    assert.deepEqual(elements.map((e) => JSON.parse(e.text)), [{ a: 1 }, { d: 4 }], `chunk ${size}`);
    assert.deepEqual(problems.map((p) => [p.line, p.fatal]), [[2, false], [3, false], [4, false]]);
    assert.equal(problems[0]!.offset, text.indexOf('2}') + 1);
    assert.match(problems[2]!.message, /line break inside a string/);
  }
});

test('a body cut short keeps the complete records before the cut and reports it at the end', () => {
  const text = '{"records":[{"a":1},{"b":2},{"c":';
  const { elements, problems } = scan(text, 3);
  assert.deepEqual(elements.map((e) => JSON.parse(e.text)), [{ a: 1 }, { b: 2 }]);
  assert.deepEqual(problems.map((p) => [p.offset, p.fatal, p.item]), [[text.length, true, true]]);
  assert.match(problems[0]!.message, /truncated/);
});

test('broken structure inside a multi-line document stops reading there; what came before is kept', () => {
  const text = '{\n "records": [\n  {"a": 1},\n  {"b": [2}\n  ,{"c": 3}\n ]\n}';
  const { elements, problems } = scan(text);
  assert.deepEqual(elements.map((e) => JSON.parse(e.text)), [{ a: 1 }]);
  assert.deepEqual(problems.map((p) => [p.line, p.fatal, p.offset]), [[4, true, text.indexOf('2}') + 1]]);
  // Junk after the records array's comma, or where a value should start.
  assert.equal(scan('{"records": [}').problems[0]!.offset, 13);
  assert.match(scan('{"records": [{"a":1} {"b":2}]}').problems[0]!.message, /expected "," or "\]"/);
  assert.match(scan('"just a string"').problems[0]!.message, /expected "\{" or "\[" to start a JSON document/);
});

test('elements are validated by JSON.parse, not the scanner: a bad token inside a record keeps the boundaries', () => {
  const { elements, problems } = scan('{"records": [ {"time": "x",, }, {"ok": true} ]}');
  assert.deepEqual(problems, []);
  assert.deepEqual(elements.map((e) => e.text), ['{"time": "x",, }', '{"ok": true}']);
  assert.equal(elements[0]!.offset, 14);
});

test('one record per line: a line cut short is reported and skipped, the lines after it are read; pretty-printed documents still span lines', () => {
  // The unclosed line went on into the next lines: the records after it were lost (a wrapper line too).
  const text = '{"a":1}\n{"b": [1, 2\n{"c":3}\n{"records":[{"d":4},{"e":\n{"f":6}\n';
  for (const size of [1, 5, Infinity]) {
    const { elements, problems } = scan(text, size);
    assert.deepEqual(elements.map((e) => [JSON.parse(e.text), e.line]), [[{ a: 1 }, 1], [{ c: 3 }, 3], [{ d: 4 }, 4], [{ f: 6 }, 5]], `chunk ${size}`);
    assert.deepEqual(problems.map((p) => [p.line, p.fatal, p.item, p.offset]), [[2, false, false, text.indexOf('2\n') + 1], [4, false, true, text.indexOf('"e":') + 4]], `chunk ${size}`);
    assert.match(problems[0]!.message, /does not end on its line/);
  }
  // The first document of a body may span lines, and so may all of them after it.
  const pretty = '{\n  "a": [1,\n    2]\n}\n{\n  "b": 2\n}\n';
  assert.deepEqual(scan(pretty, 3).elements.map((e) => JSON.parse(e.text)), [{ a: [1, 2] }, { b: 2 }]);
});

test('an element longer than the limit comes back as its size and start only; the records around it as they are', () => {
  const big = { time: 'x'.repeat(200), n: [1, 2, { deep: 'y'.repeat(50) }] };
  const records = [{ a: 1 }, big, { b: 2 }];
  const wrapped = JSON.stringify({ other: 'z'.repeat(300), records });
  const ndjson = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  for (const [text, item] of [[wrapped, true], [ndjson, false]] as const) {
    for (const size of CHUNK_SIZES) {
      const { elements, problems } = scan(text, size, ['records'], 100);
      assert.deepEqual(problems, [], `chunk ${size}`);
      assert.deepEqual(elements.filter((e) => e.oversizedBytes === undefined).map((e) => JSON.parse(e.text)), [{ a: 1 }, { b: 2 }], `chunk ${size}`);
      const [over] = elements.filter((e) => e.oversizedBytes !== undefined);
      assert.equal(over!.oversizedBytes, Buffer.byteLength(JSON.stringify(big)), `chunk ${size}`);
      assert.ok(JSON.stringify(big).startsWith(over!.text) && over!.text.length > 100, `chunk ${size}: ${over!.text.length}`);
      assert.equal(over!.item, item);
      assert.equal(over!.offset, Buffer.byteLength(text.slice(0, text.indexOf('{"time"'))));
    }
  }
});
