/**
 * Azure NSG flow logs (PT1H.json, category NetworkSecurityGroupFlowEvent), versions 1 and 2.
 *
 * v1 tuple: ts,src,dst,sport,dport,proto(T/U),dir(I/O),action(A/D) — one row, no counters.
 * v2 tuple: v1 + state(B/C/E),pkts src→dst,bytes src→dst,pkts dst→src,bytes dst→src.
 *   B (begin) has empty counters; C (continuing) and E (end) carry deltas since the previous
 *   tuple of the same flow. A C/E tuple becomes up to two directional rows (initiator→responder,
 *   responder→initiator); a direction with no packets is skipped. `flows` = 1 on the row that
 *   opens the connection: the B tuple, or the first C/E tuple of a flow whose B is not in this blob.
 */
import { createHash } from 'node:crypto';
import type { FlowRecord, ParseResult, RecordError } from '../model/flow-row.js';
import { parseJsonDocuments } from './json-body.js';
import { ipFamily, parseCount, parseIntIn, timeProblem, truncateRaw } from './formats/common.js';

export interface NsgParseOptions {
  source?: string;
  now?: number;
  /**
   * Fingerprints of records already stored from this source. Azure appends records to the
   * hour's PT1H.json all hour long; reading the grown blob again must add only the new records.
   */
  knownRecords?: ReadonlySet<string>;
}

export interface NsgParseResult extends ParseResult {
  /** Fingerprints of the records this body added (to remember for the next read of the blob). */
  newRecords: string[];
  /** Indices of rows with flows = 1 from a C/E tuple whose B is not in this body. */
  continuations: number[];
  /** Tuples read (good or bad), and exact repeats of a record already seen in this body. */
  tuples: number;
  accepted: number;
  duplicates: number;
}

interface NsgRecordContext {
  recordIndex: number;
  version: number;
  resource: string | null;
  account: string | null;
  rule: string;
  mac: string | null;
}

const PROTOCOLS: Record<string, number> = { T: 6, U: 17 };

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

/** Flattens records[] — including the documented quirk of a records[] item that is itself {records:[…]}. */
function collectRecords(doc: unknown, out: unknown[]): void {
  if (Array.isArray(doc)) {
    for (const item of doc) collectRecords(item, out);
  } else if (doc && typeof doc === 'object' && Array.isArray((doc as { records?: unknown }).records)) {
    collectRecords((doc as { records: unknown[] }).records, out);
  } else {
    out.push(doc);
  }
}

export function parseAzureNsg(body: string, options: NsgParseOptions = {}): NsgParseResult {
  const now = options.now ?? Date.now();
  const records: unknown[] = [];
  for (const doc of parseJsonDocuments(body)) collectRecords(doc, records);

  const rows: FlowRecord[] = [];
  const errors: RecordError[] = [];
  const seenRecords = new Set<string>();
  // Flows whose opening row was already emitted in this body (B seen, or first C/E counted).
  const opened = new Set<string>();
  let tuples = 0;
  let accepted = 0;
  let duplicates = 0;
  const newRecords: string[] = [];
  const continuations: number[] = [];

  // Record and tuple numbers in errors are 1-based, as in every other format.
  records.forEach((record, index) => {
    const recordIndex = index + 1;
    const fail = (reason: string, field?: string): void => {
      errors.push({ source: options.source, record: recordIndex, field, reason, raw: truncateRaw(JSON.stringify(record) ?? '') });
    };
    if (!record || typeof record !== 'object') return fail('record is not an object');
    const r = record as Record<string, unknown>;
    const properties = r.properties as Record<string, unknown> | undefined;
    if (!properties || typeof properties !== 'object') return fail('record has no properties object', 'properties');
    const version = Number(properties.Version ?? properties.version ?? 1);
    if (version !== 1 && version !== 2) return fail(`unsupported NSG flow log version ${String(properties.Version)}`, 'properties.Version');
    if (!Array.isArray(properties.flows)) return fail('properties.flows is not an array', 'properties.flows');

    // The same record twice in one body (the v1 documentation sample does this) must not count twice.
    const fingerprint = createHash('sha1').update(JSON.stringify(record)).digest('base64');
    if (seenRecords.has(fingerprint) || options.knownRecords?.has(fingerprint)) {
      duplicates += countTuples(properties.flows);
      return;
    }
    seenRecords.add(fingerprint);
    newRecords.push(fingerprint);

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
        const ctx: NsgRecordContext = {
          recordIndex,
          version,
          resource: resource.name,
          account: resource.subscription,
          rule: typeof rg.rule === 'string' ? rg.rule : '',
          mac: typeof mg.mac === 'string' ? mg.mac : null,
        };
        (mg.flowTuples as unknown[]).forEach((tuple, tupleIndex) => {
          tuples++;
          const error = parseTuple(tuple, ctx, now, opened, rows, continuations);
          if (error) {
            errors.push({ source: options.source, record: recordIndex, tuple: tupleIndex + 1, field: error.field, reason: error.reason, raw: truncateRaw(String(tuple)) });
          } else {
            accepted++;
          }
        });
      }
    }
  });
  return { rows, errors, skipped: 0, tuples, accepted, duplicates, newRecords, continuations };
}

function countTuples(flows: unknown[]): number {
  let n = 0;
  for (const rg of flows as { flows?: { flowTuples?: unknown[] }[] }[]) {
    for (const mg of rg?.flows ?? []) n += Array.isArray(mg?.flowTuples) ? mg.flowTuples.length : 0;
  }
  return n;
}

const V1_FIELDS = ['time', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'direction', 'action'];
const V2_FIELDS = [...V1_FIELDS, 'flow_state', 'packets_src_to_dst', 'bytes_src_to_dst', 'packets_dst_to_src', 'bytes_dst_to_src'];

/** Parses one tuple into rows (appended to `rows`); returns the error instead when it is malformed. */
function parseTuple(
  tuple: unknown,
  ctx: NsgRecordContext,
  now: number,
  opened: Set<string>,
  rows: FlowRecord[],
  continuations: number[],
): { field?: string; reason: string } | null {
  if (typeof tuple !== 'string') return { reason: 'flow tuple is not a string' };
  const f = tuple.split(',');
  const expected = ctx.version === 1 ? V1_FIELDS.length : V2_FIELDS.length;
  if (f.length !== expected) return { reason: `expected ${expected} comma-separated fields for version ${ctx.version}, got ${f.length}` };
  const names = ctx.version === 1 ? V1_FIELDS : V2_FIELDS;
  const bad = (i: number, why: string): { field: string; reason: string } => ({ field: names[i]!, reason: why });

  if (!/^\d+$/.test(f[0]!)) return bad(0, `"${f[0]}" is not a Unix timestamp in seconds`);
  const ms = Number(f[0]) * 1000;
  const timeError = timeProblem(ms, now);
  if (timeError) return bad(0, timeError);
  if (!ipFamily(f[1]!)) return bad(1, `"${f[1]}" is not an IPv4 or IPv6 address`);
  if (!ipFamily(f[2]!)) return bad(2, `"${f[2]}" is not an IPv4 or IPv6 address`);
  const srcPort = /^\d+$/.test(f[3]!) ? parseIntIn(f[3], 0, 65535) : null;
  if (srcPort === null) return bad(3, `"${f[3]}" is not a port number`);
  const dstPort = /^\d+$/.test(f[4]!) ? parseIntIn(f[4], 0, 65535) : null;
  if (dstPort === null) return bad(4, `"${f[4]}" is not a port number`);
  const protocol = PROTOCOLS[f[5]!];
  if (protocol === undefined) return bad(5, `"${f[5]}" is not T or U`);
  const direction = f[6] === 'I' ? 'inbound' : f[6] === 'O' ? 'outbound' : null;
  if (!direction) return bad(6, `"${f[6]}" is not I or O`);
  const action = f[7] === 'A' ? 'allow' : f[7] === 'D' ? 'deny' : null;
  if (!action) return bad(7, `"${f[7]}" is not A or D`);

  const row = (src: string, dst: string, sport: number, dport: number, packets: number, bytes: number, flows: number, flowState: string | null, initiated: boolean): FlowRecord =>
    makeRow(ctx, ms, src, dst, sport, dport, protocol, direction, action, packets, bytes, flows, flowState, initiated);
  const forward = (packets: number, bytes: number, flows: number, flowState: string | null): FlowRecord =>
    row(f[1]!, f[2]!, srcPort, dstPort, packets, bytes, flows, flowState, true);

  if (ctx.version === 1) {
    rows.push(forward(0, 0, 1, null));
    return null;
  }
  const state = f[8]!;
  if (state !== 'B' && state !== 'C' && state !== 'E') return bad(8, `"${state}" is not B, C or E`);
  // B carries no counters (empty); C/E must carry all four.
  const emptyAllowed = state === 'B' ? 0 : null;
  const counters: number[] = [];
  for (let i = 9; i < 13; i++) {
    const n = f[i] === '' ? emptyAllowed : parseCount(f[i]);
    if (n === null) return bad(i, f[i] === '' ? `empty counter on a ${state} tuple` : `"${f[i]}" is not a non-negative integer`);
    counters.push(n);
  }
  const [pktsOut, bytesOut, pktsBack, bytesBack] = counters as [number, number, number, number];
  const flowKey = `${ctx.resource}|${f[1]}|${f[2]}|${srcPort}|${dstPort}|${protocol}`;
  if (state === 'B') {
    opened.add(flowKey);
    rows.push(forward(pktsOut, bytesOut, 1, 'B'));
    return null;
  }
  const opens = opened.has(flowKey) ? 0 : 1;
  opened.add(flowKey);
  if (pktsOut > 0 || bytesOut > 0 || opens) {
    // An opener without its B may continue a flow begun in an earlier blob: the service checks.
    if (opens) continuations.push(rows.length);
    rows.push(forward(pktsOut, bytesOut, opens, state));
  }
  if (pktsBack > 0 || bytesBack > 0) {
    rows.push(row(f[2]!, f[1]!, dstPort, srcPort, pktsBack, bytesBack, 0, state, false));
  }
  return null;
}

/** One row as a single object literal: a fixed shape keeps V8 fast on millions of rows (spreads were 10× slower). */
function makeRow(
  ctx: NsgRecordContext,
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
    rule: ctx.rule || null,
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
