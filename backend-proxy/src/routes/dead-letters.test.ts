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

test('an AWS dead letter keeps the header it was read with: a custom-order line replays in that order, an explicit format still overrides', async () => {
  const start = Math.floor(Date.now() / 1000) - 3600;
  // A custom field order (S3 header line): destination first, so the default order would swap the ends.
  const header = 'dstaddr srcaddr dstport srcport protocol bytes packets start end action log-status';
  const ingest = (source: string, lines: string[]) => t.app.inject({ method: 'POST', url: `/api/v1/ingest/aws-vpc?source=${source}`, payload: [header, ...lines].join('\n'), headers: { 'content-type': 'text/plain' } });
  const pending = async (source: string) => (await t.app.inject({ method: 'GET', url: `/api/v1/dead-letters?source=${source}` })).json().deadLetters;
  const first = await ingest('custom-order.log', [
    `10.10.7.20 10.30.7.1 5432 40001 6 5000 50 ${start} ${start + 60} ACCEPT OK`,
    // A start in 1970: rejected, to be corrected by hand.
    `10.10.7.20 10.30.7.2 5432 40002 6 7000 70 0 ${start + 60} ACCEPT OK`,
  ]);
  assert.deepEqual([first.json().accepted, first.json().rejected], [1, 1]);
  const [letter] = await pending('custom-order.log');
  assert.deepEqual([letter.record, letter.field, letter.record_format], [3, 'start', header]);
  await t.app.inject({ method: 'PATCH', url: `/api/v1/dead-letters/${letter.id}`, payload: { raw: letter.raw.replace(' 0 ', ` ${start} `) } });
  // Replayed without a format: read with its stored header, so the ends and counters land right.
  const replay = (await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'aws-vpc', source: 'custom-order.log' } })).json();
  assert.deepEqual([replay.replayed, replay.accepted, replay.rejected], [1, 1, 0]);
  const stored = await t.db.pool.query("SELECT host(src_ip) AS src, host(dst_ip) AS dst, src_port, dst_port, bytes::int, packets::int FROM flows WHERE src_ip = '10.30.7.2'");
  assert.deepEqual(stored.rows, [{ src: '10.30.7.2', dst: '10.10.7.20', src_port: 40002, dst_port: 5432, bytes: 7000, packets: 70 }]);

  // A letter rewritten by hand in another order: the explicit format given to replay wins over the stored header.
  await ingest('custom-order-2.log', [`10.10.7.20 10.30.7.3 5432 40003 6 9000 90 0 ${start + 60} ACCEPT OK`]);
  const [second] = await pending('custom-order-2.log');
  assert.equal(second.record_format, header);
  await t.app.inject({ method: 'PATCH', url: `/api/v1/dead-letters/${second.id}`, payload: { raw: `10.30.7.3 10.10.7.20 40003 5432 6 90 9000 ${start} ${start + 60} ACCEPT OK` } });
  const otherOrder = 'srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status';
  const explicit = (await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'aws-vpc', source: 'custom-order-2.log', awsFormat: otherOrder } })).json();
  assert.deepEqual([explicit.replayed, explicit.accepted, explicit.rejected], [1, 1, 0]);
  const third = await t.db.pool.query("SELECT host(dst_ip) AS dst, dst_port, bytes::int, packets::int FROM flows WHERE src_ip = '10.30.7.3'");
  assert.deepEqual(third.rows, [{ dst: '10.10.7.20', dst_port: 5432, bytes: 9000, packets: 90 }]);
});

test('a letter rejected again by a replay keeps its source, record and tuple, so it can be listed, fixed and replayed again', async () => {
  // The fresh letter was filed under the replay's own source (replay:<source>:<ms>) at its line in
  // the replay body: `dead-letters --source` no longer showed it and `replay --source` never retried it.
  const start = Math.floor(Date.now() / 1000) - 3600;
  const line = (i: number, port: string) => `2 123456789012 eni-1 10.30.9.${i} 10.10.9.1 40000 ${port} 6 1 100 ${start} ${start + 60} ACCEPT OK`;
  await t.app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=again.log', payload: [line(1, '443'), line(2, '99999'), line(3, 'x')].join('\n'), headers: { 'content-type': 'text/plain' } });
  const replay = (await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'aws-vpc', source: 'again.log' } })).json();
  assert.deepEqual([replay.replayed, replay.accepted, replay.rejected], [2, 0, 2]);
  assert.deepEqual(replay.errors.map((e: { source: string; record: number; field: string }) => [e.source, e.record, e.field]), [['again.log', 2, 'dstport'], ['again.log', 3, 'dstport']]);
  const pending = (await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters?source=again.log' })).json().deadLetters;
  assert.deepEqual(pending.map((d: { record: number; field: string }) => [d.record, d.field]), [[2, 'dstport'], [3, 'dstport']]);
  const again = (await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'aws-vpc', source: 'again.log' } })).json();
  assert.equal(again.replayed, 2);

  // An NSG tuple keeps its record and tuple number too.
  const ts = start;
  const record = { resourceId: '/X/NETWORKSECURITYGROUPS/AGAIN', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${ts},10.30.9.9,10.10.9.1,1,2,T,I,A,B,,,,`, `${ts},10.30.9.9,10.10.9.1,1,2,X,I,A,B,,,,`] }] }] } };
  await t.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg?source=again/PT1H.json', payload: JSON.stringify({ records: [record] }), headers: { 'content-type': 'application/json' } });
  await t.app.inject({ method: 'POST', url: '/api/v1/dead-letters/replay', payload: { format: 'azure-nsg', source: 'again/PT1H.json' } });
  const nsg = (await t.app.inject({ method: 'GET', url: '/api/v1/dead-letters?source=again/PT1H.json' })).json().deadLetters;
  assert.deepEqual(nsg.map((d: { record: number; tuple: number; field: string }) => [d.record, d.tuple, d.field]), [[1, 2, 'protocol']]);
});
