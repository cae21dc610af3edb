import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Enricher } from '../enrich/enricher.js';
import type { ParseResult, RecordError } from '../model/flow-row.js';
import { withTransaction } from '../db/pool.js';
import type { FlowWriter } from './flow-writer.js';

export interface IngestRequest {
  format: string;
  source: string | null;
  /** The raw bytes as received (before decompression): their hash identifies the object. */
  rawBody: Buffer;
  parse(): ParseResult & { duplicates?: number };
}

export interface IngestResponse {
  ingestId: number | null;
  format: string;
  source: string | null;
  /** Records (tuples / lines) stored. */
  accepted: number;
  rejected: number;
  /** Records deliberately not stored: NODATA/SKIPDATA lines, repeats of a record in the same body. */
  skipped: number;
  /** Directional rows written (a two-way record can give two). */
  rows: number;
  /** True when this exact object (same source and content) was ingested before: nothing was added. */
  alreadyIngested: boolean;
  errors: RecordError[];
}

const MAX_REPORTED_ERRORS = 100;

/**
 * Parse → enrich → store rows, the batch record and dead letters in ONE transaction: the
 * response is sent only after COMMIT, so anything acknowledged is durable, and a failure stores
 * nothing of the batch (the client can safely retry).
 */
export class IngestService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly enricher: () => Enricher,
    private readonly writer: FlowWriter,
    private readonly onCommitted: (minMs: number, maxMs: number) => void = () => undefined,
  ) {}

  async ingest(request: IngestRequest): Promise<IngestResponse> {
    const sha = createHash('sha256').update(request.rawBody).digest('hex');
    if (request.source) {
      const seen = await this.pool.query('SELECT id FROM ingest_batches WHERE source = $1 AND content_sha256 = $2 LIMIT 1', [request.source, sha]);
      if (seen.rowCount) {
        return { ingestId: Number(seen.rows[0].id), format: request.format, source: request.source, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: true, errors: [] };
      }
    }
    const parsed = request.parse();
    const enricher = this.enricher();
    const rows = parsed.rows.map((r) => enricher.enrich(r));
    const rejected = parsed.errors.length;
    const accepted = 'accepted' in parsed && typeof parsed.accepted === 'number' ? parsed.accepted : rows.length;
    const skipped = parsed.skipped + (parsed.duplicates ?? 0);

    const ingestId = await withTransaction(this.pool, async (client) => {
      const batch = await client.query<{ id: string }>(
        `INSERT INTO ingest_batches (source, format, content_sha256, bytes_read, accepted, rejected, skipped)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
        [request.source, request.format, sha, request.rawBody.length, accepted, rejected, skipped],
      );
      const id = Number(batch.rows[0]!.id);
      await this.writer.write(client, rows, id);
      if (parsed.errors.length) {
        const e = parsed.errors;
        await client.query(
          `INSERT INTO dead_letters (ingest_id, source, format, record, tuple, field, reason, raw)
           SELECT $1, $2, $3, * FROM unnest($4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[])`,
          [id, request.source, request.format, e.map((x) => x.record), e.map((x) => x.tuple ?? null), e.map((x) => x.field ?? null), e.map((x) => x.reason), e.map((x) => x.raw ?? null)],
        );
      }
      return id;
    });
    if (rows.length) {
      let min = Infinity;
      let max = -Infinity;
      for (const r of rows) {
        if (r.startMs < min) min = r.startMs;
        if (r.endMs > max) max = r.endMs;
      }
      this.onCommitted(min, max);
    }
    return {
      ingestId,
      format: request.format,
      source: request.source,
      accepted,
      rejected,
      skipped,
      rows: rows.length,
      alreadyIngested: false,
      errors: parsed.errors.slice(0, MAX_REPORTED_ERRORS).map(({ raw: _raw, ...rest }) => rest),
    };
  }
}
