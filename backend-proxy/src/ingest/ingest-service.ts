import { createHash, type Hash } from 'node:crypto';
import type pg from 'pg';
import type { Enricher } from '../enrich/enricher.js';
import type { EnrichedFlow, FlowRecord, ParsedBatch, RecordError } from '../model/flow-row.js';
import type { FlowWriter, PreparedRows } from './flow-writer.js';
import { relieveHeap } from './heap-relief.js';
import { INGEST_CONTENT_INDEX } from '../db/migrations/013-ingest-content-unique.js';
import { pgText, pgTextOrNull } from '../db/pg-text.js';
import { continuationLookup, PROBE_SETTINGS, RESET_PROBE_SETTINGS } from './continuation-lookup.js';

export type { ParsedBatch } from '../model/flow-row.js';

/** How far back a connection's earlier rows are looked for (NSG tuples come every minute or so). */
const CONTINUATION_WINDOW_MS = 2 * 3600_000;

export interface IngestResponse {
  ingestId: number | null;
  format: string;
  source: string | null;
  /** Records (tuples / lines / entries) stored. */
  accepted: number;
  rejected: number;
  /** Records deliberately not stored: NODATA/SKIPDATA lines, repeats of records already stored. */
  skipped: number;
  /** Directional rows written (a two-way record can give two). */
  rows: number;
  /** True when this exact object (same source and content) was ingested before: nothing was added. */
  alreadyIngested: boolean;
  errors: RecordError[];
}

/** The body of one ingest request, already decoded and parsed lazily batch by batch. */
export interface IngestJob {
  format: string;
  source: string | null;
  /** Known record fingerprints of this source are passed in; yields parsed batches in order. */
  batches(knownRecords: ReadonlySet<string>): AsyncIterable<ParsedBatch> | Iterable<ParsedBatch>;
  /** The raw bytes' digest and size; null until the whole body has been read. */
  digest(): { sha256: string; bytes: number } | null;
}

const MAX_REPORTED_ERRORS = 100;

/**
 * Parse → enrich → store rows, the batch record, dead letters and record fingerprints in ONE
 * transaction, written batch by batch so memory stays bounded whatever the body size. The
 * response is sent only after COMMIT: anything acknowledged is durable, and a failure stores
 * nothing of the body (the client can retry safely).
 *
 * Pipelined: the database (PGlite's child process or the PostgreSQL server) writes batch k while
 * this process parses, enriches and encodes batch k+1, so a body takes about max(parse, write)
 * instead of their sum. At most one batch is in flight, so memory stays at about two batches.
 */
export class IngestService {
  constructor(
    private readonly pool: pg.Pool,
    private readonly enricher: () => Enricher,
    private readonly writer: FlowWriter,
    private readonly onCommitted: (minMs: number, maxMs: number) => void = () => undefined,
  ) {}

  async ingest(job: IngestJob): Promise<IngestResponse> {
    const client = await this.pool.connect();
    const totals = { accepted: 0, rejected: 0, skipped: 0, rows: 0 };
    const reported: RecordError[] = [];
    let minMs = Infinity;
    let maxMs = -Infinity;
    // The batch being written, if any; awaited before the next one is sent.
    let inFlight: Promise<void> | null = null;
    try {
      await client.query('BEGIN');
      // One round trip: the batch record, and the records already stored from this source.
      const opened = await client.query<{ id: string; known: string[] }>(
        `WITH batch AS (INSERT INTO ingest_batches (source, format) VALUES ($1, $2) RETURNING id)
         SELECT (SELECT id FROM batch) AS id, ARRAY(SELECT fingerprint FROM ingest_records WHERE source = $1) AS known`,
        [job.source, job.format],
      );
      const ingestId = Number(opened.rows[0]!.id);
      const known = new Set(opened.rows[0]!.known);
      const enricher = this.enricher();
      for await (const parsed of job.batches(known)) {
        // CPU work for this batch while the database may still be busy with the previous one.
        const rows = new Array<EnrichedFlow>(parsed.rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = (rows[i] = enricher.enrich(parsed.rows[i]!));
          if (r.startMs < minMs) minMs = r.startMs;
          if (r.endMs > maxMs) maxMs = r.endMs;
        }
        const prepared = this.writer.prepare(rows, ingestId);
        if (inFlight) await inFlight;
        relieveHeap();
        inFlight = this.store(client, job, ingestId, parsed, rows, prepared);
        // Handled when awaited; without this an error during the next parse would be "unhandled".
        inFlight.catch(() => undefined);
        totals.accepted += parsed.accepted ?? parsed.rows.length;
        totals.rejected += parsed.errors.length;
        totals.skipped += parsed.skipped + (parsed.duplicates ?? 0);
        totals.rows += rows.length;
        for (const e of parsed.errors) if (reported.length < MAX_REPORTED_ERRORS) reported.push(withoutRaw(e));
      }
      if (inFlight) await inFlight;
      inFlight = null;
      const digest = job.digest();
      if (!digest) throw new Error('ingest job finished without reading its whole body');
      const { sha256, bytes } = digest;
      // One round trip: was this very object (same source and content) stored before? If not, complete the batch record.
      let previous: string | null;
      try {
        const closed = await client.query<{ previous: string | null }>(
          `WITH previous AS (SELECT id FROM ingest_batches WHERE source = $2 AND content_sha256 = $3 AND id <> $1 LIMIT 1),
           done AS (UPDATE ingest_batches SET content_sha256 = $3, bytes_read = $4, accepted = $5, rejected = $6, skipped = $7
                    WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM previous) RETURNING id)
           SELECT (SELECT id FROM previous) AS previous, (SELECT count(*) FROM done) AS updated`,
          [ingestId, job.source, sha256, bytes, totals.accepted, totals.rejected, totals.skipped],
        );
        previous = closed.rows[0]!.previous;
      } catch (err) {
        // The same object sent twice at once: the other send committed first (its batch holds the
        // unique (source, content) entry this one waited for). This one answers as a repeat.
        if (!isDuplicateContent(err)) throw err;
        await client.query('ROLLBACK');
        const winner = await client.query<{ id: string }>('SELECT id FROM ingest_batches WHERE source = $1 AND content_sha256 = $2', [job.source, sha256]);
        return { ingestId: winner.rows[0] ? Number(winner.rows[0].id) : null, format: job.format, source: job.source, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: true, errors: [] };
      }
      if (previous !== null) {
        // The very same object again (known only once it has been read): keep nothing of this pass.
        await client.query('ROLLBACK');
        return { ingestId: Number(previous), format: job.format, source: job.source, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: true, errors: [] };
      }
      await client.query('COMMIT');
      if (totals.rows) this.onCommitted(minMs, maxMs);
      return { ingestId, format: job.format, source: job.source, ...totals, alreadyIngested: false, errors: reported };
    } catch (err) {
      // Let a write still on the wire finish (or fail) before rolling back on the same connection.
      if (inFlight) await inFlight.catch(() => undefined);
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Everything one batch writes, in order on the transaction's connection. */
  private async store(client: pg.PoolClient, job: IngestJob, ingestId: number, parsed: ParsedBatch, rows: EnrichedFlow[], prepared: PreparedRows): Promise<void> {
    if (parsed.continuations?.length) {
      for (const i of await this.continuedElsewhere(client, rows, parsed.continuations)) {
        rows[i]!.flows = 0;
        prepared.setFlows(i, 0);
      }
    }
    if (prepared.count) await this.writer.write(client, prepared);
    if (parsed.errors.length) await this.deadLetters(client, ingestId, job, parsed.errors);
    if (job.source && parsed.newRecords?.length) {
      await client.query('INSERT INTO ingest_records (source, fingerprint, ingest_id) SELECT $1, f, $2 FROM unnest($3::text[]) AS f ON CONFLICT DO NOTHING', [job.source, ingestId, parsed.newRecords]);
    }
  }

  /** Which of the candidate rows continue a connection already stored from an earlier body. */
  private async continuedElsewhere(client: pg.PoolClient, rows: FlowRecord[], indices: number[]): Promise<number[]> {
    await client.query(PROBE_SETTINGS);
    const lookup = continuationLookup(rows, indices, CONTINUATION_WINDOW_MS);
    const found = await client.query<{ i: number }>(lookup.text, lookup.values);
    await client.query(RESET_PROBE_SETTINGS);
    return found.rows.map((r) => r.i);
  }

  private async deadLetters(client: pg.PoolClient, ingestId: number, job: IngestJob, e: RecordError[]): Promise<void> {
    await client.query(
      `INSERT INTO dead_letters (ingest_id, source, format, record, tuple, field, reason, raw, record_format)
       SELECT $1, $2, $3, * FROM unnest($4::integer[], $5::integer[], $6::text[], $7::text[], $8::text[], $9::text[])`,
      // The texts come from the body (a raw line, a field name, a value quoted in the reason): NUL-free for PostgreSQL.
      [ingestId, job.source, job.format, e.map((x) => x.record), e.map((x) => x.tuple ?? null), e.map((x) => pgTextOrNull(x.field)), e.map((x) => pgText(x.reason)), e.map((x) => pgTextOrNull(x.raw)), e.map((x) => pgTextOrNull(x.recordFormat))],
    );
  }
}

/** What the response reports of an error: where and why (the raw text and layout stay in the dead letter). */
/** A unique violation of the one-batch-per-(source, content) index (migration 013). */
function isDuplicateContent(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === INGEST_CONTENT_INDEX;
}

function withoutRaw({ raw: _raw, recordFormat: _format, ...rest }: RecordError): RecordError {
  return rest;
}

/** A running SHA-256 and byte count over the raw (still compressed) body. */
export class BodyDigest {
  private readonly hash: Hash = createHash('sha256');
  bytes = 0;
  private final: string | null = null;

  update(chunk: Buffer): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
  }

  result(): { sha256: string; bytes: number } {
    this.final ??= this.hash.digest('hex');
    return { sha256: this.final, bytes: this.bytes };
  }
}
