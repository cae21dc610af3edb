import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestService } from '../ingest/ingest-service.js';
import { FORMATS, createIngestJob } from '../ingest/ingest-job.js';
import type { FlowFormat } from '../ingest/formats/index.js';
import { GCP_REPORTERS, type GcpReporters } from '../ingest/formats/gcp-vpc.js';
import { httpError } from './errors.js';

/** Query parameters every ingest route understands. */
interface IngestQuery {
  /** The object's name (blob path, S3 key, file name): idempotency key and error location. */
  source?: string;
  /** AWS: a custom log format string for a body without a header line. */
  format?: string;
  /** GCP: `all` keeps both reports of a VM-to-VM flow (default `src-when-both`, see docs/formats.md). */
  reporters?: string;
}

/** The request body as a byte stream: ingest routes read it raw, never buffered by Fastify. */
function bodyStream(request: FastifyRequest): AsyncIterable<Buffer> {
  const body = request.body as unknown;
  if (body && typeof (body as AsyncIterable<Buffer>)[Symbol.asyncIterator] === 'function') return body as AsyncIterable<Buffer>;
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : '');
  return (async function* () {
    yield buffer;
  })();
}

/**
 * One query parameter as text. `?source=a&source=b` arrives as an array, which once reached
 * `.trim()` (and the AWS format parser) and answered 500: it is a 400 naming the parameter.
 */
function single(query: Record<string, unknown>, name: keyof IngestQuery): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw httpError(400, `${name} must be given once, as text`, { field: name });
}

export function ingestRoutes(app: FastifyInstance, service: IngestService, maxBytes: number, maxRecordBytes?: number): void {
  const ingest = async (request: FastifyRequest, format: FlowFormat | null) => {
    const params = request.query as Record<string, unknown>;
    const query: IngestQuery = { source: single(params, 'source'), format: single(params, 'format'), reporters: single(params, 'reporters') };
    const reporters = query.reporters?.trim() || undefined;
    if (reporters !== undefined && !(GCP_REPORTERS as readonly string[]).includes(reporters)) {
      throw httpError(400, `reporters must be one of ${GCP_REPORTERS.join(', ')}, got ${JSON.stringify(reporters)}`, { field: 'reporters' });
    }
    const job = await createIngestJob(bodyStream(request), { format, source: query.source?.trim() || null, awsFormat: query.format, gcpReporters: reporters as GcpReporters | undefined, maxBytes, maxRecordBytes });
    return service.ingest(job);
  };

  app.post('/api/v1/ingest', async (request) => ingest(request, null));
  app.post<{ Params: { format: string } }>('/api/v1/ingest/:format', async (request, reply) => {
    const format = request.params.format as FlowFormat;
    if (!FORMATS.includes(format)) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `unknown format "${format}"; one of ${FORMATS.join(', ')}`, field: 'format' });
    }
    return ingest(request, format);
  });
}
