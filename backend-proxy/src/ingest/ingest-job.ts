import type { RecordError } from '../model/flow-row.js';
import { parseAzureNsg } from './azure-nsg.js';
import { DETECT_BYTES, createLineParser, decodeStream, detectFormat, looksLikeNdjson, parseBody, readLines, type FlowFormat } from './formats/index.js';
import { BodyDigest, type IngestJob, type ParsedBatch } from './ingest-service.js';

export const FORMATS: readonly FlowFormat[] = ['azure-nsg', 'azure-vnet', 'aws-vpc', 'gcp-vpc', 'ndjson'];

export interface JobOptions {
  /** null → detect from the first decoded bytes. */
  format: FlowFormat | null;
  source: string | null;
  /** AWS custom format string for a body without a header line. */
  awsFormat?: string;
  /** Raw body bytes beyond this many are refused (HTTP 413) */
  maxBytes: number;
  /** Rows (+ errors) per streamed batch: bounds memory on huge line-oriented bodies. */
  batchSize?: number;
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

/** Reads `n` bytes ahead of a stream and hands back both the head and the whole stream again. */
async function peek(stream: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const iterator = stream[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < n) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(taken);
  const all = (async function* () {
    yield head;
    if (done) return;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  })();
  return { head, all };
}

/**
 * Turns a request body stream into an IngestJob. Line-oriented bodies (AWS text, NDJSON, GCP
 * NDJSON) are parsed as they stream in, batch by batch, so a 500 MB file never sits in memory;
 * JSON documents (NSG and VNet blobs, GCP arrays, CloudWatch envelopes) are parsed whole.
 */
export async function createIngestJob(body: AsyncIterable<Buffer>, options: JobOptions): Promise<IngestJob> {
  const digest = new BodyDigest();
  let complete = false;
  const raw = (async function* () {
    for await (const chunk of body) {
      const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      digest.update(buffer);
      if (digest.bytes > options.maxBytes) throw new IngestInputError(413, `body larger than the limit of ${options.maxBytes} bytes (FLOWATLAS_BODY_LIMIT)`);
      yield buffer;
    }
    complete = true;
  })();
  const source = options.source ?? undefined;
  let truncation: RecordError | null = null;
  const decoded = decodeStream(raw, (error) => {
    truncation = error;
  }, source);
  const { head, all } = await peek(decoded, DETECT_BYTES);
  const headText = head.toString('utf8');
  const format = options.format ?? detectFormat(headText);
  if (!format) throw new IngestInputError(400, 'could not recognise the flow log format; name it in the URL: /api/v1/ingest/<format>', 'format');
  const trimmed = headText.trimStart();
  const streamed = format === 'ndjson' || (format === 'aws-vpc' && !trimmed.startsWith('{')) || (format === 'gcp-vpc' && trimmed.startsWith('{') && looksLikeNdjson(trimmed));
  const batchSize = options.batchSize ?? 20_000;
  const withTruncation = (batch: ParsedBatch): ParsedBatch => {
    if (truncation) batch.errors.push(truncation);
    truncation = null;
    return batch;
  };

  async function* streamedBatches(): AsyncGenerator<ParsedBatch> {
    const parser = createLineParser(format as 'aws-vpc' | 'gcp-vpc' | 'ndjson', { source, format: options.awsFormat });
    for await (const line of readLines(all)) {
      if (parser.push(line) >= batchSize) yield parser.take();
    }
    yield withTruncation(parser.end());
  }

  async function* wholeBody(known: ReadonlySet<string>): AsyncGenerator<ParsedBatch> {
    const chunks: Buffer[] = [];
    for await (const chunk of all) chunks.push(chunk);
    const text = Buffer.concat(chunks).toString('utf8');
    const parsed: ParsedBatch = format === 'azure-nsg' ? parseAzureNsg(text, { source, knownRecords: known }) : parseBody(format as Exclude<FlowFormat, 'azure-nsg'>, text, { source, format: options.awsFormat });
    yield withTruncation(parsed);
  }

  return {
    format,
    source: options.source,
    batches: (known) => (streamed ? streamedBatches() : wholeBody(known)),
    digest: () => (complete ? digest.result() : null),
  };
}
