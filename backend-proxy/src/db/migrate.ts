import type pg from 'pg';
import { withTransaction } from './pool.js';
import { migrations as allMigrations, type Migration } from './migrations/index.js';

/**
 * Applies every migration newer than the database's recorded version, each in its own
 * transaction, and returns the versions applied.
 */
export async function migrate(pool: pg.Pool, timescale: boolean, migrations: Migration[] = allMigrations): Promise<number[]> {
  await pool.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    flavour text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const done = await pool.query<{ version: number }>('SELECT version FROM schema_migrations');
  const applied = new Set(done.rows.map((r) => r.version));
  const ran: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(migration.version)) continue;
    const apply = async (client: pg.PoolClient | pg.Pool): Promise<void> => {
      for (const sql of migration.statements(timescale)) {
        try {
          await client.query(sql);
        } catch (err) {
          throw new Error(`migration ${migration.version} (${migration.name}) failed: ${(err as Error).message}\n${sql}`);
        }
      }
      if (migration.run) await migration.run(client, timescale);
      await client.query('INSERT INTO schema_migrations (version, name, flavour) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        timescale ? 'timescaledb' : 'postgresql',
      ]);
    };
    if (migration.transactional === false) await apply(pool);
    else await withTransaction(pool, apply);
    ran.push(migration.version);
  }
  return ran;
}
