// Splits a byte or text stream into lines without ever holding more than one partial line.
import { StringDecoder } from 'node:string_decoder';

/**
 * Yields the lines of a chunked stream (Buffers or strings), without their `\n` / `\r\n`.
 * A UTF-8 character split across chunks is decoded correctly; a final line without a trailing
 * newline is still yielded. Memory is bounded by the longest line.
 */
export async function* readLines(chunks: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  // The unfinished line in pieces, joined once its newline comes: only each new chunk is searched.
  // Searching the whole unfinished line again for every chunk made a long line quadratic (a 60 MB
  // line without a newline took 53 s of CPU).
  let pending: string[] = [];
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) !== -1) {
      const piece = text.slice(start, nl);
      if (pending.length) {
        pending.push(piece);
        yield stripCr(pending.join(''));
        pending = [];
      } else yield stripCr(piece);
      start = nl + 1;
    }
    if (start < text.length) pending.push(text.slice(start));
  }
  pending.push(decoder.end());
  const rest = pending.join('');
  if (rest !== '') yield stripCr(rest);
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
