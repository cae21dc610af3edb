import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { IngestService } from '../ingest/ingest-service.js';
import { createIngestJob, FORMATS } from '../ingest/ingest-job.js';
import type { FlowFormat } from '../ingest/formats/index.js';
import { httpError } from './errors.js';

/** Formats whose rejected record is a whole line, so it can be parsed again on its own. */
const REPLAYABLE: ReadonlySet<string> = new Set(['aws-vpc', 'ndjson', 'gcp-vpc']);

interface DeadLetterRow {
  id: number;
  source: string | null;
  format: string;
  record: number | null;
  tuple: number | null;
  field: string | null;
  reason: string;
  raw: string | null;
  created_at: Date;
}

/**
 * Rejected records, kept with their reason: list them, and replay the line-format ones through
 * today's parsers (after a parser fix or with a corrected format string); what now parses is
 * stored like any ingest and the dead letter is marked replayed.
 */
export function deadLetterRoutes(app: FastifyInstance, db: Database, ingest: IngestService): void {
  app.get<{ Querystring: { source?: string; format?: string; limit?: string; replayed?: string } }>('/api/v1/dead-letters', async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 10_000);
    const r = await db.pool.query<DeadLetterRow>(
      `SELECT id, source, format, record, tuple, field, reason, raw, created_at FROM dead_letters
       WHERE ($1::text IS NULL OR source = $1) AND ($2::text IS NULL OR format = $2)
         AND (replayed_at IS NULL) = ($3::text IS DISTINCT FROM 'true')
       ORDER BY id LIMIT $4`,
      [request.query.source ?? null, request.query.format ?? null, request.query.replayed ?? null, limit],
    );
    return { deadLetters: r.rows.map((d) => ({ ...d, id: Number(d.id), replayable: REPLAYABLE.has(d.format) && d.raw !== null })) };
  });

  app.post<{ Body: { format?: string; source?: string; awsFormat?: string; limit?: number } | null }>('/api/v1/dead-letters/replay', async (request) => {
    const body = request.body ?? {};
    const format = body.format as FlowFormat | undefined;
    if (!format || !FORMATS.includes(format)) throw httpError(400, `format must be one of ${FORMATS.join(', ')}`, { field: 'format' });
    if (!REPLAYABLE.has(format)) throw httpError(400, `${format} records are tuples inside JSON documents and cannot be replayed one by one; fix and re-send the object`, { field: 'format' });
    const limit = Math.min(Math.max(Number(body.limit ?? 10_000) || 10_000, 1), 100_000);
    const letters = await db.pool.query<{ id: string; raw: string }>(
      `SELECT id, raw FROM dead_letters WHERE format = $1 AND ($2::text IS NULL OR source = $2) AND replayed_at IS NULL AND raw IS NOT NULL AND record > 0 ORDER BY id LIMIT $3`,
      [format, body.source ?? null, limit],
    );
    if (letters.rowCount === 0) return { replayed: 0, accepted: 0, rejected: 0, errors: [] };
    const text = letters.rows.map((l) => l.raw).join('\n') + '\n';
    const job = await createIngestJob(
      (async function* () {
        yield Buffer.from(text);
      })(),
      { format, source: `replay:${body.source ?? format}:${Date.now()}`, awsFormat: body.awsFormat, maxBytes: Number.MAX_SAFE_INTEGER },
    );
    const result = await ingest.ingest(job);
    // A replayed line either is stored now or has a fresh dead letter of its own from this pass.
    await db.pool.query('UPDATE dead_letters SET replayed_at = now() WHERE id = ANY($1::bigint[])', [letters.rows.map((l) => l.id)]);
    return { replayed: letters.rowCount, accepted: result.accepted, rejected: result.rejected, errors: result.errors };
  });
}
