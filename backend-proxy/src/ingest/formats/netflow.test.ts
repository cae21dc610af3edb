import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFlowExportDecoder } from './netflow.js';
import { readPcapUdp } from './pcap.js';
import { fixtureBytes, NOW } from './test-fixtures.js';

const counts = (r: { rows: unknown[]; errors: unknown[]; skipped: number }) => [r.rows.length, r.errors.length, r.skipped];

function replay(path: string) {
  const decoder = createFlowExportDecoder({ nowMs: NOW, source: path });
  let datagrams = 0;
  for (const d of readPcapUdp(fixtureBytes(path))) {
    decoder.decode(d.payload, { ip: d.srcIp, port: d.srcPort }, d.packet);
    datagrams++;
  }
  return { result: decoder.end(), stats: decoder.stats(), datagrams };
}

test('NetFlow v5: 4 datagrams × 30 records', () => {
  const { result, datagrams } = replay('netflow/graylog-nfv5-netgraph-4pkts-30records.pcap');
  assert.equal(datagrams, 4);
  assert.deepEqual(counts(result), [120, 0, 0]);
  const first = result.rows[0];
  assert.deepEqual([first.srcIp, first.dstIp, first.srcPort, first.dstPort, first.protocol, first.packets, first.bytes], ['202.12.27.33', '91.64.55.126', 53, 51647, 17, 1, 752]);
  assert.deepEqual([first.sourceType, first.resource, first.flows, first.initiated], ['netflow', '192.168.1.3', 0, false]);
  // Start = export time − (sysUptime − First), computed here from the datagram's own bytes.
  const payload = [...readPcapUdp(fixtureBytes('netflow/graylog-nfv5-netgraph-4pkts-30records.pcap'))][0].payload;
  const exportMs = payload.readUInt32BE(8) * 1000 + Math.floor(payload.readUInt32BE(12) / 1e6);
  assert.equal(first.startMs, exportMs - (payload.readUInt32BE(4) - payload.readUInt32BE(24 + 24)));
  assert.equal(first.endMs, exportMs - (payload.readUInt32BE(4) - payload.readUInt32BE(24 + 28)));
  assert.equal(result.rows.reduce((s, r) => s + r.packets, 0), 19355);
});

test('NetFlow v9: templates, options and data; two data flowsets in one datagram', () => {
  const { result, stats } = replay('netflow/graylog-nfv9-templates-options-then-data-9pkts.pcap');
  assert.deepEqual(counts(result), [21, 0, 0]);
  assert.deepEqual([stats.templates, stats.optionsRecords, stats.dataRecords], [3, 1, 21]);
  // Template 2048 carries IPv6 flows.
  assert.equal(result.rows.filter((r) => r.srcIp.includes(':')).length, 2);
  assert.equal(result.rows.reduce((s, r) => s + r.bytes, 0), 7302);
});

test('NetFlow v5 and v9 mixed on one port, two v9 exporters with the same source id', () => {
  const { result, stats } = replay('netflow/graylog-mixed-nfv5-nfv9-multi-exporter.pcap');
  assert.deepEqual(counts(result), [152, 0, 0]);
  assert.equal(stats.templates, 6);
  assert.equal(result.rows.filter((r) => r.resource === '172.17.0.5').length, 1);
  assert.equal(result.rows.filter((r) => r.resource === '172.17.0.1').length, 151);
});

test('NetFlow v9: a data set before its own template in the same datagram still decodes', () => {
  const { result, stats } = replay('netflow/akvorado-nfv9-data-set-before-template-same-packet.pcap');
  assert.deepEqual(counts(result), [21, 0, 0]);
  assert.equal(stats.optionsRecords, 1);
  const syn = result.rows[1];
  assert.deepEqual([syn.srcIp, syn.dstIp, syn.dstPort, syn.protocol, syn.tcpFlags, syn.flows, syn.initiated], ['120.120.210.6', '120.120.185.250', 3125, 6, 2, 1, true]);
});

test('IPFIX: two observation domains, template then data', () => {
  const { result, stats } = replay('ipfix/pmacct-ipfix-cisco-two-domains-template-then-data.pcap');
  assert.deepEqual(counts(result), [12, 0, 0]);
  assert.equal(stats.templates, 2);
  assert.ok(result.rows.every((r) => r.sourceType === 'ipfix' && r.resource === '138.187.0.13'));
  assert.equal(result.rows.filter((r) => r.srcIp.includes(':')).length, 4);
  assert.deepEqual([result.rows[0].srcIp, result.rows[0].dstIp, result.rows[0].packets, result.rows[0].bytes], ['10.231.65.56', '10.192.12.213', 2, 220]);
});

test('IPFIX: template, options and data in one message; IPv6 flows with MPLS', () => {
  const { result } = replay('ipfix/akvorado-ipfix-mpls-template-options-data-one-message.pcap');
  assert.deepEqual(counts(result), [2, 0, 0]);
  const r = result.rows[1];
  assert.deepEqual([r.srcIp, r.dstIp, r.srcPort, r.dstPort, r.protocol, r.packets, r.bytes, r.direction], ['fd00::1:0:1:7:1', 'fd00::1:0:1:6:1', 49153, 862, 17, 10, 890, 'outbound']);
});

test('IPFIX over Linux SLL / IPv6: source port change keeps templates, never-seen templates reported', () => {
  const { result, stats } = replay('ipfix/pmacct-ipfix-cisco-sll-options-missing-templates.pcap');
  assert.deepEqual(counts(result), [9, 4, 0]);
  assert.equal(stats.optionsRecords, 76);
  assert.deepEqual(result.errors.map((e) => [e.record, e.field, /no template (\d+)/.exec(e.reason)?.[1]]), [[11, 'template', '341'], [11, 'template', '313'], [11, 'template', '348'], [21, 'template', '342']]);
  assert.ok(result.rows.every((r) => r.resource === '2001:db8:90::1'));
  assert.equal(result.rows[0].mac, '30:fb:b8:e6:67:b1');
});

/** A minimal IPFIX message builder for the cases no capture shows. */
function ipfix(domain: number, exportSecs: number, sets: Buffer[]): Buffer {
  const body = Buffer.concat(sets);
  const h = Buffer.alloc(16);
  h.writeUInt16BE(10, 0);
  h.writeUInt16BE(16 + body.length, 2);
  h.writeUInt32BE(exportSecs, 4);
  h.writeUInt32BE(domain, 12);
  return Buffer.concat([h, body]);
}
function set(id: number, content: Buffer): Buffer {
  const h = Buffer.alloc(4);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(4 + content.length, 2);
  return Buffer.concat([h, content]);
}
// Template 300: srcIPv6(27,16) dstIPv6(28,16) srcPort(7,2) dstPort(11,2) protocol(4,1) octets(1,8) packets(2,8) flowStartMilliseconds(152,8)
// plus RFC 5103 reverse octets / packets (enterprise 29305).
function template(): Buffer {
  const fields: number[][] = [[27, 16], [28, 16], [7, 2], [11, 2], [4, 1], [1, 8], [2, 8], [152, 8]];
  const parts = [Buffer.from([0x01, 0x2c, 0, fields.length + 2])];
  for (const [id, len] of fields) parts.push(Buffer.from([id >> 8, id & 255, len >> 8, len & 255]));
  for (const id of [1, 2]) {
    const f = Buffer.alloc(8);
    f.writeUInt16BE(0x8000 | id, 0);
    f.writeUInt16BE(8, 2);
    f.writeUInt32BE(29305, 4);
    parts.push(f);
  }
  return Buffer.concat(parts);
}
function record(startMs: number, revPackets: number): Buffer {
  const b = Buffer.alloc(16 + 16 + 2 + 2 + 1 + 8 + 8 + 8 + 8 + 8);
  Buffer.from('20010db8000000000000000000000001', 'hex').copy(b, 0);
  Buffer.from('20010db8000000000000000000000002', 'hex').copy(b, 16);
  b.writeUInt16BE(50000, 32);
  b.writeUInt16BE(22, 34);
  b[36] = 6;
  b.writeBigUInt64BE(4000n, 37);
  b.writeBigUInt64BE(40n, 45);
  b.writeBigUInt64BE(BigInt(startMs), 53);
  b.writeBigUInt64BE(9000n, 61);
  b.writeBigUInt64BE(BigInt(revPackets), 69);
  return b;
}

test('IPFIX: data before its template in an earlier datagram waits; biflow gives two rows; scope is per exporter', () => {
  const start = Date.UTC(2026, 0, 1);
  const decoder = createFlowExportDecoder({ nowMs: NOW });
  const exportSecs = start / 1000 + 60;
  decoder.decode(ipfix(7, exportSecs, [set(300, record(start, 30))]), { ip: '192.0.2.1' }, 1);
  assert.deepEqual(counts(decoder.take()), [0, 0, 0]);
  assert.equal(decoder.stats().pendingSets, 1);
  // Same domain from another exporter: its data must not use 192.0.2.1's template.
  decoder.decode(ipfix(7, exportSecs, [set(300, record(start, 0))]), { ip: '192.0.2.99' }, 2);
  decoder.decode(ipfix(7, exportSecs, [set(2, template())]), { ip: '192.0.2.1' }, 3);
  const r = decoder.take();
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual(r.rows.map((x) => [x.srcIp, x.dstIp, x.srcPort, x.dstPort, x.packets, x.bytes, x.flows, x.initiated]), [
    ['2001:db8::1', '2001:db8::2', 50000, 22, 40, 4000, 1, true],
    ['2001:db8::2', '2001:db8::1', 22, 50000, 30, 9000, 0, false],
  ]);
  assert.equal(r.rows[0].startMs, start);
  const last = decoder.end();
  assert.deepEqual(last.errors.map((e) => [e.record, e.field]), [[2, 'template']]);
  assert.match(last.errors[0].reason, /192\.0\.2\.99/);
});

test('bad datagrams and 1970 / future flow times are reported, not thrown', () => {
  const decoder = createFlowExportDecoder({ nowMs: NOW, source: 'udp' });
  decoder.decode(Buffer.from([0, 7, 0, 0]), { ip: '192.0.2.1' }, 1);
  decoder.decode(Buffer.from([0, 5]), { ip: '192.0.2.1' }, 2);
  const v5 = Buffer.alloc(24);
  v5.writeUInt16BE(5, 0);
  v5.writeUInt16BE(3, 2);
  decoder.decode(v5, { ip: '192.0.2.1' }, 3);
  decoder.decode(ipfix(1, 10, [set(2, template()), set(300, record(0, 0)), set(300, record(NOW + 7 * 86400000, 0))]), { ip: '192.0.2.1' }, 4);
  const r = decoder.end();
  assert.deepEqual(counts(r), [0, 5, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.tuple ?? null, e.field]), [[1, null, 'version'], [2, null, 'header'], [3, null, 'count'], [4, 1, 'flowStart'], [4, 1, 'flowStart']]);
  assert.match(r.errors[3].reason, /before 2000/);
  assert.match(r.errors[4].reason, /future/);
  assert.equal(r.errors[0].source, 'udp');
});
