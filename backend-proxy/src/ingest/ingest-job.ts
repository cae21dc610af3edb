import { openBody, detectFormat, parseBodyStream, type FlowFormat } from './formats/index.js';
import { BodyDigest, type IngestJob } from './ingest-service.js';
import type { GcpReporters } from './formats/gcp-vpc.js';
import { pgTextOrNull } from '../db/pg-text.js';

export const FORMATS: readonly FlowFormat[] = ['azure-nsg', 'azure-vnet', 'aws-vpc', 'gcp-vpc', 'ndjson'];

export interface JobOptions {
  /** null → detect from the first decoded bytes. */
  format: FlowFormat | null;
  source: string | null;
  /** AWS custom format string for a body without a header line. */
  awsFormat?: string;
  /** GCP: which reports of a VM-to-VM flow to keep (gcp-vpc.ts); default 'src-when-both'. */
  gcpReporters?: GcpReporters;
  /** Raw body bytes beyond this many are refused (HTTP 413) */
  maxBytes: number;
  /** Longest record read (decoded); a longer one is rejected unread (default DEFAULT_MAX_RECORD_BYTES). */
  maxRecordBytes?: number;
  /** Rows (+ errors) per streamed batch: bounds memory whatever the body size; several batches per body let parsing overlap the database write. */
  batchSize?: number;
  /** Called with the raw (still compressed) byte count as the body is read (progress). */
  onBytes?: (bytes: number) => void;
}

/** A client error raised while reading the body (unknown format, too large). */
export class IngestInputError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Turns a request body stream into an IngestJob. Every format is parsed as the body streams in,
 * batch by batch (lines, or JSON records one at a time), so a 500 MB file never sits in memory.
 */
export async function createIngestJob(body: AsyncIterable<Buffer>, options: JobOptions): Promise<IngestJob> {
  const digest = new BodyDigest();
  let complete = false;
  const raw = (async function* () {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      digest.update(buffer);
      if (digest.bytes > options.maxBytes) throw new IngestInputError(413, `body larger than the limit of ${options.maxBytes} bytes (FLOWATLAS_BODY_LIMIT)`);
      options.onBytes?.(digest.bytes);
      yield buffer;
    }
    complete = true;
  })();
  // The idempotency key is stored as text (a NUL in ?source= failed the request with a 500).
  const name = pgTextOrNull(options.source);
  const source = name ?? undefined;
  const opened = await openBody(raw, source);
  const format = options.format ?? detectFormat(opened.head);
  if (!format) throw new IngestInputError(400, 'could not recognise the flow log format; name it in the URL: /api/v1/ingest/<format>', 'format');
  return {
    format,
    source: name,
    batches: (known) =>
      parseBodyStream(format, opened, { source, format: options.awsFormat, reporters: options.gcpReporters, knownRecords: known, maxRecordBytes: options.maxRecordBytes }, options.batchSize ?? 5_000),
    digest: () => (complete ? digest.result() : null),
  };
}
