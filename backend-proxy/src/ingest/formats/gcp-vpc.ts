// GCP VPC Flow Logs as Cloud Logging LogEntry JSON (one object, an array, or NDJSON).
// jsonPayload: connection{src_ip,dest_ip,src_port,dest_port,protocol}, bytes_sent, packets_sent
// (int64 → often strings), start_time/end_time (RFC 3339, ns), reporter SRC|DEST, and
// src_/dest_ instance, vpc, location metadata. Keys are case-sensitive, as Google writes them.
import type { FlowRecord, ParseResult } from '../../model/flow-row.js';
import { readJsonText, type JsonRecordConsumer } from './json-records.js';
import type { JsonElement } from './json-scanner.js';
import { ResultBuilder, type BodyParser, ipFamily, isoTimeMs, parseCount, parseIntIn, parseProtocol, str, timeProblem, windowFlows, type ParseOptions } from './common.js';
import { iso3ToIso2 } from './iso-country.js';

export const GCP_REPORTERS = ['src-when-both', 'all'] as const;
export type GcpReporters = (typeof GCP_REPORTERS)[number];

export interface GcpVpcOptions extends ParseOptions {
  /**
   * 'src-when-both' (default): when both ends are GCP VMs (src_instance and dest_instance present),
   * each end reports the flow; only the SRC report is kept and the DEST report is counted as
   * skipped. 'all': keep every report (use when the sending VMs' subnets do not log).
   */
  reporters?: GcpReporters;
}

interface Endpoint {
  project_id?: unknown;
  vm_name?: unknown;
  region?: unknown;
  zone?: unknown;
  vpc_name?: unknown;
  subnetwork_name?: unknown;
  subnetwork_region?: unknown;
  country?: unknown;
  region_name?: unknown;
  asn?: unknown;
}

interface Payload {
  connection?: { src_ip?: unknown; dest_ip?: unknown; src_port?: unknown; dest_port?: unknown; protocol?: unknown };
  reporter?: unknown;
  bytes_sent?: unknown;
  packets_sent?: unknown;
  start_time?: unknown;
  end_time?: unknown;
  src_instance?: Endpoint;
  dest_instance?: Endpoint;
  src_vpc?: Endpoint;
  dest_vpc?: Endpoint;
  src_location?: Endpoint;
  dest_location?: Endpoint;
}

/** Turns one LogEntry object into a row (or an error / a skip). `recordNo` is 1-based. */
export function parseGcpEntry(entry: unknown, recordNo: number, out: ResultBuilder, options: GcpVpcOptions = {}): void {
  const nowMs = options.nowMs ?? Date.now();
  const raw = () => JSON.stringify(entry) ?? '';
  const bad = (field: string, reason: string) => out.reject({ record: recordNo, field, reason, raw: raw() });
  const e = entry as { jsonPayload?: Payload; resource?: { type?: unknown; labels?: Record<string, unknown> }; timestamp?: unknown };
  if (!e || typeof e !== 'object' || Array.isArray(e)) return bad('jsonPayload', 'not a LogEntry object');
  const p = e.jsonPayload;
  if (!p || typeof p !== 'object') return bad('jsonPayload', 'no jsonPayload object');
  const c = p.connection;
  if (!c || typeof c !== 'object') return bad('jsonPayload.connection', 'no connection object (keys are case-sensitive)');

  const reporter = p.reporter;
  if (reporter !== 'SRC' && reporter !== 'DEST') return bad('jsonPayload.reporter', `not SRC or DEST: ${JSON.stringify(reporter)}`);
  if ((options.reporters ?? 'src-when-both') === 'src-when-both' && reporter === 'DEST' && p.src_instance && p.dest_instance) {
    out.skipped++;
    return;
  }
  const srcIp = str(c.src_ip);
  const dstIp = str(c.dest_ip);
  if (!srcIp || !ipFamily(srcIp)) return bad('jsonPayload.connection.src_ip', `not an IP address: ${JSON.stringify(c.src_ip)}`);
  if (!dstIp || !ipFamily(dstIp)) return bad('jsonPayload.connection.dest_ip', `not an IP address: ${JSON.stringify(c.dest_ip)}`);
  if (ipFamily(srcIp) !== ipFamily(dstIp)) return bad('jsonPayload.connection.dest_ip', `source ${srcIp} and destination ${dstIp} are different address families`);
  const protocol = parseProtocol(c.protocol);
  if (protocol === null) return bad('jsonPayload.connection.protocol', `not a protocol number: ${JSON.stringify(c.protocol)}`);
  // ICMP and other port-less protocols have no port keys at all.
  const srcPort = c.src_port === undefined ? null : parseIntIn(c.src_port, 0, 65535);
  const dstPort = c.dest_port === undefined ? null : parseIntIn(c.dest_port, 0, 65535);
  if (c.src_port !== undefined && srcPort === null) return bad('jsonPayload.connection.src_port', `not a port: ${JSON.stringify(c.src_port)}`);
  if (c.dest_port !== undefined && dstPort === null) return bad('jsonPayload.connection.dest_port', `not a port: ${JSON.stringify(c.dest_port)}`);
  const bytes = p.bytes_sent === undefined ? 0 : parseCount(p.bytes_sent);
  const packets = p.packets_sent === undefined ? 0 : parseCount(p.packets_sent);
  if (bytes === null) return bad('jsonPayload.bytes_sent', `not a count: ${JSON.stringify(p.bytes_sent)}`);
  if (packets === null) return bad('jsonPayload.packets_sent', `not a count: ${JSON.stringify(p.packets_sent)}`);

  const startText = str(p.start_time) ?? str(e.timestamp);
  if (!startText) return bad('jsonPayload.start_time', 'no start_time');
  const startMs = isoTimeMs(startText);
  if (Number.isNaN(startMs)) return bad('jsonPayload.start_time', `not an RFC 3339 time: ${startText}`);
  const problem = timeProblem(startMs, nowMs);
  if (problem) return bad('jsonPayload.start_time', problem);
  const endParsed = str(p.end_time) ? isoTimeMs(p.end_time as string) : NaN;
  const endMs = Number.isNaN(endParsed) || endParsed < startMs ? startMs : endParsed;
  // An end in the future is as wrong as a start there: the row's time_end would say it.
  const endProblem = endMs === startMs ? null : timeProblem(endMs, nowMs);
  if (endProblem) return bad('jsonPayload.end_time', endProblem);

  // The reporting VM's side describes the record; the other side's metadata become hints.
  const own = reporter === 'SRC' ? { inst: p.src_instance, vpc: p.src_vpc } : { inst: p.dest_instance, vpc: p.dest_vpc };
  const labels = e.resource?.labels ?? {};
  const { flows, initiated } = windowFlows(protocol, null, srcPort, dstPort);
  const row: FlowRecord = {
    startMs,
    endMs,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction: reporter === 'SRC' ? 'outbound' : 'inbound',
    // VPC Flow Logs record delivered traffic only; denials are in the firewall logs.
    action: 'allow',
    flowState: null,
    packets,
    bytes,
    flows,
    initiated,
    sourceType: 'gcp-vpc',
    resource: str(labels.name) ?? str(labels.subnetwork_name) ?? str(own.vpc?.subnetwork_name) ?? null,
    resourceGroup: null,
    rule: null,
    mac: null,
    tcpFlags: null,
    encryption: null,
    account: str(own.inst?.project_id) ?? str(own.vpc?.project_id) ?? str(labels.project_id),
    vpc: str(own.vpc?.vpc_name),
    subnet: str(own.vpc?.subnetwork_name),
    instance: str(own.inst?.vm_name),
    cloudRegion: str(own.inst?.region) ?? str(own.vpc?.subnetwork_region) ?? str(labels.region),
  };
  const hints = endpointHints(p);
  if (hints) row.hints = hints;
  out.rows.push(row);
}

/** Location / cloud metadata GCP attaches to each end, in Enrichment terms (country ISO-2). */
function endpointHints(p: Payload): FlowRecord['hints'] | null {
  const h: NonNullable<FlowRecord['hints']> = {};
  const side = (inst: Endpoint | undefined, vpc: Endpoint | undefined, loc: Endpoint | undefined, pre: 'src' | 'dst') => {
    const region = str(inst?.region) ?? str(vpc?.subnetwork_region);
    if (region) {
      h[`${pre}Region`] = region;
      h[`${pre}Provider`] = 'gcp';
    }
    const country = str(loc?.country);
    const iso2 = country ? iso3ToIso2(country) : null;
    if (iso2) h[`${pre}Country`] = iso2;
    const asn = parseIntIn(loc?.asn, 0, 4294967295);
    if (asn !== null) h[`${pre}Asn`] = asn;
  };
  side(p.src_instance, p.src_vpc, p.src_location, 'src');
  side(p.dest_instance, p.dest_vpc, p.dest_location, 'dst');
  return Object.keys(h).length ? h : null;
}

/** Keys whose array items are streamed one by one (a Logging API `entries.list` response). */
export const GCP_STREAM_KEYS = ['entries'];

/**
 * Streaming parser of a GCP body: one LogEntry object, a JSON array of them, an `entries.list`
 * response, or NDJSON (all through JsonRecordReader). Record numbers: the 1-based index of an
 * array item, or the 1-based line of a top-level entry (NDJSON).
 */
export class GcpBodyParser implements JsonRecordConsumer, BodyParser {
  private readonly out: ResultBuilder;
  private readonly options: GcpVpcOptions;
  private itemNo = 0;

  constructor(options: GcpVpcOptions = {}) {
    this.out = new ResultBuilder(options.source);
    // "Now" is fixed once per body, not looked up per entry.
    this.options = { ...options, nowMs: options.nowMs ?? Date.now() };
  }

  get pending(): number {
    return this.out.pending;
  }

  take(): ParseResult {
    return this.out.take();
  }

  value(value: unknown, element: JsonElement): void {
    if (Array.isArray(value)) {
      for (const entry of value) parseGcpEntry(entry, ++this.itemNo, this.out, this.options);
      return;
    }
    const wrapped = value && typeof value === 'object' && !('jsonPayload' in value) && Array.isArray((value as { entries?: unknown }).entries);
    if (wrapped) for (const entry of (value as { entries: unknown[] }).entries) parseGcpEntry(entry, ++this.itemNo, this.out, this.options);
    else parseGcpEntry(value, element.item ? ++this.itemNo : element.line, this.out, this.options);
  }

  malformed(reason: string, raw: string | undefined, at: { line: number; item: boolean }): void {
    this.out.reject({ record: at.item ? ++this.itemNo : at.line, reason, raw });
  }
}

/** Whole-body convenience (tests, small bodies). */
export function parseGcpVpc(text: string, options: GcpVpcOptions = {}): ParseResult {
  const parser = new GcpBodyParser(options);
  readJsonText(text, GCP_STREAM_KEYS, parser);
  return parser.take();
}
