import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import type { IngestService } from '../ingest/ingest-service.js';
import { createIngestJob, FORMATS } from '../ingest/ingest-job.js';
import type { FlowFormat } from '../ingest/formats/index.js';
import { httpError } from './errors.js';
import { pgText } from '../db/pg-text.js';

/** Formats whose dead letter is a whole text line (the JSON formats keep a whole JSON record instead). */
const LINE_FORMATS: ReadonlySet<string> = new Set(['aws-vpc', 'ndjson']);

/**
 * Whether a dead letter's raw text can be parsed again on its own: a line of a line format, or a
 * complete JSON record (Azure tuples are kept inside a one-tuple copy of their record; a GCP entry
 * whole). Raw text cut at the size limit, or the JSON structure error of a body, cannot.
 */
function replayable(format: string, raw: string | null): boolean {
  if (raw === null || raw === '') return false;
  if (LINE_FORMATS.has(format)) return true;
  try {
    const value = JSON.parse(raw) as unknown;
    return value !== null && typeof value === 'object';
  } catch {
    return false;
  }
}

interface DeadLetterRow {
  id: number;
  source: string | null;
  format: string;
  record: number | null;
  tuple: number | null;
  field: string | null;
  reason: string;
  raw: string | null;
  /** The field layout the record was read with (AWS header or format string), or null. */
  record_format: string | null;
  created_at: Date;
}

/**
 * Rejected records, kept with their reason: list them, fix one by hand, and replay them through
 * today's parsers (after a fix, a parser update or with a corrected format string); what now
 * parses is stored like any ingest and the dead letter is marked replayed.
 */
export function deadLetterRoutes(app: FastifyInstance, db: Database, ingest: IngestService): void {
  app.get<{ Querystring: { source?: string; format?: string; limit?: string; replayed?: string } }>('/api/v1/dead-letters', async (request) => {
    const limit = Math.min(Math.max(Number(request.query.limit ?? 100) || 100, 1), 10_000);
    const r = await db.pool.query<DeadLetterRow>(
      `SELECT id, source, format, record, tuple, field, reason, raw, record_format, created_at FROM dead_letters
       WHERE ($1::text IS NULL OR source = $1) AND ($2::text IS NULL OR format = $2)
         AND (replayed_at IS NULL) = ($3::text IS DISTINCT FROM 'true')
       ORDER BY id LIMIT $4`,
      [request.query.source ?? null, request.query.format ?? null, request.query.replayed ?? null, limit],
    );
    return { deadLetters: r.rows.map((d) => ({ ...d, id: Number(d.id), replayable: replayable(d.format, d.raw) })) };
  });

  // Fix a rejected record by hand (a typo in a field, a tuple cut short), then replay it.
  app.patch<{ Params: { id: string }; Body: { raw?: unknown } | null }>('/api/v1/dead-letters/:id', async (request) => {
    const id = Number(request.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) throw httpError(400, 'the id must be a positive integer', { field: 'id' });
    const raw = request.body?.raw;
    if (typeof raw !== 'string' || raw === '') throw httpError(400, 'raw must be the corrected record text', { field: 'raw' });
    const r = await db.pool.query<DeadLetterRow>(
      'UPDATE dead_letters SET raw = $2 WHERE id = $1 AND replayed_at IS NULL RETURNING id, source, format, record, tuple, field, reason, raw, record_format, created_at',
      // Stored as the ingest stores text (db/pg-text.ts): a NUL would fail the UPDATE.
      [id, pgText(raw)],
    );
    if (!r.rowCount) throw httpError(404, `no pending dead letter ${id}`, { field: 'id' });
    const d = r.rows[0]!;
    return { ...d, id: Number(d.id), replayable: replayable(d.format, d.raw) };
  });

  app.post<{ Body: { format?: string; source?: string; awsFormat?: string; limit?: number } | null }>('/api/v1/dead-letters/replay', async (request) => {
    const body = request.body ?? {};
    const format = body.format as FlowFormat | undefined;
    if (!format || !FORMATS.includes(format)) throw httpError(400, `format must be one of ${FORMATS.join(', ')}`, { field: 'format' });
    const limit = Math.min(Math.max(Number(body.limit ?? 10_000) || 10_000, 1), 100_000);
    const pending = await db.pool.query<{ id: string; raw: string | null; record_format: string | null; source: string | null; record: number | null; tuple: number | null }>(
      `SELECT id, raw, record_format, source, record, tuple FROM dead_letters WHERE format = $1 AND ($2::text IS NULL OR source = $2) AND replayed_at IS NULL ORDER BY id LIMIT $3`,
      [format, body.source ?? null, limit],
    );
    const letters = pending.rows.filter((l): l is (typeof pending.rows)[number] & { raw: string } => replayable(format, l.raw));
    const skipped = pending.rows.length - letters.length;
    if (letters.length === 0) return { replayed: 0, accepted: 0, rejected: 0, notReplayable: skipped, errors: [] };
    // Each record is read again with the layout it was read with (an AWS line's header or format
    // string), so one pass per layout; an explicit awsFormat overrides them all.
    const groups = new Map<string | null, typeof letters>();
    for (const l of letters) {
      const layout = body.awsFormat ? null : l.record_format;
      const group = groups.get(layout) ?? [];
      group.push(l);
      groups.set(layout, group);
    }
    const totals = { accepted: 0, rejected: 0, errors: [] as unknown[] };
    for (const [layout, group] of groups) {
      // One record per line: text lines as they were, JSON records as NDJSON (every JSON parser reads that).
      const text = group.map((l) => (LINE_FORMATS.has(format) ? l.raw : JSON.stringify(JSON.parse(l.raw)))).join('\n') + '\n';
      const job = await createIngestJob(
        (async function* () {
          yield Buffer.from(text);
        })(),
        { format, source: `replay:${body.source ?? format}:${Date.now()}`, awsFormat: body.awsFormat ?? layout ?? undefined, maxBytes: Number.MAX_SAFE_INTEGER },
      );
      const result = await ingest.ingest(job);
      // A letter rejected again keeps its place (source, record, tuple): the pass numbers it by its
      // line in the replay body under the replay's own source, and `dead-letters --source` lost it.
      if (result.rejected && result.ingestId !== null) {
        await db.pool.query(
          `UPDATE dead_letters d SET source = o.source, record = o.record, tuple = o.tuple
           FROM unnest($2::bigint[]) WITH ORDINALITY AS m(id, line) JOIN dead_letters o ON o.id = m.id
           WHERE d.ingest_id = $1 AND d.record = m.line`,
          [result.ingestId, group.map((l) => l.id)],
        );
      }
      totals.accepted += result.accepted;
      totals.rejected += result.rejected;
      for (const e of result.errors) {
        const at = group[e.record - 1];
        totals.errors.push(at ? { ...e, source: at.source ?? undefined, record: at.record ?? e.record, tuple: at.tuple ?? undefined } : e);
      }
      // A replayed record either is stored now or has a fresh dead letter of its own from this pass.
      await db.pool.query('UPDATE dead_letters SET replayed_at = now() WHERE id = ANY($1::bigint[])', [group.map((l) => l.id)]);
    }
    return { replayed: letters.length, accepted: totals.accepted, rejected: totals.rejected, notReplayable: skipped, errors: totals.errors.slice(0, 100) };
  });
}
