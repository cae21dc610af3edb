/**
 * Azure NSG flow logs (PT1H.json, category NetworkSecurityGroupFlowEvent), versions 1 and 2.
 *
 * v1 tuple: ts,src,dst,sport,dport,proto(T/U),dir(I/O),action(A/D) — one row, no counters.
 * v2 tuple: v1 + state(B/C/E),pkts src→dst,bytes src→dst,pkts dst→src,bytes dst→src.
 *   B (begin) has empty counters; C (continuing) and E (end) carry deltas since the previous
 *   tuple of the same flow. A C/E tuple becomes up to two directional rows (initiator→responder,
 *   responder→initiator); a direction with no packets is skipped. `flows` = 1 on the row that
 *   opens the connection: the B tuple, or the first C/E tuple of a flow whose B is not in this blob.
 *
 * The body is read record by record (JsonRecordReader): a blob of any size is parsed in bounded
 * memory, and batches are handed over as they fill.
 */
import type { FlowRecord, ParsedBatch } from '../../model/flow-row.js';
import { JsonRecordReader, type JsonRecordConsumer } from './json-records.js';
import { OPEN_FLOWS, OpenFlows, openFlowKey, ResultBuilder, SeenRecords, WorkQueue, ipFamily, parseCount, recordFingerprint, timeProblem, type BodyParser } from './common.js';

export interface NsgParseOptions {
  source?: string;
  now?: number;
  /**
   * Fingerprints of records already stored from this source. Azure appends records to the
   * hour's PT1H.json all hour long; reading the grown blob again must add only the new records.
   */
  knownRecords?: ReadonlySet<string>;
}

export interface NsgParseResult extends ParsedBatch {
  /** Fingerprints of the records this body added (to remember for the next read of the blob). */
  newRecords: string[];
  /** Indices of rows with flows = 1 from a C/E tuple whose B is not in this body. */
  continuations: number[];
  /** Tuples read (good or bad). */
  tuples: number;
  accepted: number;
  /** Tuples of records already seen (earlier in this body, or stored from an earlier read). */
  duplicates: number;
}

/** Keys whose array items are streamed one by one (PT1H.json's wrapper). */
export const NSG_STREAM_KEYS = ['records'];

interface RecordContext {
  record: Record<string, unknown>;
  recordNo: number;
  version: number;
  resource: string | null;
  resourceGroup: string | null;
  account: string | null;
  rule: string | null;
  mac: string | null;
}

const V1_FIELDS = ['time', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'direction', 'action'];
const V2_FIELDS = [...V1_FIELDS, 'flow_state', 'packets_src_to_dst', 'bytes_src_to_dst', 'packets_dst_to_src', 'bytes_dst_to_src'];

/** /SUBSCRIPTIONS/<sub>/RESOURCEGROUPS/<rg>/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/<nsg> */
export function parseResourceId(resourceId: unknown): { subscription: string | null; resourceGroup: string | null; name: string | null } {
  if (typeof resourceId !== 'string') return { subscription: null, resourceGroup: null, name: null };
  const parts = resourceId.split('/').filter(Boolean);
  const after = (key: string): string | null => {
    const i = parts.findIndex((p) => p.toUpperCase() === key);
    return i >= 0 && i + 1 < parts.length ? parts[i + 1]! : null;
  };
  return {
    subscription: after('SUBSCRIPTIONS'),
    resourceGroup: after('RESOURCEGROUPS'),
    name: parts.length ? parts[parts.length - 1]! : null,
  };
}

/** Flattens records — including the documented quirk of a records[] item that is itself {records:[…]}. */
function collectRecords(doc: unknown, out: unknown[]): void {
  if (Array.isArray(doc)) {
    for (const item of doc) collectRecords(item, out);
  } else if (doc && typeof doc === 'object' && Array.isArray((doc as { records?: unknown }).records)) {
    collectRecords((doc as { records: unknown[] }).records, out);
  } else {
    out.push(doc);
  }
}

/** Identity of a record for idempotency: the same record read again (grown blob, repeated record) has the same one. */
export function nsgRecordFingerprint(record: unknown): string {
  return recordFingerprint(record);
}

/**
 * Streaming NSG parser: hand it parsed records (as a JsonRecordConsumer), take batches. Record
 * and tuple numbers in errors are 1-based; records are numbered across the whole body.
 */
export class NsgBodyParser implements JsonRecordConsumer, BodyParser {
  private readonly out: ResultBuilder;
  private readonly now: number;
  /** Records met before: stored from this source earlier, or repeated in this body (the v1 sample nests its own records again). */
  private readonly seen: SeenRecords;
  /** Flows whose opening row was emitted in this body and that have not ended (E) yet. */
  private readonly opened = new OpenFlows(OPEN_FLOWS);
  private recordNo = 0;
  private tuples = 0;
  private accepted = 0;
  private duplicates = 0;
  private continuations: number[] = [];

  constructor(options: NsgParseOptions = {}) {
    this.out = new ResultBuilder(options.source);
    this.now = options.now ?? Date.now();
    this.seen = new SeenRecords(options.knownRecords);
  }

  get pending(): number {
    return this.out.pending;
  }

  /** Flows remembered as open (bounded; see OpenFlows). */
  get openFlowCount(): number {
    return this.opened.size;
  }

  take(): NsgParseResult {
    const batch = this.out.take();
    const result: NsgParseResult = { ...batch, tuples: this.tuples, accepted: this.accepted, duplicates: this.duplicates, newRecords: this.seen.takeAdded(), continuations: this.continuations };
    this.tuples = 0;
    this.accepted = 0;
    this.duplicates = 0;
    this.continuations = [];
    return result;
  }

  /** Records are queued and expanded by pump(): a record of many thousand tuples must not become all its rows at once. */
  private readonly work = new WorkQueue();

  pump(limit: number): boolean {
    return this.work.run(this.out, limit);
  }

  value(value: unknown): void {
    if (value && typeof value === 'object' && !Array.isArray(value) && !Array.isArray((value as { records?: unknown }).records)) {
      this.work.push(this.record(value));
      return;
    }
    const records: unknown[] = [];
    collectRecords(value, records);
    for (const r of records) this.work.push(this.record(r));
  }

  malformed(reason: string, raw: string | undefined): void {
    const self = this;
    this.work.push(
      (function* () {
        self.out.reject({ record: ++self.recordNo, reason, raw });
      })(),
    );
  }

  /** Expands one record, yielding after each tuple. */
  private *record(record: unknown): Generator<void> {
    const recordNo = ++this.recordNo;
    const fail = (reason: string, field?: string): void => this.out.reject({ record: recordNo, field, reason, raw: JSON.stringify(record) ?? '' });
    if (!record || typeof record !== 'object' || Array.isArray(record)) return fail('record is not an object');
    const r = record as Record<string, unknown>;
    const properties = r.properties as Record<string, unknown> | undefined;
    if (!properties || typeof properties !== 'object') return fail('record has no properties object', 'properties');
    const version = Number(properties.Version ?? properties.version ?? 1);
    if (version !== 1 && version !== 2) return fail(`unsupported NSG flow log version ${String(properties.Version)}`, 'properties.Version');
    if (!Array.isArray(properties.flows)) return fail('properties.flows is not an array', 'properties.flows');

    // The same record twice (the v1 documentation sample does this; a grown blob re-read) must not count twice.
    if (this.seen.repeat(record)) {
      this.duplicates += countTuples(properties.flows);
      return;
    }

    const resource = parseResourceId(r.resourceId);
    for (const ruleGroup of properties.flows as unknown[]) {
      const rg = ruleGroup as { rule?: unknown; flows?: unknown };
      if (!rg || !Array.isArray(rg.flows)) {
        fail('a rule entry has no flows array', 'properties.flows[].flows');
        continue;
      }
      for (const macGroup of rg.flows as unknown[]) {
        const mg = macGroup as { mac?: unknown; flowTuples?: unknown };
        if (!mg || !Array.isArray(mg.flowTuples)) {
          fail('a flows entry has no flowTuples array', 'properties.flows[].flows[].flowTuples');
          continue;
        }
        const ctx: RecordContext = {
          record: r,
          recordNo,
          version,
          resource: resource.name,
          resourceGroup: resource.resourceGroup,
          account: resource.subscription,
          rule: typeof rg.rule === 'string' && rg.rule !== '' ? rg.rule : null,
          mac: typeof mg.mac === 'string' ? mg.mac : null,
        };
        const tuples = mg.flowTuples as unknown[];
        for (let t = 0; t < tuples.length; t++) {
          this.tuples++;
          const tuple = tuples[t];
          const problem = typeof tuple === 'string' ? this.tuple(tuple, ctx) : ['flowTuples', 'flow tuple is not a string'];
          if (problem) {
            this.out.reject({ record: recordNo, tuple: t + 1, field: problem[0], reason: problem[1], raw: tupleRecord(ctx, rg.rule, mg.mac, tuple) });
          } else this.accepted++;
          yield;
        }
      }
    }
  }

  /** Parses one tuple into rows; returns [field, reason] when it is malformed. No closures: the hot loop. */
  private tuple(tuple: string, ctx: RecordContext): [string, string] | null {
    const f = tuple.split(',');
    const names = ctx.version === 1 ? V1_FIELDS : V2_FIELDS;
    if (f.length !== names.length) return ['flowTuples', `expected ${names.length} comma-separated fields for version ${ctx.version}, got ${f.length}`];
    const seconds = digitsValue(f[0]!);
    if (seconds < 0) return [names[0]!, `"${f[0]}" is not a Unix timestamp in seconds`];
    const ms = seconds * 1000;
    const timeError = timeProblem(ms, this.now);
    if (timeError) return [names[0]!, timeError];
    const src = f[1]!;
    const dst = f[2]!;
    const srcFamily = ipFamily(src);
    const dstFamily = ipFamily(dst);
    if (!srcFamily) return [names[1]!, `"${src}" is not an IPv4 or IPv6 address`];
    if (!dstFamily) return [names[2]!, `"${dst}" is not an IPv4 or IPv6 address`];
    // As in every other format (docs/formats.md): one flow cannot go from IPv4 to IPv6.
    if (srcFamily !== dstFamily) return [names[2]!, `source ${src} and destination ${dst} are different address families`];
    const srcPort = digitsValue(f[3]!);
    if (srcPort < 0 || srcPort > 65535) return [names[3]!, `"${f[3]}" is not a port number`];
    const dstPort = digitsValue(f[4]!);
    if (dstPort < 0 || dstPort > 65535) return [names[4]!, `"${f[4]}" is not a port number`];
    const p = f[5];
    const protocol = p === 'T' ? 6 : p === 'U' ? 17 : 0;
    if (protocol === 0) return [names[5]!, `"${p}" is not T or U`];
    const d = f[6];
    const direction = d === 'I' ? 'inbound' : d === 'O' ? 'outbound' : null;
    if (!direction) return [names[6]!, `"${d}" is not I or O`];
    const a = f[7];
    const action = a === 'A' ? 'allow' : a === 'D' ? 'deny' : null;
    if (!action) return [names[7]!, `"${a}" is not A or D`];

    const rows = this.out.rows;
    if (ctx.version === 1) {
      rows.push(nsgRow(ctx, ms, src, dst, srcPort, dstPort, protocol, direction, action, 0, 0, 1, null, true));
      return null;
    }
    const state = f[8]!;
    if (state !== 'B' && state !== 'C' && state !== 'E') return [names[8]!, `"${state}" is not B, C or E`];
    // B carries no counters (empty); C/E must carry all four.
    let pktsOut = 0;
    let bytesOut = 0;
    let pktsBack = 0;
    let bytesBack = 0;
    for (let i = 9; i < 13; i++) {
      const text = f[i]!;
      let n: number | null;
      if (text === '') {
        if (state !== 'B') return [names[i]!, `empty counter on a ${state} tuple`];
        n = 0;
      } else {
        n = parseCount(text);
        if (n === null) return [names[i]!, `"${text}" is not a non-negative integer`];
      }
      if (i === 9) pktsOut = n;
      else if (i === 10) bytesOut = n;
      else if (i === 11) pktsBack = n;
      else bytesBack = n;
    }
    const flowKey = openFlowKey(ctx.resource, src, dst, srcPort, dstPort, protocol);
    if (state === 'B') {
      // A denied flow is one B tuple and never continues: remembering it would only grow the set.
      if (action === 'allow') this.opened.add(flowKey);
      rows.push(nsgRow(ctx, ms, src, dst, srcPort, dstPort, protocol, direction, action, pktsOut, bytesOut, 1, 'B', true));
      return null;
    }
    const opens = this.opened.has(flowKey) ? 0 : 1;
    // After E the connection is over (and forgotten: the set stays as small as the open flows).
    if (state === 'E') this.opened.delete(flowKey);
    else if (opens) this.opened.add(flowKey);
    if (pktsOut > 0 || bytesOut > 0 || opens) {
      // An opener without its B may continue a flow begun in an earlier blob: the service checks.
      if (opens) this.continuations.push(rows.length);
      rows.push(nsgRow(ctx, ms, src, dst, srcPort, dstPort, protocol, direction, action, pktsOut, bytesOut, opens, state, true));
    }
    if (pktsBack > 0 || bytesBack > 0) {
      rows.push(nsgRow(ctx, ms, dst, src, dstPort, srcPort, protocol, direction, action, pktsBack, bytesBack, 0, state, false));
    }
    return null;
  }
}

/** A decimal integer of 1–15 digits, or -1 ("" and anything else). */
function digitsValue(text: string): number {
  const n = text.length;
  if (n === 0 || n > 15) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function countTuples(flows: unknown[]): number {
  let n = 0;
  for (const rg of flows as { flows?: { flowTuples?: unknown[] }[] }[]) {
    for (const mg of rg?.flows ?? []) n += Array.isArray(mg?.flowTuples) ? mg.flowTuples.length : 0;
  }
  return n;
}

/**
 * The raw text kept for a rejected tuple: the tuple inside a one-tuple copy of its record, so the
 * dead letter can be fixed and replayed on its own (resource, version, rule and MAC kept).
 */
function tupleRecord(ctx: RecordContext, rule: unknown, mac: unknown, tuple: unknown): string {
  const r = ctx.record;
  const properties = r.properties as Record<string, unknown>;
  return JSON.stringify({
    time: r.time,
    systemId: r.systemId,
    category: r.category,
    resourceId: r.resourceId,
    operationName: r.operationName,
    properties: { Version: properties.Version ?? properties.version ?? ctx.version, flows: [{ rule, flows: [{ mac, flowTuples: [tuple] }] }] },
  });
}

/** One row as a single object literal: a fixed shape keeps V8 fast on millions of rows (spreads were 10× slower). */
function nsgRow(
  ctx: RecordContext,
  ms: number,
  srcIp: string,
  dstIp: string,
  srcPort: number,
  dstPort: number,
  protocol: number,
  direction: 'inbound' | 'outbound',
  action: 'allow' | 'deny',
  packets: number,
  bytes: number,
  flows: number,
  flowState: string | null,
  initiated: boolean,
): FlowRecord {
  return {
    startMs: ms,
    endMs: ms,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction,
    action,
    flowState,
    packets,
    bytes,
    flows,
    initiated,
    sourceType: 'azure-nsg',
    resource: ctx.resource,
    resourceGroup: ctx.resourceGroup,
    rule: ctx.rule,
    mac: ctx.mac,
    tcpFlags: null,
    encryption: null,
    account: ctx.account,
    vpc: null,
    subnet: null,
    instance: null,
    cloudRegion: null,
  };
}

/** Whole-body convenience (tests, small bodies): every batch in one result. */
export function parseAzureNsg(body: string, options: NsgParseOptions = {}): NsgParseResult {
  const parser = new NsgBodyParser(options);
  const reader = new JsonRecordReader(NSG_STREAM_KEYS, parser);
  reader.push(Buffer.from(body, 'utf8'));
  reader.end();
  parser.pump(Infinity);
  return parser.take();
}
