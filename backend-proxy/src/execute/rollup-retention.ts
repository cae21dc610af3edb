import type pg from 'pg';
import { rollupLevels, type RollupOptions } from '../db/migrations/002-rollups.js';
import { GEO_ROLLUP } from '../db/migrations/009-geo-rollup.js';
import { GEO_5M_ROLLUP } from '../db/migrations/010-geo-5m-rollup.js';
import { intervalMs } from './intervals.js';

/**
 * How long each rollup level keeps its buckets, from the environment:
 * FLOWATLAS_RETENTION_1M (default 30 days) and FLOWATLAS_RETENTION_1H (default 400 days), each
 * "<number> <unit>" (second … year). An invalid value stops the start with a message naming it.
 */
export function rollupRetentionFromEnv(env: NodeJS.ProcessEnv = process.env): RollupOptions {
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    if (!value) return undefined;
    try {
      if (intervalMs(value) <= 0) throw new Error('must be longer than zero');
    } catch (err) {
      throw new Error(`${name}: ${(err as Error).message}`);
    }
    return value;
  };
  return { retention1m: read('FLOWATLAS_RETENTION_1M'), retention1h: read('FLOWATLAS_RETENTION_1H') };
}

/**
 * TimescaleDB: makes the retention policy of each continuous aggregate match the configured
 * retention (migration 002 installed the defaults). Only levels configured explicitly are
 * touched; the policy is replaced only when it differs.
 */
export async function applyTimescaleRetention(pool: pg.Pool, options: RollupOptions): Promise<void> {
  const configured: Record<string, string | undefined> = { flows_1m: options.retention1m, flows_1h: options.retention1h };
  // The narrow levels (minutes, five minutes) keep their buckets as long as the full minute level.
  const minutes = rollupLevels(options)[0]!.retention;
  const levels = [...rollupLevels(options), ...[GEO_ROLLUP.name, GEO_5M_ROLLUP.name].map((name) => ({ name, retention: minutes }))];
  configured[GEO_ROLLUP.name] = options.retention1m;
  configured[GEO_5M_ROLLUP.name] = options.retention1m;
  for (const level of levels) {
    if (!configured[level.name]) continue;
    // timescaledb_information.jobs names a continuous aggregate's policies by the view's name.
    const current = await pool.query<{ drop_after: string | null }>(
      `SELECT config->>'drop_after' AS drop_after FROM timescaledb_information.jobs
        WHERE proc_name = 'policy_retention' AND hypertable_name = $1 AND hypertable_schema = current_schema()`,
      [level.name],
    );
    const wanted = await pool.query<{ same: boolean }>('SELECT $1::interval = $2::interval AS same', [current.rows[0]?.drop_after ?? '0 seconds', level.retention]);
    if (current.rows.length && wanted.rows[0]?.same) continue;
    // level.name and level.retention are checked (fixed names; "<number> <unit>" intervals).
    await pool.query(`SELECT remove_retention_policy('${level.name}', if_exists => true)`);
    await pool.query(`SELECT add_retention_policy('${level.name}', $1::interval)`, [level.retention]);
  }
}
