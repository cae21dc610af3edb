/**
 * POST /api/v1/filter/validate runs the query's own filterText checks: whatever /api/v1/query
 * rejects in a filter text, validate reports too, with the same message, line and column (so
 * the editor underlines it before anything runs), answered as 200 { ok: false } because a filter
 * that does not pass is the answer, not a failed request.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';

let t: TestApp;

before(async () => {
  t = await openTestApp();
});
after(async () => t.close());

async function validate(filterText: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/filter/validate', payload: { filterText } });
  return { status: r.statusCode, json: r.json() };
}

async function query(filterText: string): Promise<{ status: number; json: Record<string, unknown> }> {
  const to = Date.UTC(2026, 0, 5);
  const r = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: { from: to - 3_600_000, to, mode: 'table', metric: 'flows', filterText } });
  return { status: r.statusCode, json: r.json() };
}

const REJECTED: Array<{ text: string; line: number; column: number; says: RegExp }> = [
  { text: 'bogus_dim = 3', line: 1, column: 1, says: /unknown dimension "bogus_dim"/ },
  { text: 'dst_port = 22 and src_ip cidr 10.0.0/8', line: 1, column: 19, says: /"10\.0\.0\/8" is not an IP address or CIDR prefix/ },
  { text: 'dst_port = 22\n  and dst_port > ssh', line: 2, column: 7, says: /"ssh" is not an integer/ },
  { text: 'src_country like CN and protocol cidr 10.0.0.0/8', line: 1, column: 25, says: /operator cidr does not apply to protocol/ },
  { text: 'dst_port = 22 and src_country in (CN, RU', line: 1, column: 41, says: /expected , or \), found end of filter/ },
  { text: 'action = deny and rule like "Deny\\\\"', line: 1, column: 19, says: /ends with a lone \\ \(the LIKE escape\)/ },
  { text: 'src_ip/24 = 10.1.0.0/16', line: 1, column: 1, says: /is a \/16 prefix, never a src_ip\/24 network/ },
];

for (const { text, line, column, says } of REJECTED) {
  test(`validate reports what the query rejects: ${JSON.stringify(text)}`, async () => {
    const v = await validate(text);
    assert.equal(v.status, 200, JSON.stringify(v.json));
    assert.equal(v.json.ok, false);
    assert.equal(v.json.field, 'filterText');
    assert.deepEqual([v.json.line, v.json.column], [line, column], JSON.stringify(v.json));
    assert.match(String(v.json.message), says);

    const q = await query(text);
    assert.equal(q.status, 400, JSON.stringify(q.json));
    assert.deepEqual([q.json.message, q.json.line, q.json.column], [v.json.message, v.json.line, v.json.column]);
  });
}

test('a filterText that is not a string is rejected by validate as by the query; an absent one is the empty filter', async () => {
  const v = await validate(42);
  assert.deepEqual([v.status, v.json.ok, v.json.field, v.json.message], [200, false, 'filterText', 'filterText: expected a string']);
  const to = Date.UTC(2026, 0, 5);
  const q = await t.app.inject({ method: 'POST', url: '/api/v1/query', payload: { from: to - 3_600_000, to, filterText: 42 } });
  assert.equal(q.statusCode, 400);
  assert.equal(q.json().message, v.json.message);
  const absent = await t.app.inject({ method: 'POST', url: '/api/v1/filter/validate', payload: {} });
  assert.deepEqual(absent.json(), { ok: true, tree: { op: 'and', rules: [] }, text: '' });
});

test('a semantic error still returns the parsed tree (the editor builds its tree from it); a syntax error none', async () => {
  const semantic = await validate('src_ip cidr 10.0.0/8');
  assert.deepEqual(semantic.json.tree, { op: 'and', rules: [{ dimension: 'src_ip', op: 'cidr', values: ['10.0.0/8'] }] });
  const syntax = await validate('src_ip cidr (');
  assert.equal(syntax.json.ok, false);
  assert.equal(syntax.json.tree, undefined);
  assert.ok(Array.isArray(syntax.json.expected), JSON.stringify(syntax.json));
});

test('a filter the query accepts validates, with its tree and canonical text', async () => {
  const v = await validate("dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)");
  assert.equal(v.status, 200);
  assert.equal(v.json.ok, true);
  assert.equal(v.json.text, 'dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)');
  const empty = await validate('');
  assert.deepEqual(empty.json, { ok: true, tree: { op: 'and', rules: [] }, text: '' });
  assert.equal((await query('dst_port = 22')).status, 200);
});
