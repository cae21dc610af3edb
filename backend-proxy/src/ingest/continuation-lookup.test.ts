import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestApp, type TestApp } from '../test-support/app.js';
import type { FlowRecord } from '../model/flow-row.js';
import { continuationLookup, PROBE_SETTINGS } from './continuation-lookup.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

const HOUR = 3600_000;

function tuple(src: string, dst: string, srcPort: number, startMs: number): FlowRecord {
  return {
    startMs, endMs: startMs, srcIp: src, dstIp: dst, srcPort, dstPort: 443, protocol: 6, direction: 'inbound', action: 'allow',
    flowState: 'E', packets: 1, bytes: 100, flows: 1, initiated: true, sourceType: 'azure-nsg', resource: 'WEB-NSG',
    resourceGroup: null, rule: null, mac: null, tcpFlags: null, encryption: null, account: null, vpc: null, subnet: null, instance: null, cloudRegion: null,
  };
}

test('the probe walks the index of the side with more distinct addresses', () => {
  const inbound = [tuple('10.1.0.1', '10.9.0.4', 40000, 0), tuple('10.1.0.2', '10.9.0.4', 40001, 0)];
  const outbound = [tuple('10.9.0.4', '10.1.0.1', 40000, 0), tuple('10.9.0.4', '10.1.0.2', 40001, 0)];
  assert.equal(continuationLookup(inbound, [0, 1], HOUR).probedBy, 'src_ip');
  assert.equal(continuationLookup(outbound, [0, 1], HOUR).probedBy, 'dst_ip');
  // The other address is still compared, where no index can take it.
  assert.match(continuationLookup(inbound, [0, 1], HOUR).text, /f\.src_ip = k\.src AND \(f\.dst_ip = k\.dst\) IS TRUE/);
  assert.match(continuationLookup(outbound, [0, 1], HOUR).text, /f\.dst_ip = k\.dst AND \(f\.src_ip = k\.src\) IS TRUE/);
});

test('inside an ingest transaction, each candidate reads only its own connection\'s rows (one busy server: 270 s on the embedded database before)', async () => {
  // 6,000 connections from different clients to one server, stored in the transaction as a big
  // blob's earlier batches would be, with the table's statistics from before it (never analyzed).
  const base = Date.now() - 2 * HOUR;
  const stored = Array.from({ length: 6000 }, (_, i) => tuple(`10.20.${i >> 8}.${i & 255}`, '10.10.1.4', 20000 + (i % 1000), base));
  const later = stored.map((r) => ({ ...r, startMs: base + 60_000 }));
  // Half of them come back from an earlier body; the other half are new connections (other ports).
  const candidates = later.map((r, i) => (i % 2 ? { ...r, srcPort: 50000 + i } : r));
  const insert = (rows: FlowRecord[]) =>
    `INSERT INTO flows (time, time_end, src_ip, dst_ip, src_port, dst_port, protocol, direction, action, flow_state, packets, bytes, flows, initiated, source_type, resource)
       SELECT t, t, s, d, sp, 443, 6, 'inbound', 'allow', 'B', 1, 100, 1, true, 'azure-nsg', 'WEB-NSG'
       FROM unnest($1::timestamptz[], $2::inet[], $3::inet[], $4::int[]) AS x(t, s, d, sp)`;
  const values = (rows: FlowRecord[]) => [rows.map((r) => new Date(r.startMs).toISOString()), rows.map((r) => r.srcIp), rows.map((r) => r.dstIp), rows.map((r) => r.srcPort)];
  // An earlier import left a few rows in the same hour (its chunk exists, as in a live estate).
  const earlier = [tuple('192.0.2.1', '10.10.1.4', 1, base), tuple('192.0.2.2', '10.10.1.4', 2, base)];
  await t.db.pool.query(insert(earlier), values(earlier));
  const client = await t.db.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(insert(stored), values(stored));
    await client.query(PROBE_SETTINGS);
    const indices = candidates.map((_, i) => i);
    const lookup = continuationLookup(candidates, indices, 2 * HOUR);
    const found = await client.query<{ i: number }>(lookup.text, lookup.values);
    assert.deepEqual(found.rows.map((r) => r.i).sort((a, b) => a - b), indices.filter((i) => i % 2 === 0), 'the continued half, and only it');
    const plan = await client.query<{ 'QUERY PLAN': unknown }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${lookup.text}`, lookup.values);
    const scans = planNodes((plan.rows[0]!['QUERY PLAN'] as [{ Plan: PlanNode }])[0].Plan).filter((n) => /Scan/.test(n['Node Type'] ?? '') && !/Custom|Function/.test(n['Node Type'] ?? ''));
    assert.ok(scans.length > 0, 'the plan reads flows');
    for (const scan of scans) assert.match(String(scan['Index Name']), /src_ip/, `probes by the clients' addresses: ${JSON.stringify(scan)}`);
    // Counted, not timed: the rows every probe read, over all candidates. Walking the server's
    // index (or materializing the window) read its 6,000 rows per candidate, 36 million in all.
    const read = scans.reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1) + (n['Rows Removed by Filter'] ?? 0) * (n['Actual Loops'] ?? 1), 0);
    assert.ok(read <= candidates.length * 2, `rows read by the probes: ${read}`);
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
});

interface PlanNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function planNodes(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(planNodes)];
}
