// Gzip bodies are recognised by their magic bytes (not by headers, which clients get wrong) and
// decoded; a truncated gzip keeps every byte that could be decoded and reports the truncation.
import { constants, createGunzip, gunzipSync, type Gunzip } from 'node:zlib';
import type { RecordError } from '../../model/flow-row.js';

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface DecodedBody {
  data: Buffer;
  gzip: boolean;
  /** Set when the gzip stream was damaged or cut short; `data` then holds what was readable. */
  error: RecordError | null;
}

/** Whole-body form: returns the body itself when it is not gzip. */
export function decodeBody(body: Buffer, source?: string): DecodedBody {
  if (!isGzip(body)) return { data: body, gzip: false, error: null };
  try {
    return { data: gunzipSync(body), gzip: true, error: null };
  } catch (err) {
    // Z_SYNC_FLUSH makes zlib return everything decoded so far instead of throwing.
    let data: Buffer;
    try {
      data = gunzipSync(body, { finishFlush: constants.Z_SYNC_FLUSH });
    } catch {
      data = Buffer.alloc(0);
    }
    return { data, gzip: true, error: gzipError(err, data.length, source) };
  }
}

/**
 * Streaming form: passes plain chunks through, gunzips gzip ones (multi-member files too).
 * On a damaged or truncated stream it stops after the last decodable bytes and calls onError.
 */
export async function* decodeStream(
  chunks: AsyncIterable<Buffer | Uint8Array>,
  onError: (error: RecordError) => void,
  source?: string,
): AsyncGenerator<Buffer> {
  const iterator = chunks[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) return;
  // A 1-byte first chunk cannot be told apart; join it with the next one.
  let head = Buffer.from(first.value);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, Buffer.from(next.value)]);
  }
  const rest = (async function* () {
    yield head;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield Buffer.from(r.value);
  })();
  if (!isGzip(head)) {
    yield* rest;
    return;
  }
  // Default flushing, so a cut-off stream ends in an 'unexpected end of file' error (inflate has
  // already emitted everything it could decode before that).
  const gunzip = createGunzip();
  let failure: unknown = null;
  let produced = 0;
  gunzip.on('error', (err) => {
    failure = err;
  });
  // Feed in the background with back-pressure; read the output as it comes.
  const feeding = (async () => {
    try {
      for await (const chunk of rest) {
        if (failure) break;
        if (!gunzip.write(chunk)) await drainedOrClosed(gunzip);
      }
    } catch (err) {
      failure = err;
    }
    gunzip.end();
  })();
  try {
    for await (const out of gunzip) {
      produced += (out as Buffer).length;
      yield out as Buffer;
    }
  } catch (err) {
    failure ??= err;
  }
  await feeding;
  if (failure) onError(gzipError(failure, produced, source));
}

/**
 * Waits until the gunzip takes more input, or is gone: a stream that failed (a damaged body:
 * trailing garbage, a bad CRC) never drains, and waiting for 'drain' alone hung the request with
 * its transaction open, which on the embedded database held up every other request too.
 */
function drainedOrClosed(gunzip: Gunzip): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      gunzip.off('drain', done);
      gunzip.off('close', done);
      resolve();
    };
    gunzip.on('drain', done);
    gunzip.on('close', done);
  });
}

function gzipError(err: unknown, decodedBytes: number, source?: string): RecordError {
  const message = err instanceof Error ? err.message : String(err);
  const e: RecordError = {
    record: 0,
    field: 'body',
    reason: `gzip stream damaged or truncated (${message}); kept the ${decodedBytes} bytes decoded before it`,
  };
  return source === undefined ? e : { source, ...e };
}
