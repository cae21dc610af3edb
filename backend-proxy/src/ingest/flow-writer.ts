import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { EnrichedFlow } from '../model/flow-row.js';
import { FLOW_COLUMNS } from '../model/columns.js';

/** Writes enriched rows to `flows` inside the caller's transaction. */
export interface FlowWriter {
  readonly method: 'copy' | 'unnest';
  write(client: pg.PoolClient, rows: EnrichedFlow[], ingestId: number | null): Promise<void>;
}

const COLUMN_LIST = FLOW_COLUMNS.map((c) => c.name).join(', ');

/**
 * Batched `INSERT … SELECT FROM unnest($1::t[], …)`: one round trip per batch, values as
 * parameters. Works through pglite-socket, where COPY FROM STDIN drops the connection.
 */
export class UnnestFlowWriter implements FlowWriter {
  readonly method = 'unnest' as const;
  private readonly sql: string;

  constructor(private readonly batchSize = 5_000) {
    const params = FLOW_COLUMNS.map((c, i) => `$${i + 1}::${c.pgType}[]`).join(', ');
    this.sql = `INSERT INTO flows (${COLUMN_LIST}) SELECT * FROM unnest(${params})`;
  }

  async write(client: pg.PoolClient, rows: EnrichedFlow[], ingestId: number | null): Promise<void> {
    for (let start = 0; start < rows.length; start += this.batchSize) {
      const batch = rows.slice(start, start + this.batchSize);
      const arrays = FLOW_COLUMNS.map((c) => batch.map((r) => c.get(r, ingestId)));
      await client.query(this.sql, arrays);
    }
  }
}

/** Escapes one value for COPY's text format (tab-separated, \N for null). */
function copyText(value: string | number | boolean | null): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** COPY FROM STDIN in text format: the fastest bulk path where the server supports it. */
export class CopyFlowWriter implements FlowWriter {
  readonly method = 'copy' as const;

  async write(client: pg.PoolClient, rows: EnrichedFlow[], ingestId: number | null): Promise<void> {
    if (rows.length === 0) return;
    const stream = client.query(copyStreams.from(`COPY flows (${COLUMN_LIST}) FROM STDIN`));
    const chunkRows = 2_000;
    function* chunks(): Generator<string> {
      for (let start = 0; start < rows.length; start += chunkRows) {
        let text = '';
        const end = Math.min(rows.length, start + chunkRows);
        for (let i = start; i < end; i++) {
          const row = rows[i]!;
          text += FLOW_COLUMNS.map((c) => copyText(c.get(row, ingestId))).join('\t') + '\n';
        }
        yield text;
      }
    }
    // pipeline() destroys the COPY stream on failure, which aborts the COPY on the server.
    await pipeline(Readable.from(chunks()), stream);
  }
}

/** COPY where the database takes it; unnest batches on the embedded server. */
export function chooseFlowWriter(embedded: boolean): FlowWriter {
  return embedded ? new UnnestFlowWriter() : new CopyFlowWriter();
}
