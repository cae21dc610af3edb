import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAzureNsg, parseResourceId } from './azure-nsg.js';
import { JsonBodyError } from '../json-body.js';
import { readFixture } from '../../test-support/fixtures.js';

const NOW = Date.UTC(2026, 11, 1);

test('NSG v2 fixture with B, C and E tuples: counts and directional rows', () => {
  const r = parseAzureNsg(readFixture('azure-nsg/elastic-nsg-v2-records-mixed-states.json').toString(), { now: NOW });
  assert.equal(r.tuples, 11);
  assert.equal(r.accepted, 11);
  assert.equal(r.errors.length, 0);
  // 8 B tuples → 8 rows; E 1/66/1/66 → 2 rows; C 30/16978/24/14008 → 2 rows; E 15/8489/12/7054 → 2 rows.
  assert.equal(r.rows.length, 14);
  assert.equal(r.rows.reduce((s, x) => s + x.flows, 0), 11, 'every tuple opens its flow once (no B seen for the C/E ones)');
  const c = r.rows.filter((x) => x.flowState === 'C');
  assert.deepEqual(
    c.map((x) => [x.srcIp, x.dstIp, x.srcPort, x.dstPort, x.packets, x.bytes, x.initiated, x.flows]),
    [
      ['10.5.16.4', '13.67.143.115', 44931, 443, 30, 16978, true, 1],
      ['13.67.143.115', '10.5.16.4', 443, 44931, 24, 14008, false, 0],
    ],
  );
  const first = r.rows[0]!;
  assert.equal(first.startMs, 1542110402 * 1000);
  assert.equal(first.protocol, 17);
  assert.equal(first.direction, 'inbound');
  assert.equal(first.action, 'deny');
  assert.equal(first.rule, 'DefaultRule_DenyAllInBound');
  assert.equal(first.resource, 'FABRIAKMVM1-NSG');
  assert.equal(first.account, '00000000-0000-0000-0000-000000000000');
  assert.equal(first.resourceGroup, 'FABRIKAMRG');
  assert.equal(first.mac, '000D3AF87856');
});

test('NSG v2 single record without the records wrapper', () => {
  const r = parseAzureNsg(readFixture('azure-nsg/elastic-nsg-v2-single-record.json').toString(), { now: NOW });
  assert.equal(r.accepted, 1);
  assert.equal(r.rows.length, 2);
  assert.deepEqual(r.rows.map((x) => [x.srcIp, x.bytes, x.flows]), [['1.128.0.0', 66, 1], ['1.128.0.1', 66, 0]]);
});

test('NSG v1 documentation sample: nested records flattened, repeated records not counted twice', () => {
  const r = parseAzureNsg(readFixture('azure-nsg/msdocs-nsg-v1-sample-with-nested-records.json').toString(), { now: NOW });
  assert.equal(r.tuples, 12);
  assert.equal(r.accepted, 12);
  assert.equal(r.duplicates, 9);
  assert.equal(r.errors.length, 0);
  assert.ok(r.rows.every((x) => x.flows === 1 && x.packets === 0 && x.initiated === true));
  assert.equal(r.rows.filter((x) => x.rule === 'UserRule_default-allow-rdp').length, 8);
});

test('v2 blob with B tuples, empty counters, a malformed tuple and IPv6 keeps every good tuple', () => {
  const blob = {
    records: [
      {
        time: '2026-11-30T10:01:00Z',
        resourceId: '/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/JUMP-NSG',
        properties: {
          Version: 2,
          flows: [
            {
              rule: 'UserRule_ssh',
              flows: [
                {
                  mac: '000D3A000001',
                  flowTuples: [
                    '1764496800,203.0.113.9,10.10.1.4,40000,22,T,I,A,B,,,,',
                    '1764496830,203.0.113.9,10.10.1.4,40000,22,T,I,A,E,5,420,4,380',
                    '1764496840,2001:db8::7,2001:db8::1,50000,443,T,I,A,C,10,1000,0,0',
                    '1764496850,203.0.113.9,10.10.1.4,notaport,22,T,I,A,E,1,1,1,1',
                    '1764496860,203.0.113.9,10.10.1.4,40001,22,T,I,A,E,,,,',
                    '1764496870,203.0.113.9,10.10.1.4,40002,22',
                  ],
                },
              ],
            },
          ],
        },
      },
    ],
  };
  const r = parseAzureNsg(JSON.stringify(blob), { now: NOW, source: 'test.json' });
  assert.equal(r.accepted, 3);
  assert.equal(r.errors.length, 3);
  assert.deepEqual(
    r.errors.map((e) => [e.record, e.tuple, e.field ?? null]),
    [
      [1, 4, 'src_port'],
      [1, 5, 'packets_src_to_dst'],
      [1, 6, 'flowTuples'],
    ],
  );
  assert.match(r.errors[1]!.reason, /empty counter on a E tuple/);
  assert.equal(r.errors[0]!.source, 'test.json');
  // B row (flows 1, no bytes); E forward (flows 0: its B was seen) and reverse; IPv6 C forward only.
  assert.deepEqual(
    r.rows.map((x) => [x.flowState, x.srcIp, x.dstIp, x.packets, x.bytes, x.flows, x.initiated]),
    [
      ['B', '203.0.113.9', '10.10.1.4', 0, 0, 1, true],
      ['E', '203.0.113.9', '10.10.1.4', 5, 420, 0, true],
      ['E', '10.10.1.4', '203.0.113.9', 4, 380, 0, false],
      ['C', '2001:db8::7', '2001:db8::1', 10, 1000, 1, true],
    ],
  );
});

test('times before 2000 or in the future are rejected with the reason', () => {
  const blob = { records: [{ resourceId: 'x/NSG', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: ['86400,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,', `${NOW / 1000 + 3 * 86400},1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,`] }] }] } }] };
  const r = parseAzureNsg(JSON.stringify(blob), { now: NOW });
  assert.equal(r.rows.length, 0);
  assert.match(r.errors[0]!.reason, /before 2000/);
  assert.match(r.errors[1]!.reason, /in the future/);
  // 15 digits of seconds are past what a Date holds: the reason once threw (500 for the whole body).
  const far = parseAzureNsg(JSON.stringify({ records: [{ resourceId: 'x/NSG', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: ['999999999999999,1.2.3.4,5.6.7.8,1,2,T,I,A,B,,,,'] }] }] } }] }), { now: NOW });
  assert.deepEqual(far.errors.map((e) => [e.tuple, e.field, e.reason]), [[1, 'time', 'not a valid time']]);
});

test('malformed JSON reports the byte offset', () => {
  assert.throws(
    () => parseAzureNsg('{"records": [ {"time": "x",, } ]}'),
    (err: unknown) => err instanceof JsonBodyError && err.offset === 27 && /byte offset 27/.test(err.message),
  );
});

test('records that are not NSG records are reported, not thrown', () => {
  const r = parseAzureNsg(JSON.stringify({ records: [42, { properties: { Version: 9, flows: [] } }] }));
  assert.deepEqual(r.errors.map((e) => [e.record, e.field ?? null]), [[1, null], [2, 'properties.Version']]);
});

test('resourceId parsing', () => {
  assert.deepEqual(parseResourceId('/SUBSCRIPTIONS/abc/RESOURCEGROUPS/rg1/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/my-nsg'), { subscription: 'abc', resourceGroup: 'rg1', name: 'my-nsg' });
  assert.deepEqual(parseResourceId(undefined), { subscription: null, resourceGroup: null, name: null });
});

test('a grown append blob adds only the records not seen before', () => {
  const text = readFixture('azure-nsg/elastic-nsg-v2-records-mixed-states.json').toString();
  const doc = JSON.parse(text) as { records: unknown[] };
  const firstHalf = parseAzureNsg(JSON.stringify({ records: doc.records.slice(0, 1) }), { now: NOW });
  assert.equal(firstHalf.newRecords.length, 1);
  const grown = parseAzureNsg(text, { now: NOW, knownRecords: new Set(firstHalf.newRecords) });
  assert.equal(grown.accepted, 4, 'only the second record\'s four tuples');
  assert.equal(grown.duplicates, 7);
  assert.equal(grown.newRecords.length, 1);
});

test('a blob of millions of flows keeps a bounded memory of open flows; denied flows are not remembered at all', async () => {
  const { NsgBodyParser } = await import('./azure-nsg.js');
  const { OPEN_FLOWS } = await import('./common.js');
  const t0 = Math.floor(NOW / 1000) - 3600;
  const tuples = (n: number, state: string, action: string, offset = 0) =>
    Array.from({ length: n }, (_, i) => `${t0 + 1},10.0.${(i + offset) >> 16 & 255}.${(i + offset) >> 8 & 255},203.0.113.${(i + offset) & 255},${40000 + ((i + offset) % 20000)},443,T,O,${action},${state},${state === 'B' ? ',,,' : '1,100,1,60'}`);
  const record = (flowTuples: string[]) => ({ time: '2026-11-30T23:00:00Z', category: 'NetworkSecurityGroupFlowEvent', resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/R/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/NSG', properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: '000D3A000001', flowTuples }] }] } });
  const parser = new NsgBodyParser({ now: NOW });
  // A scan of the internet: 150,000 denied attempts, each one B tuple that never continues.
  parser.value(record(tuples(150_000, 'B', 'D')));
  parser.pump(Infinity);
  assert.equal(parser.take().rows.length, 150_000);
  assert.equal(parser.openFlowCount, 0);
  // 250,000 allowed flows begun and still open: at most two generations are remembered.
  parser.value(record(tuples(250_000, 'B', 'A')));
  parser.pump(Infinity);
  parser.take();
  assert.ok(parser.openFlowCount <= 2 * OPEN_FLOWS, String(parser.openFlowCount));
  // The newest flows continue without being counted again; the oldest (forgotten) one is counted as
  // an opener the service checks against earlier blobs, as a flow begun in an earlier blob is.
  parser.value(record([...tuples(1, 'C', 'A', 249_999), ...tuples(1, 'C', 'A', 0)]));
  parser.pump(Infinity);
  const last = parser.take();
  assert.deepEqual(last.rows.filter((r) => r.initiated).map((r) => r.flows), [0, 1]);
  assert.deepEqual(last.continuations.length, 1);
});

test('a tuple from an IPv4 to an IPv6 address is rejected, as in every other format', () => {
  const ts = NOW / 1000 - 3600;
  const blob = { records: [{ resourceId: 'x/NSG', properties: { Version: 1, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${ts},10.0.0.1,2001:db8::1,1,2,T,I,A`, `${ts},10.0.0.1,10.0.0.2,1,2,T,I,A`] }] }] } }] };
  const r = parseAzureNsg(JSON.stringify(blob), { now: NOW });
  assert.deepEqual(r.errors.map((e) => [e.tuple, e.field, e.reason]), [[1, 'dst_ip', 'source 10.0.0.1 and destination 2001:db8::1 are different address families']]);
  assert.deepEqual(r.rows.map((row) => row.dstIp), ['10.0.0.2']);
});
