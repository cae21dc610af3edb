import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPcapUdp } from './pcap.js';
import { ipv6Text } from './ip-bytes.js';
import { fixtureBytes } from './test-fixtures.js';

/** Big-endian classic pcap, Ethernet: one VLAN-tagged IPv4/UDP packet, one TCP packet, then a cut-off packet. */
function capture(): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32BE(0xa1b2c3d4, 0);
  header.writeUInt16BE(2, 4);
  header.writeUInt16BE(4, 6);
  header.writeUInt32BE(65535, 16);
  header.writeUInt32BE(1, 20);
  const ip = (proto: number, payload: Buffer) => {
    const h = Buffer.alloc(20);
    h[0] = 0x45;
    h.writeUInt16BE(20 + payload.length, 2);
    h[9] = proto;
    Buffer.from([192, 0, 2, 1, 198, 51, 100, 2]).copy(h, 12);
    return Buffer.concat([h, payload]);
  };
  const udp = Buffer.alloc(8 + 3);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(2055, 2);
  udp.writeUInt16BE(11, 4);
  Buffer.from('abc').copy(udp, 8);
  const eth = (etherTypes: number[], body: Buffer) => {
    const e = Buffer.alloc(12 + etherTypes.length * 4 - (etherTypes.length > 1 ? 2 : 0) + 2);
    let at = 12;
    etherTypes.forEach((t, i) => {
      e.writeUInt16BE(t, at);
      at += i < etherTypes.length - 1 ? 4 : 2;
    });
    return Buffer.concat([e.subarray(0, at), body]);
  };
  const rec = (frame: Buffer, sec: number, captured = frame.length) => {
    const h = Buffer.alloc(16);
    h.writeUInt32BE(sec, 0);
    h.writeUInt32BE(500000, 4);
    h.writeUInt32BE(frame.length, 8);
    h.writeUInt32BE(frame.length, 12);
    return Buffer.concat([h, frame.subarray(0, captured)]);
  };
  const vlanUdp = eth([0x8100, 0x0800], ip(17, udp));
  const tcp = eth([0x0800], ip(6, Buffer.alloc(20)));
  return Buffer.concat([header, rec(vlanUdp, 1700000000), rec(tcp, 1700000001), rec(vlanUdp, 1700000002, 10)]);
}

test('big-endian pcap, VLAN tag, non-UDP skipped, truncated last packet ignored', () => {
  const out = [...readPcapUdp(capture())];
  assert.equal(out.length, 1);
  assert.deepEqual({ ...out[0], payload: out[0].payload.toString() }, { packet: 1, timeMs: 1700000000500, srcIp: '192.0.2.1', srcPort: 40000, dstIp: '198.51.100.2', dstPort: 2055, payload: 'abc' });
});

test('Linux SLL capture over IPv6 and not-a-pcap input', () => {
  const out = [...readPcapUdp(fixtureBytes('ipfix/pmacct-ipfix-cisco-sll-options-missing-templates.pcap'))];
  assert.equal(out.length, 21);
  assert.deepEqual([out[0].srcIp, out[0].dstPort, out[0].payload.readUInt16BE(0)], ['2001:db8:90::1', 9991, 10]);
  assert.throws(() => [...readPcapUdp(Buffer.from('hello, this is not a capture file'))], /not a classic pcap/);
});

test('IPv6 text is RFC 5952 compressed', () => {
  const hex = (h: string) => Buffer.from(h, 'hex');
  assert.equal(ipv6Text(hex('20010db8000000000000000000000001'), 0), '2001:db8::1');
  assert.equal(ipv6Text(hex('20010db8000100000000000100000001'), 0), '2001:db8:1::1:0:1');
  assert.equal(ipv6Text(hex('00000000000000000000000000000000'), 0), '::');
  assert.equal(ipv6Text(hex('20010db8000100010001000100010001'), 0), '2001:db8:1:1:1:1:1:1');
});
