// FlowAtlas NDJSON: our own schema, one directional flow per line, keys = the `flows` table's
// column names (snake_case). Documented in formats/README.md. Unknown keys are rejected (a typo
// such as "byte" must not silently store 0), except keys starting with "_" (free comments).
import type { Enrichment, FlowRecord, ParseResult } from '../../model/flow-row.js';
import { splitLines } from './lines.js';
import { ResultBuilder, type LineParser, epochToMs, ipFamily, isoTimeMs, parseCount, parseIntIn, parseProtocol, shown, timeProblem, type ParseOptions } from './common.js';

export type NdjsonOptions = ParseOptions;

const TEXT_FIELDS = { resource: 'resource', resource_group: 'resourceGroup', rule: 'rule', mac: 'mac', flow_state: 'flowState', encryption: 'encryption', account: 'account', vpc: 'vpc', subnet: 'subnet', instance: 'instance', cloud_region: 'cloudRegion' } as const;
const HINT_TEXT = { src_country: 'srcCountry', dst_country: 'dstCountry', src_site: 'srcSite', dst_site: 'dstSite', src_region: 'srcRegion', dst_region: 'dstRegion', src_provider: 'srcProvider', dst_provider: 'dstProvider', src_tenant: 'srcTenant', dst_tenant: 'dstTenant', src_role: 'srcRole', dst_role: 'dstRole', provider: 'provider', application: 'application', src_as_name: 'srcAsName', dst_as_name: 'dstAsName' } as const;
const HINT_INT = { src_asn: 'srcAsn', dst_asn: 'dstAsn' } as const;
const OTHER = ['time', 'time_end', 'src_ip', 'dst_ip', 'src_port', 'dst_port', 'protocol', 'direction', 'action', 'packets', 'bytes', 'flows', 'initiated', 'tcp_flags'];
const KNOWN = new Set([...OTHER, ...Object.keys(TEXT_FIELDS), ...Object.keys(HINT_TEXT), ...Object.keys(HINT_INT)]);

/** ISO 8601 text, or epoch milliseconds (numbers below 1e11 are taken as seconds). */
function timeOf(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.round(epochToMs(value));
  if (typeof value === 'string') {
    if (/^\d+$/.test(value)) return epochToMs(Number(value));
    return isoTimeMs(value);
  }
  return null;
}

/** One parsed line object → a row, or an error. `record` is the 1-based line. */
export function parseNdjsonObject(obj: unknown, record: number, raw: string, out: ResultBuilder, nowMs: number): void {
  const bad = (field: string | undefined, reason: string) => out.reject({ record, field, reason, raw });
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return bad(undefined, 'a line must be one JSON object');
  const o = obj as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KNOWN.has(k) && !k.startsWith('_'));
  if (unknown) return bad(unknown, `unknown key "${unknown}" (keys are snake_case column names, case-sensitive)`);

  const startMs = timeOf(o.time);
  if (startMs === null || Number.isNaN(startMs)) return bad('time', `missing or not a time: ${shown(o.time)}`);
  const problem = timeProblem(startMs, nowMs);
  if (problem) return bad('time', problem);
  let endMs = startMs;
  if (o.time_end !== undefined && o.time_end !== null) {
    const t = timeOf(o.time_end);
    if (t === null || Number.isNaN(t) || t < startMs) return bad('time_end', `not a time at or after "time": ${shown(o.time_end)}`);
    // Checked as "time" is: an end far in the future was stored, and one past year 275760 failed the batch (500).
    const endProblem = timeProblem(t, nowMs);
    if (endProblem) return bad('time_end', endProblem);
    endMs = t;
  }
  const srcIp = typeof o.src_ip === 'string' ? o.src_ip : '';
  const dstIp = typeof o.dst_ip === 'string' ? o.dst_ip : '';
  if (!ipFamily(srcIp)) return bad('src_ip', `missing or not an IP address: ${shown(o.src_ip)}`);
  if (!ipFamily(dstIp)) return bad('dst_ip', `missing or not an IP address: ${shown(o.dst_ip)}`);
  if (ipFamily(srcIp) !== ipFamily(dstIp)) return bad('dst_ip', `source ${srcIp} and destination ${dstIp} are different address families`);
  const protocol = parseProtocol(o.protocol);
  if (protocol === null) return bad('protocol', `missing or not a protocol: ${shown(o.protocol)}`);
  const port = (k: 'src_port' | 'dst_port') => (o[k] === undefined || o[k] === null ? null : parseIntIn(o[k], 0, 65535));
  const srcPort = port('src_port');
  const dstPort = port('dst_port');
  if (srcPort === null && o.src_port != null) return bad('src_port', `not a port: ${shown(o.src_port)}`);
  if (dstPort === null && o.dst_port != null) return bad('dst_port', `not a port: ${shown(o.dst_port)}`);
  const count = (k: string, dflt: number) => (o[k] === undefined || o[k] === null ? dflt : parseCount(o[k]));
  const packets = count('packets', 0);
  const bytes = count('bytes', 0);
  const flows = count('flows', 1);
  if (packets === null) return bad('packets', `not a non-negative integer: ${shown(o.packets)}`);
  if (bytes === null) return bad('bytes', `not a non-negative integer: ${shown(o.bytes)}`);
  if (flows === null || flows > 1) return bad('flows', `must be 0 or 1: ${shown(o.flows)}`);
  if (o.direction != null && o.direction !== 'inbound' && o.direction !== 'outbound') return bad('direction', `must be "inbound" or "outbound": ${shown(o.direction)}`);
  if (o.action != null && o.action !== 'allow' && o.action !== 'deny') return bad('action', `must be "allow" or "deny": ${shown(o.action)}`);
  if (o.initiated != null && typeof o.initiated !== 'boolean') return bad('initiated', `must be true, false or null: ${shown(o.initiated)}`);
  const tcpFlags = o.tcp_flags == null ? null : parseIntIn(o.tcp_flags, 0, 65535);
  if (tcpFlags === null && o.tcp_flags != null) return bad('tcp_flags', `not an integer: ${shown(o.tcp_flags)}`);

  const row: FlowRecord = {
    startMs,
    endMs,
    srcIp,
    dstIp,
    srcPort,
    dstPort,
    protocol,
    direction: (o.direction as FlowRecord['direction']) ?? null,
    action: (o.action as FlowRecord['action']) ?? null,
    flowState: null,
    packets,
    bytes,
    flows,
    initiated: (o.initiated as boolean | null | undefined) ?? null,
    sourceType: 'ndjson',
    resource: null,
    resourceGroup: null,
    rule: null,
    mac: null,
    tcpFlags,
    encryption: null,
    account: null,
    vpc: null,
    subnet: null,
    instance: null,
    cloudRegion: null,
  };
  for (const [key, field] of Object.entries(TEXT_FIELDS)) {
    const v = o[key];
    if (v == null) continue;
    if (typeof v !== 'string') return bad(key, `must be a string: ${shown(v)}`);
    row[field] = v;
  }
  const hints: Partial<Enrichment> = {};
  for (const [key, field] of Object.entries(HINT_TEXT)) {
    const v = o[key];
    if (v == null) continue;
    if (typeof v !== 'string') return bad(key, `must be a string: ${shown(v)}`);
    hints[field] = v;
  }
  for (const [key, field] of Object.entries(HINT_INT)) {
    if (o[key] == null) continue;
    const n = parseIntIn(o[key], 0, 4294967295);
    if (n === null) return bad(key, `not an AS number: ${shown(o[key])}`);
    hints[field] = n;
  }
  if (Object.keys(hints).length) row.hints = hints;
  out.rows.push(row);
}

/** Streaming: push one line at a time (1-based line numbers in errors). */
export function createNdjsonParser(options: NdjsonOptions = {}): LineParser {
  const out = new ResultBuilder(options.source);
  const nowMs = options.nowMs ?? Date.now();
  let lineNo = 0;
  return {
    push(rawLine: string): number {
      lineNo++;
      // A UTF-8 byte order mark (Windows tools write one) is not part of the first line's JSON: it was rejected.
      const line = lineNo === 1 && rawLine.startsWith('\uFEFF') ? rawLine.slice(1) : rawLine;
      if (line.trim() === '') return out.pending;
      let obj: unknown;
      try {
        obj = JSON.parse(line);
      } catch (err) {
        out.reject({ record: lineNo, reason: `invalid JSON: ${(err as Error).message}`, raw: line });
        return out.pending;
      }
      parseNdjsonObject(obj, lineNo, line, out, nowMs);
      return out.pending;
    },
    reject(reason: string, raw: string): number {
      out.reject({ record: ++lineNo, reason, raw });
      return out.pending;
    },
    take: (): ParseResult => out.take(),
    end: (): ParseResult => out.take(),
  };
}

export function parseNdjson(text: string, options: NdjsonOptions = {}): ParseResult {
  const parser = createNdjsonParser(options);
  for (const line of splitLines(text)) parser.push(line);
  return parser.end();
}
