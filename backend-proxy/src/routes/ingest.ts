import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestService } from '../ingest/ingest-service.js';
import { parseAzureNsg } from '../ingest/azure-nsg.js';
import { DETECT_BYTES, decodeBody, detectFormat, parseBody, type FlowFormat } from '../ingest/formats/index.js';
import type { ParseResult } from '../model/flow-row.js';
import { httpError } from './errors.js';

/** Query parameters every ingest route understands. */
interface IngestQuery {
  /** The object's name (blob path, S3 key, file name): idempotency key and error location. */
  source?: string;
  /** AWS: a custom log format string for a body without a header line. */
  format?: string;
}

type Parser = (text: string, q: IngestQuery) => ParseResult & { duplicates?: number; accepted?: number };

/** One parser per format; each takes the decoded text and the request's parameters. */
export const PARSERS: Record<FlowFormat, Parser> = {
  'azure-nsg': (text, q) => parseAzureNsg(text, { source: q.source }),
  'azure-vnet': (text, q) => parseBody('azure-vnet', text, { source: q.source }),
  'aws-vpc': (text, q) => parseBody('aws-vpc', text, { source: q.source, format: q.format }),
  'gcp-vpc': (text, q) => parseBody('gcp-vpc', text, { source: q.source }),
  ndjson: (text, q) => parseBody('ndjson', text, { source: q.source }),
};

function rawBody(request: FastifyRequest): Buffer {
  if (Buffer.isBuffer(request.body)) return request.body;
  return Buffer.from(typeof request.body === 'string' ? request.body : '');
}

export function ingestRoutes(app: FastifyInstance, service: IngestService): void {
  const ingest = async (request: FastifyRequest, requested: string | null) => {
    const query = request.query as IngestQuery;
    const source = query.source?.trim() || null;
    const raw = rawBody(request);
    const decoded = decodeBody(raw, source ?? undefined);
    const text = decoded.data.toString('utf8');
    const format = (requested ?? detectFormat(text.slice(0, DETECT_BYTES))) as FlowFormat | null;
    if (!format) throw httpError(400, 'could not recognise the flow log format; name it in the URL: /api/v1/ingest/<format>', { field: 'format' });
    const parser = PARSERS[format];
    return service.ingest({
      format,
      source,
      rawBody: raw,
      parse: () => {
        const parsed = parser(text, { ...query, source: source ?? undefined });
        // A truncated gzip keeps what was readable; the truncation itself is reported as an error.
        if (decoded.error) parsed.errors.push(decoded.error);
        return parsed;
      },
    });
  };

  app.post('/api/v1/ingest', async (request) => ingest(request, null));
  app.post<{ Params: { format: string } }>('/api/v1/ingest/:format', async (request, reply) => {
    const format = request.params.format;
    if (!(format in PARSERS)) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `unknown format "${format}"; one of ${Object.keys(PARSERS).join(', ')}`, field: 'format' });
    }
    return ingest(request, format);
  });
}
