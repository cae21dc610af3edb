import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IngestService } from '../ingest/ingest-service.js';
import { decodeBody } from '../ingest/decode-body.js';
import { parseAzureNsg } from '../ingest/azure-nsg.js';
import type { ParseResult } from '../model/flow-row.js';

/** A format's parser: decoded text in, rows and located errors out. */
export type BodyParser = (text: string, options: { source?: string; query: Record<string, string | undefined> }) => ParseResult & { duplicates?: number; accepted?: number };

export const PARSERS: Record<string, BodyParser> = {
  'azure-nsg': (text, o) => parseAzureNsg(text, { source: o.source }),
};

function sourceOf(request: FastifyRequest): string | null {
  const q = request.query as Record<string, string | undefined>;
  return q.source?.trim() || null;
}

export function ingestRoutes(app: FastifyInstance, service: IngestService, parsers: Record<string, BodyParser> = PARSERS): void {
  app.post<{ Params: { format: string } }>('/api/v1/ingest/:format', async (request, reply) => {
    const parser = parsers[request.params.format];
    if (!parser) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `unknown format "${request.params.format}"; one of ${Object.keys(parsers).join(', ')}`, field: 'format' });
    }
    const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.from(typeof request.body === 'string' ? request.body : '');
    const decoded = decodeBody(raw, request.headers['content-encoding']);
    const source = sourceOf(request);
    const query = request.query as Record<string, string | undefined>;
    const result = await service.ingest({
      format: request.params.format,
      source,
      rawBody: raw,
      parse: () => {
        const parsed = parser(decoded.text, { source: source ?? undefined, query });
        if (decoded.truncation) parsed.errors.push({ source: source ?? undefined, record: -1, field: 'body', reason: decoded.truncation });
        return parsed;
      },
    });
    return result;
  });
}
