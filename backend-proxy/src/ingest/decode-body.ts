import { gunzipSync } from 'node:zlib';

/** A body whose compression is broken: what was readable is still returned with the fault. */
export interface DecodedBody {
  text: string;
  /** Set when the gzip stream ended early or is corrupt; `text` holds what could be read. */
  truncation: string | null;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Gunzips when the client says so or the bytes start with the gzip magic number. */
export function decodeBody(body: Buffer, contentEncoding?: string): DecodedBody {
  const gzipped = contentEncoding?.toLowerCase().includes('gzip') || (body[0] === GZIP_MAGIC[0] && body[1] === GZIP_MAGIC[1]);
  if (!gzipped) return { text: body.toString('utf8'), truncation: null };
  try {
    return { text: gunzipSync(body).toString('utf8'), truncation: null };
  } catch (err) {
    // finishFlush lets zlib hand back everything it decoded before the stream broke off.
    let partial = Buffer.alloc(0);
    try {
      partial = gunzipSync(body, { finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } catch {
      // nothing readable
    }
    return { text: partial.toString('utf8'), truncation: `gzip stream is truncated or corrupt (${(err as Error).message}); ${partial.length} decompressed bytes kept` };
  }
}
