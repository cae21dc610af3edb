import type pg from 'pg';

export interface DatabaseCapabilities {
  timescale: boolean;
  /** "TimescaleDB 2.23.0" or "plain PostgreSQL". */
  description: string;
  serverVersion: string;
}

/** Installs TimescaleDB when the server offers it, and reports what the database can do. */
export async function detectCapabilities(pool: pg.Pool): Promise<DatabaseCapabilities> {
  const available = await pool.query<{ name: string }>(
    "SELECT name FROM pg_available_extensions WHERE name = 'timescaledb'",
  );
  if (available.rowCount) {
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    } catch (err) {
      // e.g. not preloaded in shared_preload_libraries: fall back to the plain-PostgreSQL path.
      console.warn(`[flowatlas] TimescaleDB present but unusable: ${(err as Error).message}`);
    }
  }
  const installed = await pool.query<{ extversion: string }>(
    "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
  );
  const server = await pool.query<{ server_version: string }>('SHOW server_version');
  const version = installed.rows[0]?.extversion;
  return {
    timescale: Boolean(version),
    description: version ? `TimescaleDB ${version}` : 'plain PostgreSQL',
    serverVersion: server.rows[0]?.server_version ?? 'unknown',
  };
}
