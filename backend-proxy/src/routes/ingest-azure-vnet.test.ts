// Azure VNet flow logs through the HTTP route and into the database: tuples counted as accepted,
// grown PT1H.json append blobs read again, connections spanning two hourly blobs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { readFixture } from '../test-support/fixtures.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const count = (sql: string, params: unknown[] = []): Promise<number> => t.count(sql, params);

async function send(source: string, body: unknown) {
  const response = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-vnet?source=${encodeURIComponent(source)}`, payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  assert.equal(response.statusCode, 200, response.body);
  return response.json();
}

const TARGET = '/subscriptions/sub-9/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-app';

/** One VNet record of the given tuples (one flow, one rule). */
function record(time: string, tuples: string[]) {
  return {
    time,
    flowLogVersion: 4,
    macAddress: '00224871C205',
    category: 'FlowLogFlowEvent',
    targetResourceID: TARGET,
    flowRecords: { flows: [{ aclID: 'acl-1', flowGroups: [{ rule: 'AllowWeb', flowTuples: tuples }] }] },
  };
}

// Whole minutes, two hours back: inside the continuation window and never "in the future".
const T0 = Math.floor((Date.now() - 2 * 3600_000) / 60_000) * 60_000;
const at = (minutes: number) => T0 + minutes * 60_000;
const iso = (minutes: number) => new Date(at(minutes)).toISOString();

test('the public VNet fixture: accepted counts its 19 tuples, not its 24 rows', async () => {
  const r = await send('azure-vnet/elastic-vnet-v4-records-multi-acl.json', readFixture('azure-vnet/elastic-vnet-v4-records-multi-acl.json'));
  assert.deepEqual([r.accepted, r.rejected, r.skipped, r.rows], [19, 0, 0, 24]);
  assert.equal(await count('SELECT count(*) FROM flows WHERE ingest_id = $1', [r.ingestId]), 24);
  assert.equal(await count('SELECT accepted FROM ingest_batches WHERE id = $1', [r.ingestId]), 19);
});

test('a grown PT1H.json append blob read again adds only its new records', async () => {
  const first = record(iso(0), [`${at(0)},10.50.1.4,10.50.2.5,40001,443,6,O,B,X,,,,`, `${at(1)},10.50.1.4,10.50.2.5,40001,443,6,O,C,X,4,400,3,300`]);
  const second = record(iso(2), [`${at(2)},10.50.1.4,10.50.2.5,40001,443,6,O,E,X,2,200,1,100`, `${at(2)},10.50.1.4,10.50.2.6,40002,22,6,O,D,X,,,,`]);
  const source = 'flowLogResourceID=/x/y=00/m=00/PT1H.json';
  const a = await send(source, { records: [first] });
  assert.deepEqual([a.accepted, a.skipped, a.rows, a.alreadyIngested], [2, 0, 3, false]);
  // An hour later the blob holds both records: only the second is stored, the first counted as skipped.
  const b = await send(source, { records: [first, second] });
  assert.deepEqual([b.accepted, b.skipped, b.rows, b.alreadyIngested], [2, 2, 3, false]);
  assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '10.50.1.4' OR dst_ip = '10.50.1.4'"), 6);
  assert.equal(await count("SELECT sum(bytes) FROM flows WHERE src_ip = '10.50.1.4' AND dst_ip = '10.50.2.5'"), 600);
  // The connection opened by the B of the first read is counted once; the denied attempt once.
  assert.equal(await count("SELECT sum(flows) FROM flows WHERE src_ip = '10.50.1.4'"), 2);
  // The very same grown blob once more: the whole object is known.
  const c = await send(source, { records: [first, second] });
  assert.deepEqual([c.alreadyIngested, c.rows], [true, 0]);
  assert.equal(await count('SELECT count(*) FROM ingest_records WHERE source = $1', [source]), 2);
});

test('a connection whose tuples span two hourly blobs is counted once', async () => {
  const hour1 = record(iso(0), [`${at(0)},10.60.1.4,10.60.2.5,41000,5432,6,O,B,X,,,,`, `${at(50)},10.60.1.4,10.60.2.5,41000,5432,6,O,C,X,10,1000,8,800`]);
  const hour2 = record(iso(60), [`${at(60)},10.60.1.4,10.60.2.5,41000,5432,6,O,C,X,5,500,4,400`, `${at(70)},10.60.1.4,10.60.2.5,41000,5432,6,O,E,X,1,100,1,100`]);
  // A connection seen for the first time in the second hour is a new one and counts.
  const fresh = record(iso(61), [`${at(61)},10.60.1.4,10.60.2.9,41001,5432,6,O,C,X,5,500,4,400`]);
  await send('vnet/h=00/PT1H.json', { records: [hour1] });
  const r = await send('vnet/h=01/PT1H.json', { records: [hour2, fresh] });
  assert.deepEqual([r.accepted, r.rows], [3, 6]);
  assert.equal(await count("SELECT sum(flows) FROM flows WHERE src_ip = '10.60.1.4' AND dst_ip = '10.60.2.5'"), 1);
  assert.equal(await count("SELECT sum(bytes) FROM flows WHERE src_ip = '10.60.1.4' AND dst_ip = '10.60.2.5'"), 1600);
  assert.equal(await count("SELECT sum(flows) FROM flows WHERE src_ip = '10.60.1.4' AND dst_ip = '10.60.2.9'"), 1);
});
