// A tiny reader for classic libpcap files (not pcapng): yields the UDP datagrams they hold, so
// NetFlow / IPFIX exports captured with tcpdump can be replayed through the decoders.
import { ipv4Text, ipv6Text } from './ip-bytes.js';

export interface UdpDatagram {
  /** 1-based packet number in the capture. */
  packet: number;
  timeMs: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  payload: Buffer;
}

const LINKTYPE_ETHERNET = 1;
const LINKTYPE_RAW = 101;
const LINKTYPE_LINUX_SLL = 113;

/** Every UDP datagram over IPv4 or IPv6 in the capture; other packets are passed over. */
export function* readPcapUdp(file: Buffer): Generator<UdpDatagram> {
  if (file.length < 24) throw new Error('not a pcap file: shorter than its 24-byte header');
  const magic = file.readUInt32LE(0);
  let le: boolean;
  let nano = false;
  if (magic === 0xa1b2c3d4 || magic === 0xa1b23c4d) le = true;
  else if (magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1) le = false;
  else throw new Error(`not a classic pcap file (magic 0x${magic.toString(16)})`);
  if (magic === 0xa1b23c4d || magic === 0x4d3cb2a1) nano = true;
  const u32 = (o: number) => (le ? file.readUInt32LE(o) : file.readUInt32BE(o));
  const linkType = u32(20) & 0x0fffffff;
  let offset = 24;
  let packet = 0;
  while (offset + 16 <= file.length) {
    const sec = u32(offset);
    const frac = u32(offset + 4);
    const caplen = u32(offset + 8);
    offset += 16;
    if (offset + caplen > file.length) return; // truncated capture: stop at the last whole packet
    packet++;
    const frame = file.subarray(offset, offset + caplen);
    offset += caplen;
    const timeMs = sec * 1000 + Math.floor(nano ? frac / 1e6 : frac / 1e3);
    const ip = ipPayload(frame, linkType);
    if (!ip) continue;
    const udp = udpOf(ip.bytes, ip.version);
    if (udp) yield { packet, timeMs, ...udp };
  }
}

function ipPayload(frame: Buffer, linkType: number): { bytes: Buffer; version: number } | null {
  let etherType: number;
  let at: number;
  if (linkType === LINKTYPE_ETHERNET) {
    if (frame.length < 14) return null;
    etherType = frame.readUInt16BE(12);
    at = 14;
    while ((etherType === 0x8100 || etherType === 0x88a8) && frame.length >= at + 4) {
      etherType = frame.readUInt16BE(at + 2);
      at += 4;
    }
  } else if (linkType === LINKTYPE_LINUX_SLL) {
    if (frame.length < 16) return null;
    etherType = frame.readUInt16BE(14);
    at = 16;
  } else if (linkType === LINKTYPE_RAW) {
    at = 0;
    etherType = frame.length > 0 && frame[0] >> 4 === 6 ? 0x86dd : 0x0800;
  } else {
    return null;
  }
  if (etherType === 0x0800) return { bytes: frame.subarray(at), version: 4 };
  if (etherType === 0x86dd) return { bytes: frame.subarray(at), version: 6 };
  return null;
}

function udpOf(ip: Buffer, version: number): Omit<UdpDatagram, 'packet' | 'timeMs'> | null {
  let at: number;
  let srcIp: string;
  let dstIp: string;
  if (version === 4) {
    if (ip.length < 20 || ip[9] !== 17) return null;
    // Fragments other than the first carry no UDP header.
    if ((ip.readUInt16BE(6) & 0x1fff) !== 0) return null;
    at = (ip[0] & 0x0f) * 4;
    srcIp = ipv4Text(ip, 12);
    dstIp = ipv4Text(ip, 16);
  } else {
    if (ip.length < 40 || ip[6] !== 17) return null;
    at = 40;
    srcIp = ipv6Text(ip, 8);
    dstIp = ipv6Text(ip, 24);
  }
  if (ip.length < at + 8) return null;
  const udpLength = ip.readUInt16BE(at + 4);
  const end = Math.min(ip.length, at + (udpLength >= 8 ? udpLength : ip.length - at));
  return { srcIp, srcPort: ip.readUInt16BE(at), dstIp, dstPort: ip.readUInt16BE(at + 2), payload: ip.subarray(at + 8, end) };
}
