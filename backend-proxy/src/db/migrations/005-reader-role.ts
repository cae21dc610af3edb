import type pg from 'pg';
import { CONNECTION_AGGREGATE } from './004-alert-views.js';

/**
 * The read-only role Grafana's PostgreSQL data source logs in as for alert rules: SELECT on the
 * aggregate views and nothing else (no raw flows, no ingest tables, no writes).
 *
 * Created NOLOGIN without a password: the migration must not invent credentials. A deployment
 * turns it into a login with its own secret, e.g. `ALTER ROLE flowatlas_reader LOGIN PASSWORD '…'`
 * (docker-compose does it in provisioning/timescaledb/, see the README). Roles are cluster-wide
 * while grants are per database and schema, so the role is created only when missing (also when
 * another database on the same server creates it at the same moment) and the grants are applied
 * in the schema being migrated.
 */
export const READER_ROLE = 'flowatlas_reader';

/** Everything the reader may SELECT: the traffic rollups and the connection aggregate. */
export const READER_RELATIONS = ['flows_1m', 'flows_1h', CONNECTION_AGGREGATE] as const;

const CREATE_ROLE = `DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${READER_ROLE}') THEN
    CREATE ROLE ${READER_ROLE} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION;
  END IF;
EXCEPTION
  -- another database on this server created it between the check and the CREATE
  WHEN duplicate_object OR unique_violation THEN NULL;
END $$`;


/**
 * Creates the role and grants SELECT on READER_RELATIONS. A server that refuses (the migrating
 * user lacks CREATEROLE, a managed service, an embedded build without roles) must not stop the
 * proxy: everything but Grafana alerting works without the role, so the step is rolled back to a
 * savepoint and the reason logged. Returns whether the role is in place.
 */
export async function setUpReaderRole(client: pg.PoolClient | pg.Pool, log: (line: string) => void = console.warn): Promise<boolean> {
  await client.query('SAVEPOINT reader_role');
  try {
    // The schema being migrated (public, or a test's own), read once and quoted by the server:
    // current_schema() would move on to the next schema for a user without USAGE on this one.
    const schema = (await client.query<{ s: string }>('SELECT quote_ident(current_schema()) AS s')).rows[0]!.s;
    await client.query(CREATE_ROLE);
    await client.query(`GRANT USAGE ON SCHEMA ${schema} TO ${READER_ROLE}`);
    await client.query(`GRANT SELECT ON ${READER_RELATIONS.map((r) => `${schema}.${r}`).join(', ')} TO ${READER_ROLE}`);
    // GRANT by a user without the right only warns ("no privileges were granted"): check the result.
    const granted = await client.query<{ ok: boolean }>(
      "SELECT bool_and(has_table_privilege($1, $2 || '.' || r, 'SELECT')) AS ok FROM unnest($3::text[]) AS r",
      [READER_ROLE, schema, READER_RELATIONS],
    );
    if (!granted.rows[0]?.ok) throw new Error('the grants did not take effect (the migrating user does not own the views)');
    await client.query('RELEASE SAVEPOINT reader_role');
    return true;
  } catch (err) {
    await client.query('ROLLBACK TO SAVEPOINT reader_role');
    log(
      `[flowatlas] read-only role ${READER_ROLE} not set up, skipped (${(err as Error).message}). ` +
        `The proxy works without it; Grafana alert rules need it: as a superuser run ` +
        `CREATE ROLE ${READER_ROLE} LOGIN PASSWORD '…'; GRANT USAGE ON SCHEMA <schema> TO ${READER_ROLE}; ` +
        `GRANT SELECT ON ${READER_RELATIONS.join(', ')} TO ${READER_ROLE};`,
    );
    return false;
  }
}
