// Pieces every format parser shares: options, the result accumulator, time and address checks.
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import type { FlowRecord, ParseResult, ParsedBatch, RecordError } from '../../model/flow-row.js';
import { parseIsoTime } from '../../model/iso-time.js';

export interface ParseOptions {
  /** Object / file name, copied into every RecordError. */
  source?: string;
  /** "Now" for the future-time check (epoch ms); tests pin it. Defaults to Date.now(). */
  nowMs?: number;
}

/**
 * Raw text kept in an error (dead-letter table) is cut here so one huge bad line cannot bloat
 * memory; large enough for a whole GCP LogEntry or a one-tuple Azure record, so those stay
 * replayable.
 */
export const RAW_LIMIT = 8192;
/**
 * Reasons quote the offending value (`not an IP address: …`): cut here, or a 20 MB value is
 * 20 MB of reason in the response and in dead_letters.reason (the raw text already is cut).
 */
export const REASON_LIMIT = 500;
/** Raw text of errors counts toward a batch's size: this many characters weigh as much as one row. */
const RAW_CHARS_PER_ROW = 512;
const YEAR_2000_MS = Date.UTC(2000, 0, 1);
const ONE_DAY_MS = 86_400_000;
/** The largest epoch ms a JavaScript Date can hold (year 275760). */
const MAX_DATE_MS = 8.64e15;

export function truncateRaw(raw: string): string {
  return raw.length > RAW_LIMIT ? `${raw.slice(0, RAW_LIMIT)}…[${raw.length} chars]` : raw;
}

/**
 * Collects rows, errors and skips of one body or stream. `take()` hands over what has been
 * collected so far and starts afresh, so a streaming caller can write batches as it goes.
 */
export class ResultBuilder {
  rows: FlowRecord[] = [];
  errors: RecordError[] = [];
  skipped = 0;
  private rawChars = 0;
  constructor(private readonly source?: string) {}

  reject(error: Omit<RecordError, 'source'>): void {
    const e: RecordError = this.source === undefined ? { ...error } : { source: this.source, ...error };
    if (e.reason.length > REASON_LIMIT) e.reason = `${e.reason.slice(0, REASON_LIMIT)}…[${e.reason.length} chars]`;
    if (e.raw !== undefined) {
      e.raw = truncateRaw(e.raw);
      this.rawChars += e.raw.length;
    }
    this.errors.push(e);
  }

  /** Rows and errors waiting (raw error text weighed in), to decide when to hand over a batch. */
  get pending(): number {
    return this.rows.length + this.errors.length + Math.floor(this.rawChars / RAW_CHARS_PER_ROW);
  }

  take(): ParseResult {
    const out: ParseResult = { rows: this.rows, errors: this.errors, skipped: this.skipped };
    this.rows = [];
    this.errors = [];
    this.skipped = 0;
    this.rawChars = 0;
    return out;
  }
}

/** A streaming parser of one body: fed elsewhere (lines, JSON records), batches taken here. */
export interface BodyParser {
  /** Rows + errors waiting to be taken (see ResultBuilder.pending). */
  readonly pending: number;
  take(): ParsedBatch;
  /**
   * Parsers that queue records (one JSON record can hold tens of thousands of tuples) expand them
   * here until `limit` rows + errors wait; true while queued work remains.
   */
  pump?(limit: number): boolean;
}

/** Open flows remembered per generation (two generations: at most twice this many keys, ~20 MB). */
export const OPEN_FLOWS = 100_000;

/**
 * The key OpenFlows remembers a connection by. Built with join, which makes one flat string: a
 * template literal makes a rope of ten string pieces that also keeps every tuple's whole text
 * alive through its address substrings — ~300 bytes a key instead of ~60, and 60 MB of a VNet
 * proxy's heap at 200k open flows.
 */
export function openFlowKey(resource: string | null, src: string, dst: string, srcPort: number | null, dstPort: number | null, protocol: number): string {
  return [resource, src, dst, srcPort, dstPort, protocol].join('|');
}

/**
 * The flows opened (B) earlier in this body and not ended (E) yet, in two generations of at most
 * `limit` keys: a 500 MB blob opens millions of flows that never end inside it (every one still
 * open at the end of the hour), and one set of them all held the proxy at ~590 MB (NSG and VNet). A flow older
 * than two generations that continues is counted as an opener the ingest service checks against
 * earlier blobs, the same as a flow begun in an earlier blob.
 */
export class OpenFlows {
  private recent = new Set<string>();
  private older = new Set<string>();

  constructor(private readonly limit: number) {}

  has(key: string): boolean {
    return this.recent.has(key) || this.older.has(key);
  }

  add(key: string): void {
    if (this.recent.has(key)) return;
    if (this.recent.size >= this.limit) {
      this.older = this.recent;
      this.recent = new Set();
    }
    this.recent.add(key);
  }

  delete(key: string): void {
    this.recent.delete(key);
    this.older.delete(key);
  }

  get size(): number {
    return this.recent.size + this.older.size;
  }
}

/** Identity of a JSON record for idempotency: the same record read again (grown blob, repeated record) has the same one. */
export function recordFingerprint(record: unknown): string {
  return createHash('sha1').update(JSON.stringify(record)).digest('base64');
}

/** Recent fingerprints kept per generation (two generations: at most twice this many). */
const RECENT_RECORDS = 50_000;

/**
 * The JSON records an Azure blob parser has met: those already stored from this source (an
 * append blob read again after it grew: `known`, from ingest_records) and this body's recent
 * ones (a record repeated in one body, as the NSG v1 documentation sample does). Recent ones are
 * kept in two generations of at most RECENT_RECORDS, so a blob of a million records does not keep
 * a million fingerprints; `added` collects this body's new fingerprints for the next read.
 */
export class SeenRecords {
  private recent = new Set<string>();
  private older = new Set<string>();
  added: string[] = [];

  constructor(private readonly known?: ReadonlySet<string>) {}

  /** True when the record was met before (skip it); otherwise remembers it and returns false. */
  repeat(record: unknown): boolean {
    const fingerprint = recordFingerprint(record);
    if (this.recent.has(fingerprint) || this.older.has(fingerprint) || this.known?.has(fingerprint)) return true;
    if (this.recent.size >= RECENT_RECORDS) {
      this.older = this.recent;
      this.recent = new Set();
    }
    this.recent.add(fingerprint);
    this.added.push(fingerprint);
    return false;
  }

  /** The fingerprints added since the last call (handed over with a batch). */
  takeAdded(): string[] {
    const added = this.added;
    this.added = [];
    return added;
  }
}

/** Runs queued record expansions (generators yielding after each tuple) until `limit` items wait. */
export class WorkQueue {
  private readonly steps: Generator<void>[] = [];
  private head = 0;

  push(step: Generator<void>): void {
    this.steps.push(step);
  }

  run(out: { readonly pending: number }, limit: number): boolean {
    while (this.head < this.steps.length && out.pending < limit) {
      if (this.steps[this.head]!.next().done) {
        this.steps[this.head++] = undefined as unknown as Generator<void>;
        if (this.head === this.steps.length) {
          this.steps.length = 0;
          this.head = 0;
        }
      }
    }
    return this.head < this.steps.length;
  }
}

/** Why a record time is unacceptable, or null when it is fine (2000-01-01 ≤ t ≤ now + 1 day). */
export function timeProblem(ms: number, nowMs: number): string | null {
  // Beyond ±8.64e15 ms a Date is invalid and toISOString() throws (a 15-digit NSG time, 1e300 in NDJSON: 500).
  if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DATE_MS) return 'not a valid time';
  if (ms < YEAR_2000_MS) return `time ${new Date(ms).toISOString()} is before 2000-01-01`;
  if (ms > nowMs + ONE_DAY_MS) return `time ${new Date(ms).toISOString()} is more than 1 day in the future`;
  return null;
}

/**
 * A value quoted in an error reason, as JSON. A line may hold anything: JSON.stringify overflows
 * its stack on a value nested thousands of levels deep, which failed the whole body with 500.
 */
export function shown(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Array.isArray(value) ? 'an array nested too deeply to show' : 'an object nested too deeply to show';
  }
}

/** ISO 8601 / RFC 3339 text → epoch ms, or NaN (model/iso-time.ts: strict, UTC without an offset). */
export function isoTimeMs(text: string): number {
  return parseIsoTime(text) ?? NaN;
}

/** Epoch value in seconds or milliseconds → ms. Values below 1e11 cannot be ms after 1973, so they are seconds. */
export function epochToMs(value: number): number {
  return Math.abs(value) < 1e11 ? value * 1000 : value;
}

/** A non-negative integer from a number or a decimal string (JSON int64 often arrives as a string). */
export function parseCount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : null;
  // 16 digits can exceed 2^53: 9999999999999999 became 10000000000000000, a count the log never said.
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return Number.isSafeInteger(Number(value)) ? Number(value) : null;
  return null;
}

/** An integer in [min, max] from a number or a decimal string, else null. */
export function parseIntIn(value: unknown, min: number, max: number): number | null {
  const n = typeof value === 'string' ? (/^-?\d{1,16}$/.test(value) ? Number(value) : NaN) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * 4 or 6 for a valid IPv4 / IPv6 address text, 0 otherwise. IPv4 (nearly every address in a
 * flow log) is checked by hand, with net.isIP's rules (no leading zeros); net.isIP's regular
 * expressions were a visible share of parse time.
 */
export function ipFamily(value: string): number {
  const n = value.length;
  // net.isIP takes IPv6 zone ids (fe80::1%eth0); PostgreSQL's inet does not, and failed the whole batch.
  if (n < 7 || n > 15 || value.includes(':')) return value.includes('%') ? 0 : isIP(value);
  let parts = 0;
  let digits = 0;
  let octet = 0;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++parts > 3) return 0;
      digits = 0;
      octet = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return 0; // leading zero
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return 0;
    } else return 0;
  }
  return parts === 3 && digits > 0 ? 4 : 0;
}

const PROTOCOL_NAMES: Record<string, number> = { icmp: 1, igmp: 2, tcp: 6, udp: 17, gre: 47, esp: 50, ah: 51, icmpv6: 58, sctp: 132 };

/** IANA protocol number from a number, a decimal string or a common name (tcp, udp, icmp, …). */
export function parseProtocol(value: unknown): number | null {
  const n = parseIntIn(value, 0, 255);
  if (n !== null) return n;
  return typeof value === 'string' ? (PROTOCOL_NAMES[value.toLowerCase()] ?? null) : null;
}

export const TCP = 6;

/**
 * Who opened the connection when the record does not say: the side talking to a well-known
 * port (< 1024) from an ephemeral one (≥ 1024) is the client. Returns null when both or neither
 * side is below 1024, or ports are unknown.
 */
export function initiatedByPorts(srcPort: number | null, dstPort: number | null): boolean | null {
  if (srcPort === null || dstPort === null) return null;
  if (dstPort < 1024 && srcPort >= 1024) return true;
  if (srcPort < 1024 && dstPort >= 1024) return false;
  return null;
}

/**
 * Connection counting for formats where every record is one flow window (AWS, GCP): the row
 * counts as a new connection (flows = 1) unless it is known to be the responder's direction.
 * With TCP flags (AWS v3+): SYN without ACK = opening, SYN-ACK = responder, neither = a window
 * of a connection opened earlier (flows = 0).
 */
export function windowFlows(protocol: number, tcpFlags: number | null, srcPort: number | null, dstPort: number | null): { flows: number; initiated: boolean | null } {
  if (protocol === TCP && tcpFlags !== null) {
    if ((tcpFlags & 0x12) === 0x02) return { flows: 1, initiated: true };
    if ((tcpFlags & 0x12) === 0x12) return { flows: 0, initiated: false };
    return { flows: 0, initiated: initiatedByPorts(srcPort, dstPort) };
  }
  const initiated = initiatedByPorts(srcPort, dstPort);
  return { flows: initiated === false ? 0 : 1, initiated };
}

/** Last path segment after `/<kind>/` in an Azure resource id (case-insensitive kind), or null. */
export function azureIdPart(resourceId: string | undefined, kind: string): string | null {
  if (!resourceId) return null;
  const parts = resourceId.split('/');
  for (let i = 0; i < parts.length - 1; i++) if (parts[i].toLowerCase() === kind) return parts[i + 1] || null;
  return null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Incremental parser of a line format. */
export interface LineParser {
  /** Parses one line (without its newline); returns how many rows + errors wait to be taken. */
  push(line: string): number;
  /** Counts the next line as rejected unread, with the reason and what is kept of it; returns as push does. */
  reject(reason: string, raw: string): number;
  /** Hands over the rows, errors and skips collected so far. */
  take(): ParseResult;
  /** Finishes the stream; returns what is left. */
  end(): ParseResult;
}
