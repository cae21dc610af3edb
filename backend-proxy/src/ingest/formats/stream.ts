// Body → batches of rows, in bounded memory: gunzip by magic bytes, peek the first bytes for
// format detection, then parse line by line (AWS text, NDJSON) or one JSON document at a time.
import type { ParseResult, RecordError } from '../../model/flow-row.js';
import { DETECT_BYTES } from './detect.js';
import { decodeStream } from './gzip.js';
import { readLines } from './lines.js';
import { parseBody, createLineParser, type FormatOptions, type OwnFormat } from './dispatch.js';

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
  // Cut at a character boundary is not needed: a broken last character only affects detection text.
  const head = Buffer.concat(ahead).subarray(0, DETECT_BYTES).toString('utf8');
  const body = (async function* () {
    yield* ahead;
    if (done) return;
    for (let n = await decoded.next(); !n.done; n = await decoded.next()) yield n.value;
  })();
  return { head, body, errors };
}

/**
 * Parses a decoded body in batches of about `batchSize` rows. Line formats (AWS text, GCP NDJSON,
 * FlowAtlas NDJSON) stream; a JSON document (VNet blob, GCP object/array, CloudWatch envelope) is
 * read whole first — bounded by the route's body limit.
 */
export async function* parseStream(format: OwnFormat, body: AsyncIterable<Buffer>, options: FormatOptions = {}, batchSize = 10000): AsyncGenerator<ParseResult> {
  const lines = readLines(body)[Symbol.asyncIterator]();
  // The first non-empty line decides between line mode and whole-document mode.
  const leading: string[] = [];
  let first: string | undefined;
  for (let n = await lines.next(); !n.done; n = await lines.next()) {
    leading.push(n.value);
    if (n.value.trim() !== '') {
      first = n.value;
      break;
    }
  }
  if (first === undefined) return;
  const wholeDocument = format === 'azure-vnet' || (first.trimStart().startsWith('{') || first.trimStart().startsWith('[') ? !(format === 'ndjson' || (format === 'gcp-vpc' && isCompleteJson(first))) : false);
  if (wholeDocument) {
    const parts = [...leading];
    for (let n = await lines.next(); !n.done; n = await lines.next()) parts.push(n.value);
    yield parseBody(format, parts.join('\n'), options);
    return;
  }
  const parser = createLineParser(format as 'aws-vpc' | 'gcp-vpc' | 'ndjson', options);
  for (const line of leading) parser.push(line);
  for (let n = await lines.next(); !n.done; n = await lines.next()) {
    if (parser.push(n.value) >= batchSize) yield parser.take();
  }
  yield parser.end();
}

function isCompleteJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
