// Azure VNet flow logs (flowLogVersion 4, category FlowLogFlowEvent):
// records[] → flowRecords.flows[] (aclID) → flowGroups[] (rule) → flowTuples[] of 13 fields
// `time,src,dst,sport,dport,protocol,I/O,B/C/E/D,encryption,pktsFwd,bytesFwd,pktsRev,bytesRev`.
import type { FlowRecord, ParseResult } from '../../model/flow-row.js';
import { looksLikeNdjson, splitLines } from './lines.js';
import { ResultBuilder, azureIdPart, epochToMs, ipFamily, parseCount, parseIntIn, str, timeProblem, type ParseOptions } from './common.js';

export type AzureVnetOptions = ParseOptions;

/** Per-blob memory of the flows whose B (begin) tuple was seen, so their C/E tuples are not counted again. */
export type VnetFlowMemory = Set<string>;

/**
 * One JSON document: a PT1H.json blob (`{"records":[…]}`) or a single record object (as event
 * streams deliver them). Record numbers in errors are 1-based indices into records[]; tuple
 * numbers are 1-based positions inside the record (counted across all flows and flowGroups).
 * Pass the same `seen` set to several documents of one blob so a B tuple and its E tuple in
 * different documents are still recognised as one flow.
 */
export function parseAzureVnetDocument(doc: unknown, options: AzureVnetOptions = {}, seen: VnetFlowMemory = new Set(), firstRecordNo = 1): ParseResult {
  const out = new ResultBuilder(options.source);
  const nowMs = options.nowMs ?? Date.now();
  const obj = doc as { records?: unknown };
  const records: unknown[] = obj && typeof obj === 'object' && Array.isArray(obj.records) ? obj.records : [doc];
  records.forEach((record, i) => parseRecord(record, firstRecordNo + i, out, nowMs, seen));
  return out.take();
}

interface VnetRecord {
  flowLogVersion?: unknown;
  macAddress?: unknown;
  targetResourceID?: unknown;
  flowLogResourceID?: unknown;
  flowRecords?: { flows?: unknown };
}

function parseRecord(value: unknown, recordNo: number, out: ResultBuilder, nowMs: number, seen: VnetFlowMemory): void {
  const record = value as VnetRecord;
  if (!record || typeof record !== 'object' || !record.flowRecords || !Array.isArray(record.flowRecords.flows)) {
    out.reject({ record: recordNo, field: 'flowRecords.flows', reason: 'not a VNet flow-log record (no flowRecords.flows array)', raw: JSON.stringify(value) ?? '' });
    return;
  }
  if (record.flowLogVersion !== undefined && record.flowLogVersion !== 4 && record.flowLogVersion !== '4') {
    out.reject({ record: recordNo, field: 'flowLogVersion', reason: `unsupported flowLogVersion ${JSON.stringify(record.flowLogVersion)} (4 expected)`, raw: JSON.stringify(value) });
    return;
  }
  const target = str(record.targetResourceID) ?? undefined;
  const meta = {
    resource: target ? (target.split('/').filter(Boolean).pop() ?? null) : null,
    account: azureIdPart(target, 'subscriptions') ?? azureIdPart(str(record.flowLogResourceID) ?? undefined, 'subscriptions'),
    vpc: azureIdPart(target, 'virtualnetworks'),
    subnet: azureIdPart(target, 'subnets'),
    instance: azureIdPart(target, 'networkinterfaces'),
    mac: str(record.macAddress),
  };
  let tupleNo = 0;
  for (const flow of record.flowRecords.flows as { flowGroups?: unknown }[]) {
    const groups = flow && Array.isArray(flow.flowGroups) ? (flow.flowGroups as { rule?: unknown; flowTuples?: unknown }[]) : null;
    if (!groups) {
      out.reject({ record: recordNo, field: 'flowGroups', reason: 'flow entry has no flowGroups array', raw: JSON.stringify(flow) ?? '' });
      continue;
    }
    for (const group of groups) {
      const tuples = group && Array.isArray(group.flowTuples) ? group.flowTuples : null;
      if (!tuples) {
        out.reject({ record: recordNo, field: 'flowTuples', reason: 'flowGroup has no flowTuples array', raw: JSON.stringify(group) ?? '' });
        continue;
      }
      const rule = str(group.rule);
      for (const tuple of tuples) {
        tupleNo++;
        parseTuple(tuple, recordNo, tupleNo, rule, meta, out, nowMs, seen);
      }
    }
  }
}

type Meta = Pick<FlowRecord, 'resource' | 'account' | 'vpc' | 'subnet' | 'instance' | 'mac'>;

function parseTuple(tuple: unknown, record: number, tupleNo: number, rule: string | null, meta: Meta, out: ResultBuilder, nowMs: number, seen: VnetFlowMemory): void {
  const raw = typeof tuple === 'string' ? tuple : (JSON.stringify(tuple) ?? '');
  const bad = (field: string, reason: string) => out.reject({ record, tuple: tupleNo, field, reason, raw });
  if (typeof tuple !== 'string') return bad('flowTuples', 'tuple is not a string');
  const f = tuple.split(',');
  if (f.length !== 13) return bad('flowTuples', `${f.length} fields, a VNet tuple has 13`);
  const [ts, src, dst, sport, dport, proto, dir, state, encryption, pf, bf, pr, br] = f;

  const time = parseIntIn(ts, 0, 1e15);
  if (time === null) return bad('timestamp', `not an epoch time: ${ts}`);
  // Both units occur in the wild: milliseconds (documented) and seconds.
  const ms = epochToMs(time);
  const timeIssue = timeProblem(ms, nowMs);
  if (timeIssue) return bad('timestamp', timeIssue);
  const srcFamily = ipFamily(src);
  const dstFamily = ipFamily(dst);
  if (!srcFamily) return bad('srcIp', `not an IP address: ${src}`);
  if (!dstFamily) return bad('dstIp', `not an IP address: ${dst}`);
  if (srcFamily !== dstFamily) return bad('dstIp', `source ${src} and destination ${dst} are different address families`);
  const srcPort = sport === '' ? null : parseIntIn(sport, 0, 65535);
  const dstPort = dport === '' ? null : parseIntIn(dport, 0, 65535);
  if (srcPort === null && sport !== '') return bad('srcPort', `not a port: ${sport}`);
  if (dstPort === null && dport !== '') return bad('dstPort', `not a port: ${dport}`);
  // Numeric in v4; tolerate the NSG letters too.
  const protocol = proto === 'T' ? 6 : proto === 'U' ? 17 : parseIntIn(proto, 0, 255);
  if (protocol === null) return bad('protocol', `not a protocol number: ${proto}`);
  if (dir !== 'I' && dir !== 'O') return bad('direction', `not I or O: ${dir}`);
  if (state !== 'B' && state !== 'C' && state !== 'E' && state !== 'D') return bad('state', `not B, C, E or D: ${state}`);
  // Counters are empty or zero on B and D tuples.
  const counts = [pf, bf, pr, br].map((v) => (v === '' ? 0 : parseCount(v)));
  const names = ['packetsForward', 'bytesForward', 'packetsReverse', 'bytesReverse'];
  const badCount = counts.findIndex((c) => c === null);
  if (badCount !== -1) return bad(names[badCount], `not a count: ${[pf, bf, pr, br][badCount]}`);
  const [packetsFwd, bytesFwd, packetsRev, bytesRev] = counts as number[];

  // A connection is counted on its B tuple, or on its first C/E tuple when the B was not in this blob.
  const key = `${src}|${dst}|${sport}|${dport}|${protocol}`;
  let opens: boolean;
  if (state === 'B' || state === 'D') {
    opens = true;
    if (state === 'B') seen.add(key);
  } else {
    opens = !seen.has(key);
    if (opens) seen.add(key);
    if (state === 'E') seen.delete(key);
  }
  const base = {
    startMs: ms,
    endMs: ms,
    protocol,
    direction: dir === 'I' ? ('inbound' as const) : ('outbound' as const),
    action: state === 'D' ? ('deny' as const) : ('allow' as const),
    flowState: state,
    sourceType: 'azure-vnet',
    rule,
    tcpFlags: null,
    encryption: encryption === '' ? null : encryption,
    cloudRegion: null,
    ...meta,
  };
  if (opens || packetsFwd > 0) {
    out.rows.push({ ...base, srcIp: src, dstIp: dst, srcPort, dstPort, packets: packetsFwd, bytes: bytesFwd, flows: opens ? 1 : 0, initiated: true });
  }
  if (packetsRev > 0) {
    out.rows.push({ ...base, srcIp: dst, dstIp: src, srcPort: dstPort, dstPort: srcPort, packets: packetsRev, bytes: bytesRev, flows: 0, initiated: false });
  }
  if (!opens && packetsFwd === 0 && packetsRev === 0) out.skipped++;
}

/**
 * Whole-body convenience: one JSON document, or one record object per line (NDJSON). Invalid
 * JSON is reported with its line (NDJSON) or as record 0 with the parser's message (blob).
 */
export function parseAzureVnet(text: string, options: AzureVnetOptions = {}): ParseResult {
  const seen: VnetFlowMemory = new Set();
  try {
    return parseAzureVnetDocument(JSON.parse(text), options, seen);
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
    if (!looksLikeNdjson(text)) {
      const out = new ResultBuilder(options.source);
      out.reject({ record: 0, reason: `invalid JSON: ${err.message}`, raw: text });
      return out.take();
    }
  }
  const total: ParseResult = { rows: [], errors: [], skipped: 0 };
  const out = new ResultBuilder(options.source);
  let lineNo = 0;
  for (const line of splitLines(text)) {
    lineNo++;
    if (line.trim() === '') continue;
    let doc: unknown;
    try {
      doc = JSON.parse(line);
    } catch (e) {
      out.reject({ record: lineNo, reason: `invalid JSON: ${(e as Error).message}`, raw: line });
      continue;
    }
    const part = parseAzureVnetDocument(doc, options, seen, lineNo);
    total.rows.push(...part.rows);
    total.errors.push(...part.errors);
    total.skipped += part.skipped;
  }
  total.errors.push(...out.take().errors);
  return total;
}
