import { jsonErrorPosition } from './json-error-position.js';

/** A body that is not valid JSON: the client gets 400 with the byte offset of the fault. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly offset: number | null,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** Byte offset (UTF-8) of character index `charIndex` in `text`. */
function byteOffset(text: string, charIndex: number): number {
  return Buffer.byteLength(text.slice(0, charIndex), 'utf8');
}

function parseOne(text: string, baseOffset: number, line?: number): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    // V8 says "... at position N" (or "... in JSON at position N (line L column C)").
    const match = /position (\d+)/.exec(message);
    const position = match ? Number(match[1]) : jsonErrorPosition(text);
    const offset = position === null ? null : baseOffset + byteOffset(text, position);
    const where = line ? `line ${line}` : offset === null ? 'the body' : `byte offset ${offset}`;
    throw new JsonBodyError(`malformed JSON at ${where}: ${message}`, offset, line);
  }
}

/**
 * Parses a body that is either one JSON document or newline-delimited JSON documents
 * (records as they arrive one per line from an event stream). Returns the documents in order.
 */
export function parseJsonDocuments(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    return [JSON.parse(trimmed)];
  } catch {
    // Fall through: maybe NDJSON; if it is not, report the first bad line precisely.
  }
  const lines = text.split('\n');
  if (lines.filter((l) => l.trim() !== '').length < 2) return [parseOne(trimmed, text.indexOf(trimmed[0]!))];
  const docs: unknown[] = [];
  let offset = 0;
  lines.forEach((line, i) => {
    if (line.trim() !== '') docs.push(parseOne(line, byteOffset(text, offset), i + 1));
    offset += line.length + 1;
  });
  return docs;
}
