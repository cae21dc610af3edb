import pg from 'pg';

// bigint sums (int8) and numeric come back as strings by default; counters fit in a double
// up to 2^53 bytes (9 PB), far beyond one query's answer.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface PoolOptions {
  /** The embedded server takes one connection at a time. */
  embedded: boolean;
  /** Server-side statement_timeout for every connection (0 = none). */
  statementTimeoutMs: number;
  /** A schema to work in (tests share one embedded server, each file in its own schema). */
  schema?: string;
}

/** The one module that owns the pg Pool (node-postgres project-structure advice). */
export function createPool(url: string, options: PoolOptions): pg.Pool {
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.embedded ? 1 : 8,
    idleTimeoutMillis: options.embedded ? 0 : 30_000,
    statement_timeout: options.statementTimeoutMs || undefined,
    // PGlite has no timer signals, so statement_timeout never fires there: give up on the client
    // side instead. The pool then drops that connection; the statement still runs to its end in
    // PGlite and the next connection waits its turn (embedded-socket-server), but the caller
    // gets a clear answer instead of a hang.
    query_timeout: options.embedded && options.statementTimeoutMs ? options.statementTimeoutMs + 500 : undefined,
    application_name: 'flowatlas-proxy',
    // Awaited by the pool before a new connection is handed out (the embedded server ignores
    // startup options, so the schema is set with a statement).
    onConnect: schema ? async (client: pg.PoolClient) => void (await client.query(`SET search_path TO ${schema}, public`)) : undefined,
  } as pg.PoolConfig);
  // An idle client that loses its connection emits here; without a listener it crashes the process.
  pool.on('error', (err) => {
    console.error(`[flowatlas] database connection error: ${err.message}`);
  });
  return pool;
}

/** Runs fn inside a transaction on one checked-out client, released in finally. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** True for a query stopped by the time limit: statement_timeout (57014) or the client-side timeout. */
export function isQueryTimeout(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  return e?.code === '57014' || e?.message === 'Query read timeout';
}
