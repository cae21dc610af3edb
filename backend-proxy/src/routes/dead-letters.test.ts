import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

test('rejected lines are kept with their reason and replay once the format is known', async () => {
  const start = Math.floor(Date.now() / 1000) - 3600;
  const format = 'version srcaddr dstaddr srcport dstport protocol packets bytes start end action';
  const lines = [0, 1, 2].map((i) => `2 10.30.1.${i + 1} 10.10.5.20 4000${i} 3306 6 10 ${1000 + i} ${start} ${start + 60} ACCEPT`).join('\n');
  const first = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=custom.log', payload: lines, headers: { 'content-type': 'text/plain' } });
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual([first.json().accepted, first.json().rejected], [0, 3]);

  const listed = await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters?source=custom.log' });
  const letters = listed.json().deadLetters;
  assert.equal(letters.length, 3);
  assert.deepEqual(letters.map((d: { record: number }) => d.record), [1, 2, 3]);
  assert.ok(letters.every((d: { replayable: boolean; raw: string; reason: string }) => d.replayable && d.raw.startsWith('2 10.30.1.') && d.reason.length > 0));

  const replay = await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'aws-vpc', source: 'custom.log', awsFormat: format } });
  assert.equal(replay.statusCode, 200, replay.body);
  assert.deepEqual([replay.json().replayed, replay.json().accepted, replay.json().rejected], [3, 3, 0]);
  const stored = await t.db.pool.query("SELECT sum(bytes)::int AS b FROM flows WHERE dst_ip = '10.10.5.20'");
  assert.equal(stored.rows[0].b, 3003);
  const left = await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters?source=custom.log' });
  assert.equal(left.json().deadLetters.length, 0, 'replayed letters are no longer pending');

  const unknown = await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'nope' } });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().field, 'format');
});

test('a rejected NSG tuple is kept with its record, fixed by hand and replayed; a body break is listed but not replayable', async () => {
  const ts = Math.floor(Date.now() / 1000) - 1800;
  const record = (tuples: string[]) => ({
    time: new Date(ts * 1000).toISOString(),
    resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/DB-NSG',
    properties: { Version: 2, flows: [{ rule: 'AllowSql', flows: [{ mac: '000D3A000002', flowTuples: tuples }] }] },
  });
  const good = `${ts},10.30.1.9,10.10.5.21,41000,1433,T,I,A,B,,,,`;
  const typo = `${ts},10.30.1.9,10.10.5.21,41001,1433,TCP,I,A,B,,,,`;
  // A blob cut short after its first record: the record is kept, the cut reported (not replayable).
  const text = `{"records":[${JSON.stringify(record([good, typo]))},{"time":`;
  const first = await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=db/PT1H.json', payload: text, headers: { 'content-type': 'application/json' } });
  assert.equal(first.statusCode, 200, first.body);
  assert.deepEqual([first.json().accepted, first.json().rejected], [1, 2]);

  const listed = (await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters?source=db/PT1H.json' })).json().deadLetters;
  assert.deepEqual(listed.map((d: { record: number; tuple: number | null; field: string | null; replayable: boolean }) => [d.record, d.tuple, d.field, d.replayable]), [[1, 2, 'protocol', true], [2, null, null, false]]);
  assert.match(listed[1].reason, /truncated/);

  const fixedRaw = listed[0].raw.replace('41001,1433,TCP', '41001,1433,T');
  const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/dead-letters/${listed[0].id}`, payload: { raw: fixedRaw } });
  assert.equal(patch.statusCode, 200, patch.body);
  assert.equal(patch.json().replayable, true);
  const missing = await t.app.inject({ method: 'PATCH', url: '/api/v1/dead-letters/999999', payload: { raw: 'x' } });
  assert.equal(missing.statusCode, 404);

  const replay = await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'azure-nsg', source: 'db/PT1H.json' } });
  assert.equal(replay.statusCode, 200, replay.body);
  assert.deepEqual([replay.json().replayed, replay.json().accepted, replay.json().rejected, replay.json().notReplayable], [1, 1, 0, 1]);
  const stored = await t.db.pool.query("SELECT count(*)::int AS n, min(resource) AS nsg, min(rule) AS rule FROM flows WHERE dst_ip = '10.10.5.21' AND dst_port = 1433");
  assert.deepEqual(stored.rows[0], { n: 2, nsg: 'DB-NSG', rule: 'AllowSql' }, 'the replayed tuple keeps its NSG and rule');
});
