// NetFlow v5, NetFlow v9 and IPFIX (v10) decoding from UDP payloads, with template state.
//
// Template scope: exporter IP address + version + source id (v9) / observation domain (IPFIX).
// The exporter's UDP source port is deliberately NOT part of the scope: exporters change it when
// they reconnect (seen in a Cisco capture) and keep using their templates. Data sets whose
// template is not known yet wait (bounded) until it arrives; within one datagram, templates are
// read before data so a data set placed before its own template still decodes. What never gets
// a template is reported by end().
import type { FlowRecord, ParseResult } from '../../model/flow-row.js';
import { ResultBuilder, timeProblem, windowFlows, type ParseOptions } from './common.js';
import { ipv4Text, ipv6Text } from './ip-bytes.js';

export interface FlowExportOptions extends ParseOptions {
  /** Data sets kept while waiting for their template (all exporters together). Default 10000. */
  pendingLimit?: number;
}

export interface Exporter {
  ip: string;
  port?: number;
}

export interface FlowExportStats {
  datagrams: number;
  templates: number;
  dataRecords: number;
  optionsRecords: number;
  pendingSets: number;
}

interface TemplateField {
  id: number;
  length: number;
  enterprise: number;
}

interface Template {
  fields: TemplateField[];
  /** Options templates describe exporter metadata, not flows. */
  options: boolean;
  /** Fixed record length, or -1 when a field has variable length (IPFIX 65535). */
  fixedLength: number;
}

/** Header facts a data record's times are relative to. */
interface Clock {
  exportMs: number;
  sysUptimeMs: number | null;
}

interface Pending {
  set: Buffer;
  packet: number;
  clock: Clock;
  exporter: string;
}

// IANA IPFIX information elements (NetFlow v9 uses the same numbers for these).
const IE = {
  octetDeltaCount: 1,
  packetDeltaCount: 2,
  protocol: 4,
  tcpFlags: 6,
  srcPort: 7,
  srcIPv4: 8,
  dstPort: 11,
  dstIPv4: 12,
  flowEndSysUpTime: 21,
  flowStartSysUpTime: 22,
  postOctetDeltaCount: 23,
  postPacketDeltaCount: 24,
  srcIPv6: 27,
  dstIPv6: 28,
  srcMac: 56,
  flowDirection: 61,
  octetTotalCount: 85,
  packetTotalCount: 86,
  flowStartSeconds: 150,
  flowEndSeconds: 151,
  flowStartMilliseconds: 152,
  flowEndMilliseconds: 153,
  flowStartMicroseconds: 154,
  flowEndMicroseconds: 155,
  flowStartNanoseconds: 156,
  flowEndNanoseconds: 157,
  flowStartDeltaMicroseconds: 158,
  flowEndDeltaMicroseconds: 159,
  systemInitTimeMilliseconds: 160,
} as const;
/** RFC 5103 reverse information elements (biflows) carry this private enterprise number. */
const REVERSE_PEN = 29305;
const NTP_EPOCH_OFFSET_S = 2208988800;

/** Decoded values of one data record (only the elements FlowAtlas uses). */
interface FlowFields {
  src?: string;
  dst?: string;
  srcPort?: number;
  dstPort?: number;
  protocol?: number;
  tcpFlags?: number;
  bytes?: number;
  packets?: number;
  revBytes?: number;
  revPackets?: number;
  direction?: number;
  mac?: string;
  startMs?: number;
  endMs?: number;
  startUptime?: number;
  endUptime?: number;
  startDeltaUs?: number;
  endDeltaUs?: number;
  initMs?: number;
}

function uint(b: Buffer, at: number, length: number): number {
  switch (length) {
    case 1:
      return b[at];
    case 2:
      return b.readUInt16BE(at);
    case 4:
      return b.readUInt32BE(at);
    case 8:
      return Number(b.readBigUInt64BE(at));
    default: {
      // Reduced-size encoding (RFC 7011 §6.2): any length up to 8 bytes.
      let v = 0;
      for (let i = 0; i < Math.min(length, 8); i++) v = v * 256 + b[at + i];
      return v;
    }
  }
}

function ntpMs(b: Buffer, at: number): number {
  const seconds = b.readUInt32BE(at) - NTP_EPOCH_OFFSET_S;
  return seconds * 1000 + Math.floor((b.readUInt32BE(at + 4) / 2 ** 32) * 1000);
}

function readField(f: TemplateField, b: Buffer, at: number, len: number, out: FlowFields): void {
  if (f.enterprise === REVERSE_PEN) {
    if (f.id === IE.octetDeltaCount || f.id === IE.octetTotalCount) out.revBytes = uint(b, at, len);
    else if (f.id === IE.packetDeltaCount || f.id === IE.packetTotalCount) out.revPackets = uint(b, at, len);
    return;
  }
  if (f.enterprise !== 0) return;
  switch (f.id) {
    case IE.srcIPv4:
      if (len === 4) out.src = ipv4Text(b, at);
      break;
    case IE.dstIPv4:
      if (len === 4) out.dst = ipv4Text(b, at);
      break;
    case IE.srcIPv6:
      if (len === 16) out.src = ipv6Text(b, at);
      break;
    case IE.dstIPv6:
      if (len === 16) out.dst = ipv6Text(b, at);
      break;
    case IE.srcPort:
      out.srcPort = uint(b, at, len);
      break;
    case IE.dstPort:
      out.dstPort = uint(b, at, len);
      break;
    case IE.protocol:
      out.protocol = uint(b, at, len);
      break;
    case IE.tcpFlags:
      // IPFIX may export 2 bytes (header flags + reserved); the classic flags are the low byte.
      out.tcpFlags = uint(b, at, len) & 0xff;
      break;
    case IE.octetDeltaCount:
    case IE.octetTotalCount:
      out.bytes = uint(b, at, len);
      break;
    case IE.postOctetDeltaCount:
      out.bytes ??= uint(b, at, len);
      break;
    case IE.packetDeltaCount:
    case IE.packetTotalCount:
      out.packets = uint(b, at, len);
      break;
    case IE.postPacketDeltaCount:
      out.packets ??= uint(b, at, len);
      break;
    case IE.flowDirection:
      out.direction = uint(b, at, len);
      break;
    case IE.srcMac:
      if (len === 6) out.mac = b.subarray(at, at + 6).toString('hex').replace(/(..)(?!$)/g, '$1:');
      break;
    case IE.flowStartSysUpTime:
      out.startUptime = uint(b, at, len);
      break;
    case IE.flowEndSysUpTime:
      out.endUptime = uint(b, at, len);
      break;
    case IE.flowStartSeconds:
      out.startMs = uint(b, at, len) * 1000;
      break;
    case IE.flowEndSeconds:
      out.endMs = uint(b, at, len) * 1000;
      break;
    case IE.flowStartMilliseconds:
      out.startMs = uint(b, at, len);
      break;
    case IE.flowEndMilliseconds:
      out.endMs = uint(b, at, len);
      break;
    case IE.flowStartMicroseconds:
    case IE.flowStartNanoseconds:
      if (len === 8) out.startMs = ntpMs(b, at);
      break;
    case IE.flowEndMicroseconds:
    case IE.flowEndNanoseconds:
      if (len === 8) out.endMs = ntpMs(b, at);
      break;
    case IE.flowStartDeltaMicroseconds:
      out.startDeltaUs = uint(b, at, len);
      break;
    case IE.flowEndDeltaMicroseconds:
      out.endDeltaUs = uint(b, at, len);
      break;
    case IE.systemInitTimeMilliseconds:
      out.initMs = uint(b, at, len);
      break;
  }
}

/**
 * A stateful decoder for one collector: feed it datagrams in arrival order with their exporter,
 * take() rows whenever convenient. Errors name the datagram number (`record`, 1-based, as passed
 * to decode) and, for record-level problems, the record inside it (`tuple`, 1-based).
 */
export function createFlowExportDecoder(options: FlowExportOptions = {}) {
  const out = new ResultBuilder(options.source);
  const nowMs = options.nowMs ?? Date.now();
  const pendingLimit = options.pendingLimit ?? 10000;
  const templates = new Map<string, Template>();
  const pending = new Map<string, Pending[]>();
  /** IPFIX systemInitTimeMilliseconds per exporter scope (from options data), for sysUpTime times. */
  const initTimes = new Map<string, number>();
  const stats: FlowExportStats = { datagrams: 0, templates: 0, dataRecords: 0, optionsRecords: 0, pendingSets: 0 };
  let pendingCount = 0;

  function decode(payload: Buffer, exporter: Exporter, packet: number): void {
    stats.datagrams++;
    const bad = (reason: string, field = 'header') => out.reject({ record: packet, field, reason, raw: payload.subarray(0, 512).toString('hex') });
    if (payload.length < 4) return bad(`datagram of ${payload.length} bytes is too short for a flow export header`);
    const version = payload.readUInt16BE(0);
    if (version === 5) return decodeV5(payload, exporter, packet, bad);
    if (version === 9) return decodeTemplated(payload, exporter, packet, 9, bad);
    if (version === 10) return decodeTemplated(payload, exporter, packet, 10, bad);
    return bad(`unsupported export version ${version} (5, 9 and 10 are supported)`, 'version');
  }

  function decodeV5(b: Buffer, exporter: Exporter, packet: number, bad: (r: string, f?: string) => void): void {
    if (b.length < 24) return bad('NetFlow v5 header needs 24 bytes');
    const count = b.readUInt16BE(2);
    const sysUptime = b.readUInt32BE(4);
    const exportMs = b.readUInt32BE(8) * 1000 + Math.floor(b.readUInt32BE(12) / 1e6);
    if (b.length < 24 + count * 48) return bad(`NetFlow v5 header announces ${count} records but the datagram holds ${Math.floor((b.length - 24) / 48)}`, 'count');
    for (let i = 0; i < count; i++) {
      const at = 24 + i * 48;
      stats.dataRecords++;
      const f: FlowFields = {
        src: ipv4Text(b, at),
        dst: ipv4Text(b, at + 4),
        packets: b.readUInt32BE(at + 16),
        bytes: b.readUInt32BE(at + 20),
        startUptime: b.readUInt32BE(at + 24),
        endUptime: b.readUInt32BE(at + 28),
        srcPort: b.readUInt16BE(at + 32),
        dstPort: b.readUInt16BE(at + 34),
        tcpFlags: b[at + 37],
        protocol: b[at + 38],
      };
      emit(f, { exportMs, sysUptimeMs: sysUptime }, exporter.ip, 'netflow', packet, i + 1, b.subarray(at, at + 48));
    }
  }

  function decodeTemplated(b: Buffer, exporter: Exporter, packet: number, version: 9 | 10, bad: (r: string, f?: string) => void): void {
    const headerLength = version === 9 ? 20 : 16;
    if (b.length < headerLength) return bad(`${version === 9 ? 'NetFlow v9' : 'IPFIX'} header needs ${headerLength} bytes`);
    const clock: Clock =
      version === 9 ? { exportMs: b.readUInt32BE(8) * 1000, sysUptimeMs: b.readUInt32BE(4) } : { exportMs: b.readUInt32BE(4) * 1000, sysUptimeMs: null };
    const domain = b.readUInt32BE(version === 9 ? 16 : 12);
    const scope = `${exporter.ip}|${version}|${domain}`;
    const end = version === 10 ? Math.min(b.length, b.readUInt16BE(2)) : b.length;
    // Pass 1: templates (so data placed before its template in the same datagram decodes); pass 2: data.
    const sets: { id: number; body: Buffer }[] = [];
    for (let at = headerLength; at + 4 <= end; ) {
      const id = b.readUInt16BE(at);
      const length = b.readUInt16BE(at + 2);
      if (length < 4 || at + length > end) {
        bad(`set ${id} at byte ${at} has length ${length}, past the end of the datagram`, 'set');
        break;
      }
      sets.push({ id, body: b.subarray(at + 4, at + length) });
      at += length;
    }
    const templateSet = version === 9 ? 0 : 2;
    const optionsSet = version === 9 ? 1 : 3;
    for (const s of sets) {
      if (s.id === templateSet) readTemplates(s.body, scope, version, false, packet, bad);
      else if (s.id === optionsSet) readTemplates(s.body, scope, version, true, packet, bad);
    }
    for (const s of sets) {
      if (s.id < 256) continue;
      const key = `${scope}|${s.id}`;
      const template = templates.get(key);
      if (template) decodeDataSet(s.body, template, scope, clock, exporter.ip, version, packet);
      else wait(key, { set: s.body, packet, clock, exporter: exporter.ip });
    }
  }

  function readTemplates(body: Buffer, scope: string, version: 9 | 10, options: boolean, packet: number, bad: (r: string, f?: string) => void): void {
    let at = 0;
    while (at + 4 <= body.length) {
      const id = body.readUInt16BE(at);
      const count = body.readUInt16BE(at + 2);
      if (id < 256) break; // padding
      let fieldCount: number;
      let scopeFields = 0;
      if (options && version === 9) {
        // v9 options template: scope length and option length are in bytes (4 per field).
        scopeFields = count / 4;
        if (at + 6 > body.length) break;
        fieldCount = (count + body.readUInt16BE(at + 4)) / 4;
        at += 6;
      } else if (options) {
        fieldCount = count;
        if (at + 6 > body.length) break;
        at += 6; // IPFIX options template: field count, then scope field count
      } else {
        fieldCount = count;
        at += 4;
      }
      const key = `${scope}|${id}`;
      if (fieldCount === 0) {
        templates.delete(key); // IPFIX template withdrawal
        continue;
      }
      const fields: TemplateField[] = [];
      let fixed = 0;
      for (let i = 0; i < fieldCount; i++) {
        if (at + 4 > body.length) return bad(`template ${id} is cut short`, 'template');
        let fid = body.readUInt16BE(at);
        const length = body.readUInt16BE(at + 2);
        at += 4;
        // v9 scope field types (1 system, 2 interface, …) are not IEs: mark them so they are ignored.
        let enterprise = i < scopeFields ? -1 : 0;
        if (version === 10 && fid & 0x8000) {
          if (at + 4 > body.length) return bad(`template ${id} is cut short`, 'template');
          fid &= 0x7fff;
          enterprise = body.readUInt32BE(at);
          at += 4;
        }
        fields.push({ id: fid, length, enterprise });
        fixed = fixed < 0 || length === 65535 ? -1 : fixed + length;
      }
      templates.set(key, { fields, options, fixedLength: fixed });
      stats.templates++;
      const waiting = pending.get(key);
      if (waiting) {
        pending.delete(key);
        pendingCount -= waiting.length;
        for (const p of waiting) decodeDataSet(p.set, templates.get(key)!, scope, p.clock, p.exporter, version, p.packet);
      }
    }
  }

  function wait(key: string, p: Pending): void {
    if (pendingCount >= pendingLimit) {
      out.reject({ record: p.packet, field: 'template', reason: `no template ${key.split('|').pop()} from exporter ${p.exporter} yet, and ${pendingLimit} data sets already wait`, raw: p.set.subarray(0, 512).toString('hex') });
      return;
    }
    const list = pending.get(key) ?? [];
    list.push(p);
    pending.set(key, list);
    pendingCount++;
  }

  function decodeDataSet(body: Buffer, t: Template, scope: string, clock: Clock, exporterIp: string, version: 9 | 10, packet: number): void {
    let at = 0;
    let index = 0;
    const minLength = t.fixedLength > 0 ? t.fixedLength : 1;
    while (body.length - at >= minLength && (t.fixedLength > 0 || body.length - at >= 4)) {
      const f: FlowFields = {};
      const start = at;
      let ok = true;
      for (const field of t.fields) {
        let len = field.length;
        if (len === 65535) {
          // IPFIX variable length: 1 byte, or 255 + 2 bytes.
          if (at >= body.length) {
            ok = false;
            break;
          }
          len = body[at++];
          if (len === 255) {
            if (at + 2 > body.length) {
              ok = false;
              break;
            }
            len = body.readUInt16BE(at);
            at += 2;
          }
        }
        if (at + len > body.length) {
          ok = false;
          break;
        }
        readField(field, body, at, len, f);
        at += len;
      }
      if (!ok) break; // the rest is padding or a cut record
      index++;
      if (t.options) {
        stats.optionsRecords++;
        if (f.initMs !== undefined) initTimes.set(scope, f.initMs);
        continue;
      }
      stats.dataRecords++;
      if (version === 10 && f.initMs === undefined && initTimes.has(scope)) f.initMs = initTimes.get(scope);
      emit(f, clock, exporterIp, version === 9 ? 'netflow' : 'ipfix', packet, index, body.subarray(start, at));
      if (at === start) break; // zero-length template: avoid looping forever
    }
  }

  function emit(f: FlowFields, clock: Clock, exporterIp: string, sourceType: string, packet: number, index: number, raw: Buffer): void {
    if (!f.src || !f.dst) {
      // Not an IP flow (L2-only or MPLS-only records): counted, not stored.
      out.skipped++;
      return;
    }
    let startMs = f.startMs;
    let endMs = f.endMs;
    if (startMs === undefined && f.startUptime !== undefined) {
      if (clock.sysUptimeMs !== null) startMs = clock.exportMs - (clock.sysUptimeMs - f.startUptime);
      else if (f.initMs !== undefined) startMs = f.initMs + f.startUptime;
    }
    if (endMs === undefined && f.endUptime !== undefined) {
      if (clock.sysUptimeMs !== null) endMs = clock.exportMs - (clock.sysUptimeMs - f.endUptime);
      else if (f.initMs !== undefined) endMs = f.initMs + f.endUptime;
    }
    if (startMs === undefined && f.startDeltaUs !== undefined) startMs = clock.exportMs - Math.floor(f.startDeltaUs / 1000);
    if (endMs === undefined && f.endDeltaUs !== undefined) endMs = clock.exportMs - Math.floor(f.endDeltaUs / 1000);
    // No time in the record at all: the export time is the best we have.
    startMs ??= endMs ?? clock.exportMs;
    endMs ??= startMs;
    if (endMs < startMs) endMs = startMs;
    const problem = timeProblem(startMs, nowMs);
    if (problem) {
      out.reject({ record: packet, tuple: index, field: 'flowStart', reason: problem, raw: raw.toString('hex') });
      return;
    }
    const protocol = f.protocol ?? 0;
    const srcPort = f.srcPort ?? null;
    const dstPort = f.dstPort ?? null;
    const tcpFlags = f.tcpFlags ?? null;
    const biflow = f.revPackets !== undefined || f.revBytes !== undefined;
    const { flows, initiated } = biflow ? { flows: 1, initiated: true } : windowFlows(protocol, tcpFlags, srcPort, dstPort);
    const row: FlowRecord = {
      startMs,
      endMs,
      srcIp: f.src,
      dstIp: f.dst,
      srcPort,
      dstPort,
      protocol,
      direction: f.direction === 0 ? 'inbound' : f.direction === 1 ? 'outbound' : null,
      action: null,
      flowState: null,
      packets: f.packets ?? 0,
      bytes: f.bytes ?? 0,
      flows,
      initiated,
      sourceType,
      resource: exporterIp,
      resourceGroup: null,
      rule: null,
      mac: f.mac ?? null,
      tcpFlags,
      encryption: null,
      account: null,
      vpc: null,
      subnet: null,
      instance: null,
      cloudRegion: null,
    };
    out.rows.push(row);
    // RFC 5103 biflow: the reverse counters are the responder's direction.
    if (biflow && (f.revPackets ?? 0) > 0) {
      out.rows.push({ ...row, srcIp: f.dst, dstIp: f.src, srcPort: dstPort, dstPort: srcPort, packets: f.revPackets ?? 0, bytes: f.revBytes ?? 0, flows: 0, initiated: false });
    }
  }

  return {
    decode,
    take: (): ParseResult => out.take(),
    /** Reports the data sets whose template never arrived, then hands over what is left. */
    end(): ParseResult {
      for (const [key, list] of pending) {
        for (const p of list) {
          out.reject({ record: p.packet, field: 'template', reason: `no template ${key.split('|').pop()} was received from exporter ${p.exporter} (observation domain / source id ${key.split('|')[2]})`, raw: p.set.subarray(0, 512).toString('hex') });
        }
      }
      pending.clear();
      pendingCount = 0;
      return out.take();
    },
    stats: (): FlowExportStats => ({ ...stats, pendingSets: pendingCount }),
  };
}
