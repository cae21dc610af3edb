import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAzureVnet, parseAzureVnetDocument } from './azure-vnet.js';
import { fixtureText, NOW } from './test-fixtures.js';
import { JsonBodyError } from '../json-body.js';

const opts = { nowMs: NOW, source: 'PT1H.json' };
const counts = (r: { rows: unknown[]; errors: unknown[]; skipped: number }) => [r.rows.length, r.errors.length, r.skipped];
const TARGET = '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet-a/subnets/snet-b';

function blob(tuples: string[][], extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    records: [
      {
        time: '2026-01-01T00:00:00Z',
        flowLogVersion: 4,
        macAddress: '00224871C205',
        category: 'FlowLogFlowEvent',
        targetResourceID: TARGET,
        flowRecords: { flows: [{ aclID: 'acl-1', flowGroups: tuples.map((t, i) => ({ rule: `rule-${i + 1}`, flowTuples: t })) }] },
        ...extra,
      },
    ],
  });
}

test('fixture: multi-ACL blob, ms timestamps, numeric protocol, NX, zero counters on B and D', () => {
  const r = parseAzureVnet(fixtureText('azure-vnet/elastic-vnet-v4-records-multi-acl.json'), opts);
  // 5 B rows + 5 E tuples × 2 directions + 9 D rows: 24 rows from 19 tuples, each tuple accepted once.
  assert.deepEqual(counts(r), [24, 0, 0]);
  assert.equal(r.accepted, 19);
  assert.equal(r.duplicates, 0);
  // The E tuples close flows whose B is in the blob: nothing to check against earlier blobs.
  assert.deepEqual(r.continuations, []);
  const [b, eFwd, eRev] = r.rows;
  assert.deepEqual([b.flowState, b.flows, b.packets, b.bytes, b.initiated], ['B', 1, 0, 0, true]);
  assert.deepEqual([b.startMs, b.srcIp, b.dstIp, b.srcPort, b.dstPort, b.protocol], [1663146003599, '10.0.0.6', '52.239.184.180', 23956, 443, 6]);
  assert.deepEqual([b.direction, b.action, b.encryption, b.rule, b.mac, b.sourceType], ['outbound', 'allow', 'NX', 'DefaultRule_AllowInternetOutBound', '00224871C205', 'azure-vnet']);
  assert.deepEqual([b.resource, b.account, b.vpc, b.resourceGroup], ['myVNet', '00000000-0000-0000-0000-000000000000', 'myVNet', 'myResourceGroup']);
  // E after its B: forward counters, no new flow; reverse row from the responder.
  assert.deepEqual([eFwd.flowState, eFwd.packets, eFwd.bytes, eFwd.flows, eFwd.initiated], ['E', 3, 767, 0, true]);
  assert.deepEqual([eRev.srcIp, eRev.dstIp, eRev.srcPort, eRev.dstPort, eRev.packets, eRev.bytes, eRev.flows, eRev.initiated], ['52.239.184.180', '10.0.0.6', 443, 23956, 2, 1580, 0, false]);
  const denies = r.rows.filter((x) => x.flowState === 'D');
  assert.equal(denies.length, 9);
  assert.ok(denies.every((x) => x.action === 'deny' && x.direction === 'inbound' && x.flows === 1 && x.packets === 0));
  assert.deepEqual([denies[0].srcIp, denies[0].dstPort, denies[0].rule], ['101.33.218.153', 22, 'BlockHighRiskTCPPortsFromInternet']);
  assert.equal(r.rows.reduce((s, x) => s + x.flows, 0), 14);
});

test('timestamps in seconds and in milliseconds give the same time', () => {
  const r = parseAzureVnet(blob([['1700000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X,,,,', '1700000000000,10.0.0.4,10.0.0.6,40000,443,6,O,B,X,0,0,0,0']]), opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual(r.rows.map((x) => x.startMs), [1700000000000, 1700000000000]);
  assert.deepEqual([r.rows[0].encryption, r.rows[0].subnet, r.rows[0].account, r.rows[0].resource, r.rows[0].resourceGroup], ['X', 'snet-b', 'sub-1', 'snet-b', 'rg']);
});

test('C/E whose B is not in the blob opens the flow; empty counters on B; zero-reverse skipped', () => {
  const r = parseAzureVnet(blob([['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,C,X,5,500,0,0', '1700000001000,10.0.0.4,10.0.0.5,40000,443,6,O,E,X,0,0,0,0']]), opts);
  // C: forward row (flows 1, no B seen), no reverse (0 packets). E with nothing: skipped.
  assert.deepEqual(counts(r), [1, 0, 1]);
  assert.equal(r.accepted, 1);
  assert.deepEqual([r.rows[0].flows, r.rows[0].packets, r.rows[0].bytes], [1, 5, 500]);
  // That C opened the flow only because its B is not in this blob: the service checks earlier blobs.
  assert.deepEqual(r.continuations, [0]);
});

test('IPv6 tuple', () => {
  const r = parseAzureVnet(blob([['1700000000000,2001:db8::4,2001:db8::5,40000,22,6,I,E,NX_HW_NOT_SUPPORTED,4,400,3,300']]), opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].dstIp, r.rows[1].srcIp, r.rows[0].encryption], ['2001:db8::4', '2001:db8::5', '2001:db8::5', 'NX_HW_NOT_SUPPORTED']);
});

test('bad tuples are rejected with record, tuple, field and raw; good ones of the same group kept', () => {
  const r = parseAzureVnet(
    blob([
      ['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X,0,0,0,0', '1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X', '1700000000000,10.0.0.4,10.0.0.500,40000,443,6,O,B,X,0,0,0,0'],
      ['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,Q,X,0,0,0,0', '1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,E,X,-1,0,0,0', '4102444800000,10.0.0.4,10.0.0.5,1,2,6,O,B,X,0,0,0,0', '0,10.0.0.4,10.0.0.5,1,2,6,O,B,X,0,0,0,0'],
    ]),
    opts,
  );
  assert.deepEqual(counts(r), [1, 6, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.tuple, e.field]), [[1, 2, 'flowTuples'], [1, 3, 'dstIp'], [1, 4, 'state'], [1, 5, 'packetsForward'], [1, 6, 'timestamp'], [1, 7, 'timestamp']]);
  // The raw text is a one-tuple copy of the record: replayable on its own once fixed.
  const raw = JSON.parse(r.errors[0].raw!);
  assert.deepEqual(raw.flowRecords.flows[0].flowGroups[0], { rule: 'rule-1', flowTuples: ['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X'] });
  assert.equal(raw.targetResourceID, TARGET);
  assert.equal(raw.flowRecords.flows[0].aclID, 'acl-1');
  assert.equal(r.errors[0].source, 'PT1H.json');
  assert.match(r.errors[4].reason, /future/);
  assert.match(r.errors[5].reason, /before 2000/);
});

test('malformed records are rejected, others kept; single-record objects and NDJSON accepted', () => {
  const good = JSON.parse(blob([['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X,0,0,0,0']])).records[0];
  const doc = { records: [good, { flowRecords: {} }, { ...good, flowLogVersion: 3 }] };
  const r = parseAzureVnetDocument(doc, opts);
  assert.deepEqual(counts(r), [1, 2, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[2, 'flowRecords.flows'], [3, 'flowLogVersion']]);
  const other = JSON.parse(blob([['1700000000000,10.0.0.4,10.0.0.7,40000,443,6,O,B,X,0,0,0,0']])).records[0];
  const nd = parseAzureVnet(`${JSON.stringify(good)}\n{oops\n${JSON.stringify(other)}\n`, opts);
  assert.deepEqual(counts(nd), [2, 1, 0]);
  assert.equal(nd.accepted, 2);
  assert.equal(nd.errors[0].record, 2);
  // Nothing readable: the body is refused as a whole (HTTP 400) with the byte offset.
  assert.throws(() => parseAzureVnet('{"records":[', opts), (err: unknown) => err instanceof JsonBodyError && err.offset === 12);
});

test('a record met before (repeated in the body, or stored from an earlier read of the grown blob) is not parsed again', () => {
  const doc = JSON.parse(blob([['1700000000000,10.0.0.4,10.0.0.5,40000,443,6,O,B,X,,,,', '1700000060000,10.0.0.4,10.0.0.5,40000,443,6,O,C,X,3,300,2,200']]));
  const first = doc.records[0];
  const second = { ...first, time: '2026-01-01T00:01:00Z', flowRecords: { flows: [{ aclID: 'acl-1', flowGroups: [{ rule: 'rule-1', flowTuples: ['1700000120000,10.0.0.4,10.0.0.5,40000,443,6,O,E,X,1,100,1,100'] }] }] } };
  // The same record twice in one body: stored once, its tuples counted as duplicates.
  const repeated = parseAzureVnetDocument({ records: [first, first] }, opts);
  assert.deepEqual([repeated.accepted, repeated.duplicates, repeated.rows.length], [2, 2, 3]);
  assert.equal(repeated.newRecords.length, 1);
  // The blob grew by one record: read again with the first read's fingerprints, only the new one is parsed.
  const grown = parseAzureVnetDocument({ records: [first, second] }, { ...opts, knownRecords: new Set(repeated.newRecords) });
  assert.deepEqual([grown.accepted, grown.duplicates, grown.rows.length], [1, 2, 2]);
  assert.equal(grown.newRecords.length, 1);
  assert.notEqual(grown.newRecords[0], repeated.newRecords[0]);
  // Its E tuple's flow began in the part read before: it opens here and is left to the service's check.
  assert.deepEqual([grown.rows[0].flowState, grown.rows[0].flows], ['E', 1]);
  assert.deepEqual(grown.continuations, [0]);
});

test('records one per line (Event Hubs): a line cut short is rejected, the records on the lines after it are kept', () => {
  const record = (dst: string) => JSON.stringify(JSON.parse(blob([[`1700000000000,10.0.0.4,${dst},40000,443,6,O,B,X,0,0,0,0`]])).records[0]);
  // The cut line left a bracket open: every later line was read as part of it, and lost.
  const r = parseAzureVnet(`${record('10.0.0.5')}\n${record('10.0.0.6').replace(/"\].*$/, '"]')}\n${record('10.0.0.7')}\n`, opts);
  assert.deepEqual(counts(r), [2, 1, 0]);
  assert.deepEqual(r.rows.map((row) => row.dstIp), ['10.0.0.5', '10.0.0.7']);
  assert.equal(r.errors[0]!.record, 2);
  assert.match(r.errors[0]!.reason, /line 2\): the record does not end on its line/);
});
