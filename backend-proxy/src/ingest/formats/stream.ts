// Body → batches of rows, in bounded memory: gunzip by magic bytes, peek the first bytes for
// format detection, then parse line by line (AWS text, FlowAtlas NDJSON) or record by record
// (every JSON format: NSG and VNet blobs, GCP entries, CloudWatch envelopes), handing over a
// batch whenever about `batchSize` rows and errors have piled up.
import type { ParsedBatch, RecordError } from '../../model/flow-row.js';
import { JsonBodyError } from '../json-body.js';
import { DETECT_BYTES, type FlowFormat } from './detect.js';
import { decodeStream } from './gzip.js';
import { readLines } from './lines.js';
import { createLineParser, type FormatOptions } from './dispatch.js';
import { JsonRecordReader, type JsonRecordConsumer } from './json-records.js';
import type { BodyParser } from './common.js';
import { NSG_STREAM_KEYS, NsgBodyParser } from './azure-nsg.js';
import { VNET_STREAM_KEYS, VnetBodyParser } from './azure-vnet.js';
import { GCP_STREAM_KEYS, GcpBodyParser } from './gcp-vpc.js';
import { CLOUDWATCH_STREAM_KEYS, CloudWatchBodyParser } from './aws-vpc.js';

export interface OpenedBody {
  /** The first decoded bytes as text (up to DETECT_BYTES), for detectFormat. */
  head: string;
  /** The whole decoded body, head included. Consume it once. */
  body: AsyncIterable<Buffer>;
  /** Gzip damage found while reading (filled as `body` is consumed). */
  errors: RecordError[];
}

/** Decodes gzip and reads ahead just enough to detect the format. */
export async function openBody(chunks: AsyncIterable<Buffer | Uint8Array>, source?: string): Promise<OpenedBody> {
  const errors: RecordError[] = [];
  const decoded = decodeStream(chunks, (e) => errors.push(e), source)[Symbol.asyncIterator]();
  const ahead: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < DETECT_BYTES) {
    const next = await decoded.next();
    if (next.done) {
      done = true;
      break;
    }
    ahead.push(next.value);
    size += next.value.length;
  }
  // A character cut at the end only affects the detection text, not the body.
  const head = Buffer.concat(ahead).subarray(0, DETECT_BYTES).toString('utf8');
  const body = (async function* () {
    yield* ahead;
    if (done) return;
    for (let n = await decoded.next(); !n.done; n = await decoded.next()) yield n.value;
  })();
  return { head, body, errors };
}

export interface StreamOptions extends FormatOptions {
  /** Azure NSG and VNet: fingerprints of the records already stored from this source (grown append blobs). */
  knownRecords?: ReadonlySet<string>;
  /** Longest record (a line, or one JSON record) read; a longer one is rejected unread. */
  maxRecordBytes?: number;
}

/**
 * A record longer than this is rejected without being read: the body limit counts compressed
 * bytes, and a small gzip can unpack to one record of gigabytes, which would take the proxy's
 * memory. The largest real records (an NSG minute of a busy subnet, a CloudWatch envelope) are
 * a few MB.
 */
export const DEFAULT_MAX_RECORD_BYTES = 32 * 1024 * 1024;

/** True when the body is read line by line (AWS text, FlowAtlas NDJSON); every other body is JSON records. */
export function isLineBody(format: FlowFormat, head: string): boolean {
  return format === 'ndjson' || (format === 'aws-vpc' && !head.replace(/^\uFEFF/, '').trimStart().startsWith('{'));
}

/** The record-by-record parser of a JSON format and the keys whose arrays it streams. */
function jsonParser(format: FlowFormat, options: StreamOptions): { parser: JsonRecordConsumer & BodyParser; keys: readonly string[] } {
  switch (format) {
    case 'azure-nsg':
      return { parser: new NsgBodyParser({ source: options.source, now: options.nowMs, knownRecords: options.knownRecords }), keys: NSG_STREAM_KEYS };
    case 'azure-vnet':
      return { parser: new VnetBodyParser(options), keys: VNET_STREAM_KEYS };
    case 'gcp-vpc':
      return { parser: new GcpBodyParser(options), keys: GCP_STREAM_KEYS };
    case 'aws-vpc':
      return { parser: new CloudWatchBodyParser(options), keys: CLOUDWATCH_STREAM_KEYS };
    case 'ndjson':
      throw new Error('FlowAtlas NDJSON is a line format');
  }
}

/**
 * Parses an opened body in batches of about `batchSize` rows + errors. Gzip damage is reported in
 * the last batch. A JSON body with nothing readable at all throws JsonBodyError (HTTP 400).
 */
export async function* parseBodyStream(format: FlowFormat, opened: OpenedBody, options: StreamOptions = {}, batchSize = 20_000): AsyncGenerator<ParsedBatch> {
  let reported = 0;
  const withDamage = (batch: ParsedBatch): ParsedBatch => {
    while (reported < opened.errors.length) batch.errors.push(opened.errors[reported++]!);
    return batch;
  };
  if (isLineBody(format, opened.head)) {
    const parser = createLineParser(format as 'aws-vpc' | 'ndjson', options);
    const max = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    for await (const line of readLines(opened.body, max)) {
      const waiting = typeof line === 'string' ? parser.push(line) : parser.reject(`a line of ${line.length} characters is longer than the limit of ${max} (FLOWATLAS_MAX_RECORD_BYTES): not read`, line.head);
      if (waiting >= batchSize) yield parser.take();
    }
    yield withDamage(parser.end());
    return;
  }
  const { parser, keys } = jsonParser(format, options);
  const reader = new JsonRecordReader(keys, parser, options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES);
  // Expand queued records a batch at a time (pump stops once `batchSize` rows wait).
  const full = function* (): Generator<ParsedBatch> {
    for (;;) {
      parser.pump?.(batchSize);
      if (parser.pending < batchSize) return;
      yield parser.take();
    }
  };
  for await (const chunk of opened.body) {
    reader.push(chunk);
    yield* full();
  }
  try {
    reader.end();
  } catch (err) {
    // Nothing readable: say so, and why when the gzip stream was the cause.
    if (err instanceof JsonBodyError && opened.errors.length) throw new JsonBodyError(`${err.message} (${opened.errors[0]!.reason})`, err.offset, err.line);
    throw err;
  }
  yield* full();
  yield withDamage(parser.take());
}
