import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { EnrichedFlow } from '../model/flow-row.js';
import { FLOW_COLUMNS, FLOWS_COLUMN_INDEX, type ColumnKind, type ColumnSpec } from '../model/columns.js';
import { pgText } from '../db/pg-text.js';

/**
 * Rows encoded for one writer, ready to send. Encoding is the CPU-heavy part, so the service does
 * it while the database is still busy with the previous batch; only `flows` may still change (the
 * continuation check runs on the connection, after the previous batch).
 */
export interface PreparedRows {
  readonly count: number;
  setFlows(index: number, flows: number): void;
}

/** Writes enriched rows to `flows` inside the caller's transaction. */
export interface FlowWriter {
  readonly method: 'copy' | 'unnest';
  prepare(rows: EnrichedFlow[], ingestId: number | null): PreparedRows;
  write(client: pg.PoolClient, prepared: PreparedRows): Promise<void>;
}

/** prepare + write in one step (the benchmark's bulk-load reference, small callers). */
export async function writeRows(writer: FlowWriter, client: pg.PoolClient, rows: EnrichedFlow[], ingestId: number | null): Promise<void> {
  if (rows.length) await writer.write(client, writer.prepare(rows, ingestId));
}

/**
 * Many rows share a timestamp (NSG tuples of one minute, AWS windows): each distinct instant is
 * formatted once. Bounded, and cleared whole when full (cheaper than LRU bookkeeping).
 */
const isoCache = new Map<number, string>();
function isoTime(ms: number): string {
  let text = isoCache.get(ms);
  if (text === undefined) {
    text = new Date(ms).toISOString();
    if (isoCache.size >= 100_000) isoCache.clear();
    isoCache.set(ms, text);
  }
  return text;
}

// ---- unnest: one PostgreSQL array literal per column ------------------------------------------

/** Array-literal elements that need no quotes: no separators, quotes, backslashes or spaces, and not NULL. */
const BARE_ELEMENT = /^[A-Za-z0-9_.:/@+-]+$/;
const arrayTextCache = new Map<string, string>();

function arrayText(value: string): string {
  let encoded = arrayTextCache.get(value);
  if (encoded === undefined) {
    encoded = BARE_ELEMENT.test(value) && value.toUpperCase() !== 'NULL' ? value : `"${pgText(value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    // Low-cardinality text (rules, resources, countries) repeats on every row: encode it once.
    if (arrayTextCache.size >= 50_000) arrayTextCache.clear();
    arrayTextCache.set(value, encoded);
  }
  return encoded;
}

function arrayElement(kind: ColumnKind, value: string | number | boolean | null): string {
  if (value === null || value === undefined) return 'NULL';
  switch (kind) {
    case 'time':
      return isoTime(value as number);
    case 'int':
      return String(value);
    case 'bool':
      return value ? 't' : 'f';
    default:
      return arrayText(value as string);
  }
}

class ArrayColumns implements PreparedRows {
  constructor(
    /** Element texts per column; null for a column that is NULL on every row (left out of the INSERT). */
    readonly columns: (string[] | null)[],
    readonly count: number,
  ) {}

  setFlows(index: number, flows: number): void {
    this.columns[FLOWS_COLUMN_INDEX]![index] = String(flows);
  }
}

/**
 * Columns that are NULL on every row of a batch (TCP flags of NSG rows, VPC ids of Azure ones, AS
 * of private addresses…) are left out of the statement: they default to NULL, and each column
 * costs the database an array to parse (a visible share of PGlite's time per row). Columns with a
 * NOT NULL default (packets, bytes, flows) always have values, so they are never left out.
 */
function columnListOf(present: boolean[]): string {
  return FLOW_COLUMNS.filter((_, i) => present[i]).map((c) => c.name).join(', ');
}

/**
 * Batched `INSERT … SELECT FROM unnest($1::t[], …)`: one round trip per chunk, every value a
 * parameter. The array literals are built here in one pass (node-postgres' own array
 * serialisation escapes every element with two regular expressions). Works through
 * pglite-socket, where COPY FROM STDIN drops the connection.
 */
export class UnnestFlowWriter implements FlowWriter {
  readonly method = 'unnest' as const;
  /** Statement text per set of present columns (a handful per format). */
  private readonly statements = new Map<string, string>();

  constructor(private readonly chunkRows = 5_000) {}

  prepare(rows: EnrichedFlow[], ingestId: number | null): PreparedRows {
    const columns = FLOW_COLUMNS.map((c) => {
      const out = new Array<string>(rows.length);
      const kind = c.kind;
      let present = false;
      for (let i = 0; i < rows.length; i++) {
        const value = c.get(rows[i]!, ingestId);
        if (value !== null) present = true;
        out[i] = arrayElement(kind, value);
      }
      return present || c.name === 'flows' ? out : null;
    });
    return new ArrayColumns(columns, rows.length);
  }

  private statement(columns: (string[] | null)[]): string {
    const present = columns.map((c) => c !== null);
    const key = present.map((p) => (p ? '1' : '0')).join('');
    let sql = this.statements.get(key);
    if (!sql) {
      // Column names come from the FLOW_COLUMNS allow-list only; every value is a parameter.
      const types = FLOW_COLUMNS.filter((_, i) => present[i]).map((c, i) => `$${i + 1}::${c.pgType}[]`);
      sql = `INSERT INTO flows (${columnListOf(present)}) SELECT * FROM unnest(${types.join(', ')})`;
      this.statements.set(key, sql);
    }
    return sql;
  }

  async write(client: pg.PoolClient, prepared: PreparedRows): Promise<void> {
    const { columns, count } = prepared as ArrayColumns;
    const sql = this.statement(columns);
    const used = columns.filter((c): c is string[] => c !== null);
    for (let start = 0; start < count; start += this.chunkRows) {
      const end = Math.min(count, start + this.chunkRows);
      const whole = start === 0 && end === count;
      await client.query(
        sql,
        used.map((c) => `{${(whole ? c : c.slice(start, end)).join(',')}}`),
      );
    }
  }
}

// ---- COPY FROM STDIN, text format ------------------------------------------------------------

/** Escapes one text value for COPY's text format (tab-separated, \N for null); NUL as pgText stores it. */
function copyText(value: string): string {
  return /[\\\t\n\r\0]/.test(value) ? pgText(value).replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

function copyValue(kind: ColumnKind, value: string | number | boolean | null): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'time':
      return isoTime(value as number);
    case 'int':
      return String(value);
    case 'bool':
      return value ? 't' : 'f';
    default:
      return copyText(value as string);
  }
}

function copyLine(row: EnrichedFlow, ingestId: number | null, columns: ColumnSpec[]): string {
  let line = '';
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!;
    line += (c ? '\t' : '') + copyValue(col.kind, col.get(row, ingestId));
  }
  return line + '\n';
}

class CopyLines implements PreparedRows {
  constructor(
    readonly lines: string[],
    /** The columns sent (those NULL on every row are left out, as in the unnest writer). */
    readonly columns: ColumnSpec[],
    private readonly rows: EnrichedFlow[],
    private readonly ingestId: number | null,
  ) {}

  get count(): number {
    return this.lines.length;
  }

  setFlows(index: number, flows: number): void {
    const row = this.rows[index]!;
    row.flows = flows;
    this.lines[index] = copyLine(row, this.ingestId, this.columns);
  }
}

/** COPY FROM STDIN in text format: the fastest bulk path for wide rows where the server supports it. */
export class CopyFlowWriter implements FlowWriter {
  readonly method = 'copy' as const;

  prepare(rows: EnrichedFlow[], ingestId: number | null): PreparedRows {
    const columns = FLOW_COLUMNS.filter((c) => c.name === 'flows' || rows.some((r) => c.get(r, ingestId) !== null));
    const lines = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) lines[i] = copyLine(rows[i]!, ingestId, columns);
    return new CopyLines(lines, columns, rows, ingestId);
  }

  async write(client: pg.PoolClient, prepared: PreparedRows): Promise<void> {
    const { lines, columns } = prepared as CopyLines;
    if (lines.length === 0) return;
    // Column names come from the FLOW_COLUMNS allow-list only.
    const stream = client.query(copyStreams.from(`COPY flows (${columns.map((c) => c.name).join(', ')}) FROM STDIN`));
    const chunkRows = 2_000;
    function* chunks(): Generator<string> {
      for (let start = 0; start < lines.length; start += chunkRows) yield lines.slice(start, start + chunkRows).join('');
    }
    // pipeline() destroys the COPY stream on failure, which aborts the COPY on the server.
    await pipeline(Readable.from(chunks()), stream);
  }
}

/** COPY where the database takes it; unnest batches on the embedded server. */
export function chooseFlowWriter(embedded: boolean): FlowWriter {
  return embedded ? new UnnestFlowWriter() : new CopyFlowWriter();
}
