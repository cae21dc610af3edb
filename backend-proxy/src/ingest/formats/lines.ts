// Splits a byte or text stream into lines without ever holding more than one partial line.
import { StringDecoder } from 'node:string_decoder';

/** A line longer than the reader's limit: only its length and its first characters are kept. */
export interface OversizedLine {
  oversized: true;
  /** Its length in characters. */
  length: number;
  /** Its first characters (for the dead letter). */
  head: string;
}

/** Characters of an oversized line kept for its dead letter. */
const OVERSIZED_HEAD = 8192;

/**
 * Yields the lines of a chunked stream (Buffers or strings), without their `\n` / `\r\n`.
 * A UTF-8 character split across chunks is decoded correctly; a final line without a trailing
 * newline is still yielded. Memory is bounded by `maxLength`: a longer line (a gzip bomb
 * unpacks to one line of gigabytes) is not assembled but yielded as an OversizedLine.
 */
export function readLines(chunks: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<string>;
export function readLines(chunks: AsyncIterable<Buffer | Uint8Array | string>, maxLength: number): AsyncGenerator<string | OversizedLine>;
export async function* readLines(chunks: AsyncIterable<Buffer | Uint8Array | string>, maxLength = Infinity): AsyncGenerator<string | OversizedLine> {
  const decoder = new StringDecoder('utf8');
  // The unfinished line in pieces, joined once its newline comes: only each new chunk is searched.
  // Searching the whole unfinished line again for every chunk made a long line quadratic (a 60 MB
  // line without a newline took 53 s of CPU).
  let pending: string[] = [];
  let pendingLength = 0;
  // Set once the unfinished line has passed maxLength: its pieces are dropped from then on.
  let oversized: OversizedLine | null = null;
  const add = (piece: string) => {
    pendingLength += piece.length;
    if (oversized) {
      oversized.length += piece.length;
      if (oversized.head.length < OVERSIZED_HEAD) oversized.head = (oversized.head + piece).slice(0, OVERSIZED_HEAD);
    } else if (pendingLength > maxLength) {
      oversized = { oversized: true, length: pendingLength, head: (pending.join('') + piece).slice(0, OVERSIZED_HEAD) };
      pending = [];
    } else pending.push(piece);
  };
  const finish = (): string | OversizedLine => {
    const line: string | OversizedLine = oversized ?? stripCr(pending.join(''));
    pending = [];
    pendingLength = 0;
    oversized = null;
    return line;
  };
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      if (pendingLength === 0 && nl - start <= maxLength) yield stripCr(text.slice(start, nl));
      else {
        add(text.slice(start, nl));
        yield finish();
      }
      start = nl + 1;
    }
    if (start < text.length) add(text.slice(start));
  }
  add(decoder.end());
  if (pendingLength > 0) yield finish();
}

/** Lines of a text already in memory (same rules as readLines). */
export function* splitLines(text: string): Generator<string> {
  let start = 0;
  let nl: number;
  while ((nl = text.indexOf('\n', start)) !== -1) {
    yield stripCr(text.slice(start, nl));
    start = nl + 1;
  }
  if (start < text.length) yield stripCr(text.slice(start));
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** True when the first line is a complete JSON value by itself (one document per line). */
export function looksLikeNdjson(text: string): boolean {
  const nl = text.indexOf('\n');
  if (nl === -1) return false;
  try {
    JSON.parse(text.slice(0, nl));
    return true;
  } catch {
    return false;
  }
}
