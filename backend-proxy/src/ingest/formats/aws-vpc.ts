// AWS VPC and Transit Gateway flow logs: space-separated text, one record per line, in the
// default format or a custom field order (header line, configured format string, or default
// layouts recognised by their field count). Also the CloudWatch Logs subscription envelope.
import type { FlowRecord, ParseResult } from '../../model/flow-row.js';
export type { LineParser } from './common.js';
import { splitLines } from './lines.js';
import { readJsonText, type JsonRecordConsumer } from './json-records.js';
import { ResultBuilder, type BodyParser, type LineParser, ipFamily, parseCount, parseIntIn, timeProblem, windowFlows, type ParseOptions } from './common.js';

/** Version 2 default format (no header). */
export const AWS_DEFAULT_FIELDS = 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'.split(' ');

/** Every documented VPC field in documented order, v2 → v8 ("all fields" layouts are prefixes of it). */
export const AWS_VPC_FIELDS = [
  ...AWS_DEFAULT_FIELDS,
  ...'vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr'.split(' '), // v3
  ...'region az-id sublocation-type sublocation-id'.split(' '), // v4
  ...'pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path'.split(' '), // v5
  ...'ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn ecs-container-instance-id ecs-container-id ecs-second-container-id ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id'.split(' '), // v7
  'reject-reason', // v8
];

/** Transit Gateway flow logs, default format (version 6 field set). */
export const AWS_TGW_FIELDS = (
  'version resource-type account-id tgw-id tgw-attachment-id tgw-src-vpc-account-id tgw-dst-vpc-account-id ' +
  'tgw-src-vpc-id tgw-dst-vpc-id tgw-src-subnet-id tgw-dst-subnet-id tgw-src-eni tgw-dst-eni tgw-src-az-id ' +
  'tgw-dst-az-id tgw-pair-attachment-id srcaddr dstaddr srcport dstport protocol packets bytes start end log-status ' +
  'type packets-lost-no-route packets-lost-blackhole packets-lost-mtu-exceeded packets-lost-ttl-expired tcp-flags ' +
  'region flow-direction pkt-src-aws-service pkt-dst-aws-service'
).split(' ');

const KNOWN_FIELDS = new Set([...AWS_VPC_FIELDS, ...AWS_TGW_FIELDS]);
/** Field counts of the "all fields up to version N" VPC layouts, accepted without a header. */
const VPC_PREFIX_LENGTHS = [14, 21, 25, 29, 39, 40];

export interface AwsVpcOptions extends ParseOptions {
  /** Custom format string (`${version} ${srcaddr} …` or plain `version srcaddr …`), used when the body has no header. */
  format?: string;
  /**
   * Time for records whose format has no start/end column, epoch ms. Defaults to the CloudWatch
   * event timestamp, or to the time in an S3 object name (`…_20180620T1620Z_….log.gz`) given as `source`.
   */
  defaultTimeMs?: number;
  /** Resource for records without interface-id (CloudWatch log stream name). */
  defaultResource?: string;
}

/** Column positions of one field order; -1 = the format has no such column. */
interface Layout {
  names: string[];
  at: Record<string, number>;
  /** The field names as one header line: kept with a rejected line so its replay reads it the same way. */
  text: string;
}

function layoutOf(names: string[]): Layout {
  const at: Record<string, number> = {};
  names.forEach((n, i) => {
    if (at[n] === undefined) at[n] = i;
  });
  return { names, at, text: names.join(' ') };
}

/** Field names from `${a} ${b}`, `a b` or `a,b` format strings. */
export function parseAwsFormat(format: string): string[] {
  return format
    .replace(/[${}]/g, ' ')
    .split(/[\s,]+/)
    .filter((s) => s !== '');
}

const DEFAULT_LAYOUT = layoutOf(AWS_DEFAULT_FIELDS);
const TGW_LAYOUT = layoutOf(AWS_TGW_FIELDS);
const PREFIX_LAYOUTS = new Map(VPC_PREFIX_LENGTHS.map((n) => [n, layoutOf(AWS_VPC_FIELDS.slice(0, n))]));

/**
 * Incremental parser: feed it lines in file order (a header line switches the layout, also
 * mid-file), take() batches whenever convenient. Line numbers in errors are 1-based.
 */
export function createAwsVpcParser(options: AwsVpcOptions = {}): LineParser {
  const out = new ResultBuilder(options.source);
  const nowMs = options.nowMs ?? Date.now();
  const configured = options.format ? layoutOf(parseAwsFormat(options.format)) : null;
  const defaultTimeMs = options.defaultTimeMs ?? timeFromS3Key(options.source);
  let header: Layout | null = null;
  let lineNo = 0;

  // Without header or format, the first well-formed line picks a default layout by its field
  // count; later lines are held to it (so a short line is "too few fields", not "unknown").
  let inferred: Layout | null = null;
  function layoutFor(tokens: string[]): Layout | null {
    if (header) return header;
    if (configured) return configured;
    if (inferred) return inferred;
    if (tokens.length === 36 && tokens[3]?.startsWith('tgw-')) inferred = TGW_LAYOUT;
    else inferred = tokens.length === 14 ? DEFAULT_LAYOUT : (PREFIX_LAYOUTS.get(tokens.length) ?? null);
    return inferred;
  }

  function push(rawLine: string): number {
    lineNo++;
    const line = rawLine.trim();
    if (line === '') return out.pending;
    let tokens = line.split(' ');
    if (tokens.includes('')) tokens = line.split(/\s+/);
    if (isHeader(tokens)) {
      // A header (S3 objects have one; concatenated objects repeat it): it defines the layout.
      header = layoutOf(tokens);
      return out.pending;
    }
    const layout = layoutFor(tokens);
    if (!layout) {
      out.reject({ record: lineNo, reason: `${tokens.length} fields and no header or configured format that has ${tokens.length} fields (the default format has 14)`, raw: rawLine });
      return out.pending;
    }
    if (tokens.length !== layout.names.length) {
      const few = tokens.length < layout.names.length;
      out.reject({
        record: lineNo,
        field: few ? layout.names[tokens.length] : undefined,
        reason: `too ${few ? 'few' : 'many'} fields: ${tokens.length}, the format has ${layout.names.length}`,
        raw: rawLine,
        recordFormat: layout.text,
      });
      return out.pending;
    }
    parseRecord(tokens, layout, lineNo, rawLine);
    return out.pending;
  }

  function parseRecord(t: string[], L: Layout, record: number, raw: string): void {
    const result = readRecord(t, L);
    if (result === SKIP) out.skipped++;
    else if (Array.isArray(result)) out.reject({ record, field: result[0], reason: result[1], raw, recordFormat: L.text });
    else out.rows.push(result);
  }

  /** One record → a row, SKIP (NODATA/SKIPDATA), or [field, reason]. No closures: this is the hot loop. */
  function readRecord(t: string[], L: Layout): FlowRecord | typeof SKIP | [string, string] {
    const status = col(t, L, 'log-status');
    if (status === 'NODATA' || status === 'SKIPDATA') return SKIP;
    // pkt-srcaddr / pkt-dstaddr are the packet's real endpoints (behind NAT gateways, ELBs, TGWs).
    const srcIp = col(t, L, 'pkt-srcaddr') ?? col(t, L, 'srcaddr');
    const dstIp = col(t, L, 'pkt-dstaddr') ?? col(t, L, 'dstaddr');
    if (!srcIp) return fail('srcaddr', 'no source address (srcaddr and pkt-srcaddr absent)');
    if (!dstIp) return fail('dstaddr', 'no destination address (dstaddr and pkt-dstaddr absent)');
    const srcFamily = ipFamily(srcIp);
    const dstFamily = ipFamily(dstIp);
    if (!srcFamily) return fail(col(t, L, 'pkt-srcaddr') ? 'pkt-srcaddr' : 'srcaddr', `not an IP address: ${srcIp}`);
    if (!dstFamily) return fail(col(t, L, 'pkt-dstaddr') ? 'pkt-dstaddr' : 'dstaddr', `not an IP address: ${dstIp}`);
    if (srcFamily !== dstFamily) return fail('dstaddr', `source ${srcIp} and destination ${dstIp} are different address families`);

    const protocolText = col(t, L, 'protocol');
    // A format without a protocol column (e.g. `version interface-id srcaddr dstaddr`) gives 0 = unknown.
    const protocol = protocolText === undefined ? 0 : parseIntIn(protocolText, 0, 255);
    if (protocol === null) return fail('protocol', `not a protocol number: ${protocolText ?? '-'}`);
    const srcPort = portOf(col(t, L, 'srcport'));
    const dstPort = portOf(col(t, L, 'dstport'));
    if (srcPort === false) return fail('srcport', `not a port: ${col(t, L, 'srcport')}`);
    if (dstPort === false) return fail('dstport', `not a port: ${col(t, L, 'dstport')}`);
    const packets = countOf(col(t, L, 'packets'));
    const bytes = countOf(col(t, L, 'bytes'));
    if (packets === null) return fail('packets', `not a count: ${col(t, L, 'packets')}`);
    if (bytes === null) return fail('bytes', `not a count: ${col(t, L, 'bytes')}`);

    const times = timesOf(col(t, L, 'start'), col(t, L, 'end'));
    if (Array.isArray(times)) return times;
    const flagsText = col(t, L, 'tcp-flags');
    const tcpFlags = flagsText == null ? null : parseIntIn(flagsText, 0, 255);
    if (flagsText != null && tcpFlags === null) return fail('tcp-flags', `not a flag bitmask: ${flagsText}`);
    const { flows, initiated } = windowFlows(protocol, tcpFlags, srcPort, dstPort);
    const action = col(t, L, 'action');
    const flowDirection = col(t, L, 'flow-direction');
    const tgwAttachment = col(t, L, 'tgw-attachment-id') ?? col(t, L, 'tgw-id');

    const row: FlowRecord = {
      startMs: times.startMs,
      endMs: times.endMs,
      srcIp,
      dstIp,
      srcPort,
      dstPort,
      protocol,
      direction: flowDirection === 'ingress' ? 'inbound' : flowDirection === 'egress' ? 'outbound' : null,
      action: action === 'ACCEPT' ? 'allow' : action === 'REJECT' ? 'deny' : null,
      flowState: status ?? null,
      packets,
      bytes,
      flows,
      initiated,
      sourceType: 'aws-vpc',
      resource: col(t, L, 'interface-id') ?? tgwAttachment ?? options.defaultResource ?? null,
      resourceGroup: null,
      rule: null,
      mac: null,
      tcpFlags,
      encryption: null,
      account: col(t, L, 'account-id') ?? null,
      vpc: col(t, L, 'vpc-id') ?? col(t, L, 'tgw-src-vpc-id') ?? null,
      subnet: col(t, L, 'subnet-id') ?? col(t, L, 'tgw-src-subnet-id') ?? null,
      instance: col(t, L, 'instance-id') ?? null,
      cloudRegion: col(t, L, 'region') ?? null,
    };
    return row;
  }

  /** start/end in epoch seconds → ms, with the fallbacks and range checks; [field, reason] to reject. */
  function timesOf(startText: string | null | undefined, endText: string | null | undefined): { startMs: number; endMs: number } | [string, string] {
    const start = startText == null ? null : parseIntIn(startText, 0, 1e11);
    const end = endText == null ? null : parseIntIn(endText, 0, 1e11);
    if (startText != null && start === null) return ['start', `start is not epoch seconds: ${startText}`];
    if (endText != null && end === null) return ['end', `end is not epoch seconds: ${endText}`];
    let startMs = start === null ? null : start * 1000;
    let endMs = end === null ? null : end * 1000;
    if (startMs === null && endMs === null) {
      if (defaultTimeMs === undefined) return ['start', 'no start or end time in the record, and none from the object name or options'];
      startMs = endMs = defaultTimeMs;
    }
    // A start in 1970 (or before 2000) or in the future is rejected with its reason, even when the
    // end looks right: guessing a time (the end, the delivery time) would file the counters
    // where they did not happen, and a forensic timeline must not show made-up times.
    if (startMs !== null) {
      const problem = timeProblem(startMs, nowMs);
      if (problem) return ['start', start === null ? `time from the object name or event: ${problem}` : `start ${startText}: ${problem}`];
    }
    if (endMs !== null && end !== null) {
      const problem = timeProblem(endMs, nowMs);
      if (problem) return ['end', `end ${endText}: ${problem}`];
    }
    startMs ??= endMs!;
    endMs ??= startMs;
    if (endMs < startMs) endMs = startMs;
    return { startMs, endMs };
  }

  return {
    push,
    reject(reason: string, raw: string): number {
      out.reject({ record: ++lineNo, reason, raw });
      return out.pending;
    },
    take: () => out.take(),
    end: () => out.take(),
  };
}

/** The delivery time AWS writes into S3 flow-log object names: `_YYYYMMDDTHHmmZ_`. */
export function timeFromS3Key(name: string | undefined): number | undefined {
  const m = name ? /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/.exec(name) : null;
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]) : undefined;
}

const SKIP = Symbol('skip');

/** A column's value: undefined = not in the format; null = '-' (absent in this record). */
function col(t: string[], L: Layout, name: string): string | null | undefined {
  const i = L.at[name];
  if (i === undefined) return undefined;
  const v = t[i];
  return v === '-' ? null : v;
}

function fail(field: string, reason: string): [string, string] {
  return [field, reason];
}

/**
 * A header names fields: every token looks like a field name and at least one is a documented
 * field (columns AWS adds after version 8 are then kept as unknown and ignored). Data lines
 * always hold an address, a number or a '-', so they never pass.
 */
function isHeader(tokens: string[]): boolean {
  return tokens.every((t) => /^[a-z][a-z0-9-]*$/.test(t)) && tokens.some((t) => KNOWN_FIELDS.has(t) && t !== 'version' && t !== 'type' && t !== 'region');
}

function portOf(text: string | null | undefined): number | null | false {
  if (text == null) return null;
  const n = parseIntIn(text, 0, 65535);
  return n === null ? false : n;
}

function countOf(text: string | null | undefined): number | null {
  return text == null ? 0 : parseCount(text);
}

/**
 * Whole-body convenience: plain text lines, or CloudWatch Logs subscription envelopes
 * (`{"messageType":"DATA_MESSAGE","logEvents":[…]}`: one, one per line, or back to back).
 */
export function parseAwsVpc(text: string, options: AwsVpcOptions = {}): ParseResult {
  if (text.trimStart().startsWith('{')) {
    const parser = new CloudWatchBodyParser(options);
    readJsonText(text, CLOUDWATCH_STREAM_KEYS, parser);
    return parser.take();
  }
  const parser = createAwsVpcParser(options);
  for (const line of splitLines(text)) parser.push(line);
  return parser.end();
}

/** Envelopes are read whole (CloudWatch caps one at about 1 MB), so none of their keys streams. */
export const CLOUDWATCH_STREAM_KEYS: string[] = [];

/** Streaming parser of CloudWatch envelopes (JsonRecordConsumer): each envelope is one record. */
export class CloudWatchBodyParser implements JsonRecordConsumer, BodyParser {
  private readonly out: ResultBuilder;
  private envelopeNo = 0;
  private readonly options: AwsVpcOptions;

  constructor(options: AwsVpcOptions = {}) {
    this.out = new ResultBuilder(options.source);
    this.options = { ...options, nowMs: options.nowMs ?? Date.now() };
  }

  get pending(): number {
    return this.out.pending;
  }

  take(): ParseResult {
    return this.out.take();
  }

  value(value: unknown): void {
    const part = parseAwsCloudWatchEnvelope(value, this.options, ++this.envelopeNo);
    for (const row of part.rows) this.out.rows.push(row);
    for (const e of part.errors) this.out.errors.push(e);
    this.out.skipped += part.skipped;
  }

  malformed(reason: string, raw: string | undefined): void {
    this.out.reject({ record: ++this.envelopeNo, reason, raw });
  }
}

/**
 * One CloudWatch Logs subscription envelope (already gunzipped and JSON-parsed). Each log event's
 * message is one flow-log line in `options.format` (or a default layout); its record number is
 * the 1-based event index (`envelopeNo` is used for the record number of envelope-level errors).
 * Events whose format has no start/end take the event timestamp; CONTROL_MESSAGE envelopes are skipped.
 */
export function parseAwsCloudWatchEnvelope(doc: unknown, options: AwsVpcOptions = {}, envelopeNo = 1): ParseResult {
  const out = new ResultBuilder(options.source);
  const env = doc as { messageType?: unknown; logStream?: unknown; logEvents?: unknown };
  if (env && typeof env === 'object' && env.messageType === 'CONTROL_MESSAGE') {
    out.skipped++;
    return out.take();
  }
  if (!env || typeof env !== 'object' || !Array.isArray(env.logEvents)) {
    out.reject({ record: envelopeNo, field: 'logEvents', reason: 'not a CloudWatch Logs subscription envelope (no logEvents array)', raw: JSON.stringify(doc) ?? '' });
    return out.take();
  }
  const result: ParseResult = { rows: [], errors: [], skipped: 0 };
  env.logEvents.forEach((event: { message?: unknown; timestamp?: unknown }, i: number) => {
    if (!event || typeof event.message !== 'string') {
      out.reject({ record: i + 1, field: 'message', reason: 'log event has no message string', raw: JSON.stringify(event) ?? '' });
      return;
    }
    const parser = createAwsVpcParser({
      ...options,
      defaultTimeMs: typeof event.timestamp === 'number' ? event.timestamp : options.defaultTimeMs,
      defaultResource: options.defaultResource ?? (typeof env.logStream === 'string' ? env.logStream : undefined),
    });
    parser.push(event.message);
    const part = parser.end();
    result.rows.push(...part.rows);
    result.skipped += part.skipped;
    for (const e of part.errors) result.errors.push({ ...e, record: i + 1 });
  });
  const own = out.take();
  result.errors.push(...own.errors);
  return result;
}
