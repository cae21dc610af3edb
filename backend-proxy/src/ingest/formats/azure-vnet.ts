// Azure VNet flow logs (flowLogVersion 4, category FlowLogFlowEvent):
// records[] → flowRecords.flows[] (aclID) → flowGroups[] (rule) → flowTuples[] of 13 fields
// `time,src,dst,sport,dport,protocol,I/O,B/C/E/D,encryption,pktsFwd,bytesFwd,pktsRev,bytesRev`.
import type { FlowRecord, ParsedBatch } from '../../model/flow-row.js';
import { readJsonText, type JsonRecordConsumer } from './json-records.js';
import { OPEN_FLOWS, OpenFlows, openFlowKey, ResultBuilder, SeenRecords, WorkQueue, type BodyParser, azureIdPart, epochToMs, ipFamily, parseCount, parseIntIn, str, timeProblem, type ParseOptions } from './common.js';

export interface AzureVnetOptions extends ParseOptions {
  /**
   * Fingerprints of records already stored from this source. Azure appends records to the hour's
   * PT1H.json all hour long; reading the grown blob again must add only the new records.
   */
  knownRecords?: ReadonlySet<string>;
}

/** One batch: rows and errors, with the tuple counts and idempotency facts the ingest service needs. */
export interface VnetParseResult extends ParsedBatch {
  /** Tuples stored (each gave at least one row). Tuples with nothing to store count as skipped. */
  accepted: number;
  /** Tuples of records already seen (earlier in this body, or stored from an earlier read of the blob). */
  duplicates: number;
  /** Fingerprints of the records this batch added (remembered per source). */
  newRecords: string[];
  /** Indices of rows with flows = 1 from a C/E tuple whose B is not in this body (checked against earlier blobs). */
  continuations: number[];
}

/** Per-blob memory of the flows whose B (begin) tuple was seen, so their C/E tuples are not counted again. */
export type VnetFlowMemory = OpenFlows;

/** Keys whose array items are streamed one by one (PT1H.json's wrapper). */
export const VNET_STREAM_KEYS = ['records'];

/**
 * Streaming VNet parser: hand it parsed records (as a JsonRecordConsumer), take batches. Record
 * numbers in errors are 1-based across the whole body (records of a blob, or one per line);
 * tuple numbers are 1-based positions inside the record (counted across all flows and flowGroups).
 */
export class VnetBodyParser implements JsonRecordConsumer, BodyParser {
  private readonly state: VnetState;
  private recordNo = 0;

  constructor(options: AzureVnetOptions = {}) {
    this.state = {
      out: new ResultBuilder(options.source),
      nowMs: options.nowMs ?? Date.now(),
      open: new OpenFlows(OPEN_FLOWS),
      records: new SeenRecords(options.knownRecords),
      accepted: 0,
      duplicates: 0,
      continuations: [],
    };
  }

  get pending(): number {
    return this.state.out.pending;
  }

  take(): VnetParseResult {
    const st = this.state;
    const result: VnetParseResult = { ...st.out.take(), accepted: st.accepted, duplicates: st.duplicates, newRecords: st.records.takeAdded(), continuations: st.continuations };
    st.accepted = 0;
    st.duplicates = 0;
    st.continuations = [];
    return result;
  }

  /** Records are queued and expanded by pump(): a record of 20k tuples must not become 40k rows at once. */
  private readonly work = new WorkQueue();

  pump(limit: number): boolean {
    return this.work.run(this.state.out, limit);
  }

  value(value: unknown): void {
    const wrapped = value && typeof value === 'object' && Array.isArray((value as { records?: unknown }).records);
    if (wrapped) for (const record of (value as { records: unknown[] }).records) this.work.push(parseRecord(record, ++this.recordNo, this.state));
    else this.work.push(parseRecord(value, ++this.recordNo, this.state));
  }

  malformed(reason: string, raw: string | undefined): void {
    const record = ++this.recordNo;
    const out = this.state.out;
    this.work.push(
      (function* () {
        out.reject({ record, reason, raw });
      })(),
    );
  }
}

/** One parsed JSON document (a blob or a single record object). */
export function parseAzureVnetDocument(doc: unknown, options: AzureVnetOptions = {}): VnetParseResult {
  const parser = new VnetBodyParser(options);
  parser.value(doc);
  parser.pump(Infinity);
  return parser.take();
}

interface VnetRecord {
  [key: string]: unknown;
  flowLogVersion?: unknown;
  macAddress?: unknown;
  targetResourceID?: unknown;
  flowLogResourceID?: unknown;
  flowRecords?: { flows?: unknown };
}

/** What one body's parse keeps between records and tuples. */
interface VnetState {
  out: ResultBuilder;
  nowMs: number;
  /** Flows whose B was seen in this body and that have not ended, so their C/E tuples do not count again. */
  open: VnetFlowMemory;
  /** Records met before (stored from this source earlier, or repeated in this body). */
  records: SeenRecords;
  accepted: number;
  duplicates: number;
  continuations: number[];
}

/** Expands one record, yielding after each tuple (see VnetBodyParser.pump). */
function* parseRecord(value: unknown, recordNo: number, st: VnetState): Generator<void> {
  const out = st.out;
  const record = value as VnetRecord;
  if (!record || typeof record !== 'object' || !record.flowRecords || !Array.isArray(record.flowRecords.flows)) {
    out.reject({ record: recordNo, field: 'flowRecords.flows', reason: 'not a VNet flow-log record (no flowRecords.flows array)', raw: JSON.stringify(value) ?? '' });
    return;
  }
  if (record.flowLogVersion !== undefined && record.flowLogVersion !== 4 && record.flowLogVersion !== '4') {
    out.reject({ record: recordNo, field: 'flowLogVersion', reason: `unsupported flowLogVersion ${JSON.stringify(record.flowLogVersion)} (4 expected)`, raw: JSON.stringify(value) });
    return;
  }
  // The same record twice (a grown append blob read again, a record repeated in the body) must not count twice.
  if (st.records.repeat(record)) {
    st.duplicates += countTuples(record.flowRecords.flows as unknown[]);
    return;
  }
  const target = str(record.targetResourceID) ?? undefined;
  const meta = {
    resource: target ? (target.split('/').filter(Boolean).pop() ?? null) : null,
    resourceGroup: azureIdPart(target, 'resourcegroups') ?? azureIdPart(str(record.flowLogResourceID) ?? undefined, 'resourcegroups'),
    account: azureIdPart(target, 'subscriptions') ?? azureIdPart(str(record.flowLogResourceID) ?? undefined, 'subscriptions'),
    vpc: azureIdPart(target, 'virtualnetworks'),
    subnet: azureIdPart(target, 'subnets'),
    instance: azureIdPart(target, 'networkinterfaces'),
    mac: str(record.macAddress),
  };
  let tupleNo = 0;
  for (const flow of record.flowRecords.flows as { aclID?: unknown; flowGroups?: unknown }[]) {
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
        const problem = parseTuple(tuple, rule, meta, st);
        if (problem) out.reject({ record: recordNo, tuple: tupleNo, field: problem[0], reason: problem[1], raw: tupleRecord(record, flow, group, tuple) });
        yield;
      }
    }
  }
}

type Meta = Pick<FlowRecord, 'resource' | 'resourceGroup' | 'account' | 'vpc' | 'subnet' | 'instance' | 'mac'>;

interface Tuple {
  ms: number;
  src: string;
  dst: string;
  srcPort: number | null;
  dstPort: number | null;
  protocol: number;
  dir: string;
  state: string;
  encryption: string | null;
  packetsFwd: number;
  bytesFwd: number;
  packetsRev: number;
  bytesRev: number;
}

const COUNT_NAMES = ['packetsForward', 'bytesForward', 'packetsReverse', 'bytesReverse'];

/** Parses and checks one tuple; returns [field, reason] when it is bad. (No closures: this is the hot loop.) */
function readTuple(tuple: string, nowMs: number): Tuple | [string, string] {
  const f = tuple.split(',');
  if (f.length !== 13) return ['flowTuples', `${f.length} fields, a VNet tuple has 13`];
  const time = parseIntIn(f[0], 0, 1e15);
  if (time === null) return ['timestamp', `not an epoch time: ${f[0]}`];
  // Both units occur in the wild: milliseconds (documented) and seconds.
  const ms = epochToMs(time);
  const timeIssue = timeProblem(ms, nowMs);
  if (timeIssue) return ['timestamp', timeIssue];
  const src = f[1];
  const dst = f[2];
  const srcFamily = ipFamily(src);
  if (!srcFamily) return ['srcIp', `not an IP address: ${src}`];
  const dstFamily = ipFamily(dst);
  if (!dstFamily) return ['dstIp', `not an IP address: ${dst}`];
  if (srcFamily !== dstFamily) return ['dstIp', `source ${src} and destination ${dst} are different address families`];
  const srcPort = f[3] === '' ? null : parseIntIn(f[3], 0, 65535);
  if (srcPort === null && f[3] !== '') return ['srcPort', `not a port: ${f[3]}`];
  const dstPort = f[4] === '' ? null : parseIntIn(f[4], 0, 65535);
  if (dstPort === null && f[4] !== '') return ['dstPort', `not a port: ${f[4]}`];
  // Numeric in v4; tolerate the NSG letters too.
  const proto = f[5];
  const protocol = proto === 'T' ? 6 : proto === 'U' ? 17 : parseIntIn(proto, 0, 255);
  if (protocol === null) return ['protocol', `not a protocol number: ${proto}`];
  const dir = f[6];
  if (dir !== 'I' && dir !== 'O') return ['direction', `not I or O: ${dir}`];
  const state = f[7];
  if (state !== 'B' && state !== 'C' && state !== 'E' && state !== 'D') return ['state', `not B, C, E or D: ${state}`];
  // Counters are empty or zero on B and D tuples.
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const v = f[9 + i];
    const c = v === '' ? 0 : parseCount(v);
    if (c === null) return [COUNT_NAMES[i], `not a count: ${v}`];
    counts[i] = c;
  }
  return { ms, src, dst, srcPort, dstPort, protocol, dir, state, encryption: f[8] === '' ? null : f[8], packetsFwd: counts[0], bytesFwd: counts[1], packetsRev: counts[2], bytesRev: counts[3] };
}

/** Adds the rows of one tuple; returns [field, reason] when it is malformed. */
function parseTuple(tuple: unknown, rule: string | null, meta: Meta, st: VnetState): [string, string] | null {
  if (typeof tuple !== 'string') return ['flowTuples', 'tuple is not a string'];
  const t = readTuple(tuple, st.nowMs);
  if (Array.isArray(t)) return t;
  // A connection is counted on its B tuple, or on its first C/E tuple when the B was not in this blob.
  const key = openFlowKey(meta.resource, t.src, t.dst, t.srcPort, t.dstPort, t.protocol);
  const open = st.open;
  let opens: boolean;
  if (t.state === 'B' || t.state === 'D') {
    opens = true;
    // A denied attempt is one D tuple and never continues: remembering it would only grow the set.
    if (t.state === 'B') open.add(key);
  } else {
    opens = !open.has(key);
    if (opens) open.add(key);
    if (t.state === 'E') open.delete(key);
  }
  const rows = st.out.rows;
  if (opens || t.packetsFwd > 0) {
    // A C/E opener may continue a flow begun in an earlier hourly blob: the ingest service checks.
    if (opens && t.state !== 'B' && t.state !== 'D') st.continuations.push(rows.length);
    rows.push(vnetRow(t, rule, meta, true, opens ? 1 : 0));
  }
  if (t.packetsRev > 0) rows.push(vnetRow(t, rule, meta, false, 0));
  if (!opens && t.packetsFwd === 0 && t.packetsRev === 0) st.out.skipped++;
  else st.accepted++;
  return null;
}

function countTuples(flows: unknown[]): number {
  let n = 0;
  for (const flow of flows as { flowGroups?: { flowTuples?: unknown[] }[] }[]) {
    if (!flow || !Array.isArray(flow.flowGroups)) continue;
    for (const group of flow.flowGroups) n += group && Array.isArray(group.flowTuples) ? group.flowTuples.length : 0;
  }
  return n;
}

/**
 * The raw text kept for a rejected tuple: the tuple inside a one-tuple copy of its record (target
 * resource, MAC, ACL and rule kept), so the dead letter can be fixed and replayed on its own.
 */
function tupleRecord(record: VnetRecord, flow: { aclID?: unknown }, group: { rule?: unknown }, tuple: unknown): string {
  return JSON.stringify({
    time: record.time,
    flowLogVersion: record.flowLogVersion,
    flowLogGUID: record.flowLogGUID,
    macAddress: record.macAddress,
    category: record.category,
    flowLogResourceID: record.flowLogResourceID,
    targetResourceID: record.targetResourceID,
    operationName: record.operationName,
    flowRecords: { flows: [{ aclID: flow.aclID, flowGroups: [{ rule: group.rule, flowTuples: [tuple] }] }] },
  });
}

/** One directional row; built as a literal (not spreads) so V8 keeps one fast object shape. */
function vnetRow(t: Tuple, rule: string | null, meta: Meta, forward: boolean, flows: number): FlowRecord {
  return {
    startMs: t.ms,
    endMs: t.ms,
    srcIp: forward ? t.src : t.dst,
    dstIp: forward ? t.dst : t.src,
    srcPort: forward ? t.srcPort : t.dstPort,
    dstPort: forward ? t.dstPort : t.srcPort,
    protocol: t.protocol,
    direction: t.dir === 'I' ? 'inbound' : 'outbound',
    action: t.state === 'D' ? 'deny' : 'allow',
    flowState: t.state,
    packets: forward ? t.packetsFwd : t.packetsRev,
    bytes: forward ? t.bytesFwd : t.bytesRev,
    flows,
    initiated: forward,
    sourceType: 'azure-vnet',
    resource: meta.resource,
    resourceGroup: meta.resourceGroup,
    rule,
    mac: meta.mac,
    tcpFlags: null,
    encryption: t.encryption,
    account: meta.account,
    vpc: meta.vpc,
    subnet: meta.subnet,
    instance: meta.instance,
    cloudRegion: null,
  };
}

/** Whole-body convenience (tests, small bodies): one blob, single records, or one record per line. */
export function parseAzureVnet(text: string, options: AzureVnetOptions = {}): VnetParseResult {
  const parser = new VnetBodyParser(options);
  readJsonText(text, VNET_STREAM_KEYS, parser);
  parser.pump(Infinity);
  return parser.take();
}
