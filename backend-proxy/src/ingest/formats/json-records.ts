// JSON bodies record by record: the scanner finds each record's text, JSON.parse reads it, and
// a broken record or a broken structure is reported with its byte offset and line while the
// records around it are kept.
import { JsonBodyError, jsonErrorIndex } from '../json-body.js';
import { JsonElementScanner, type JsonElement, type JsonProblem } from './json-scanner.js';

/**
 * Deepest nesting a record may have. Flow-log records nest 7 levels or so; one nested thousands
 * deep overflowed the stack of the parsers' JSON.stringify (raw text, reasons) and recursion, and
 * the whole body failed with 500. Such a record is reported as malformed instead.
 */
export const MAX_RECORD_DEPTH = 64;

export interface JsonRecordConsumer {
  /** One record (or a document holding records, e.g. the v1 `{"records":[…]}` nested quirk). */
  value(value: unknown, element: JsonElement): void;
  /**
   * A record that is not valid JSON, or the point where the body's structure breaks. `at.item`:
   * it was (or broke) among the items of an array, else a top-level document starting on `at.line`.
   */
  malformed(reason: string, raw: string | undefined, at: { line: number; item: boolean }): void;
}

/**
 * Feeds a JSON body (PT1H.json blob, single records one per line, a GCP array or entries.list
 * response, concatenated CloudWatch envelopes) chunk by chunk to a format's consumer. Memory is
 * bounded by the largest single record. A body in which nothing at all could be read is refused
 * as a whole (JsonBodyError → HTTP 400 with the byte offset), as the skeleton's NSG route did.
 */
export class JsonRecordReader {
  private readonly scanner: JsonElementScanner;
  private parsed = 0;
  private first: JsonBodyError | null = null;

  constructor(
    streamKeys: readonly string[],
    private readonly consumer: JsonRecordConsumer,
    /** A longer record is rejected unread (stream.ts DEFAULT_MAX_RECORD_BYTES). */
    private readonly maxRecordBytes = Infinity,
  ) {
    this.scanner = new JsonElementScanner(
      new Set(streamKeys),
      {
        element: (e) => this.element(e),
        problem: (p) => this.problem(p),
      },
      maxRecordBytes,
    );
  }

  push(chunk: Buffer): void {
    this.scanner.push(chunk);
  }

  /** Ends the body; throws JsonBodyError when it held JSON errors and no readable record. */
  end(): void {
    this.scanner.end();
    if (this.parsed === 0 && this.first) throw this.first;
  }

  private element(e: JsonElement): void {
    if (e.oversizedBytes !== undefined) {
      this.report(e.offset, e.line, `a record of ${e.oversizedBytes} bytes is longer than the limit of ${this.maxRecordBytes} (FLOWATLAS_MAX_RECORD_BYTES): not read`, e.text, { line: e.line, item: e.item });
      return;
    }
    if (e.depth > MAX_RECORD_DEPTH) {
      this.report(e.offset, e.line, `a record nested ${e.depth} levels deep (at most ${MAX_RECORD_DEPTH})`, e.text, { line: e.line, item: e.item });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(e.text);
    } catch (err) {
      const index = jsonErrorIndex(e.text, err as Error);
      const before = index === null ? '' : e.text.slice(0, index);
      const offset = index === null ? e.offset : e.offset + Buffer.byteLength(before, 'utf8');
      const line = e.line + countNewlines(before);
      this.report(offset, line, (err as Error).message, e.text, { line: e.line, item: e.item });
      return;
    }
    this.parsed++;
    this.consumer.value(value, e);
  }

  private problem(p: JsonProblem): void {
    this.report(p.offset, p.line, p.fatal ? `${p.message}; the rest of the body could not be read` : `${p.message}; the rest of that line was skipped`, undefined, { line: p.line, item: p.item });
  }

  private report(offset: number, line: number, message: string, raw: string | undefined, at: { line: number; item: boolean }): void {
    const error = new JsonBodyError(`malformed JSON at byte offset ${offset} (line ${line}): ${message}`, offset, line);
    this.first ??= error;
    this.consumer.malformed(error.message, raw, at);
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Runs a whole in-memory body through a reader (tests, replays, small bodies). */
export function readJsonText(text: string, streamKeys: readonly string[], consumer: JsonRecordConsumer): void {
  const reader = new JsonRecordReader(streamKeys, consumer);
  reader.push(Buffer.from(text, 'utf8'));
  reader.end();
}
