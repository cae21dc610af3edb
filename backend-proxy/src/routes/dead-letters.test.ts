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

  const nsg = await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'azure-nsg' } });
  assert.equal(nsg.statusCode, 400);
  assert.equal(nsg.json().field, 'format');
});
