/**
 * The rollups stay equal to the raw table through every way rows change, on both flavours
 * (continuous aggregates on TimescaleDB, the proxy's tables on plain PostgreSQL): materialized
 * history, rows above the watermark, late rows below it, deletes, updates, truncation,
 * retention, two refreshes racing; and a stopped refresher never touches the database again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { openDatabase } from '../db/database.js';
import { ROLLUP_DIMENSION_COLUMNS } from '../db/migrations/002-rollups.js';
import { GEO_DIMENSION_COLUMNS } from '../db/migrations/009-geo-rollup.js';
import type { RollupName } from '../query/types.js';
import { loadFlows, prng, randomFlows } from '../query/oracle-reference.js';
import { openTestDatabase, type TestDatabase } from '../test-support/database.js';
import { RollupRefresher } from './rollup-refresher.js';
import { rollupRetentionFromEnv } from './rollup-retention.js';
import { bucketIntervals } from './table-rollups.js';

const H = 3_600_000;
const BASE = Date.UTC(2026, 0, 5);
const SPAN = 6 * H;
const NOW = BASE + SPAN + 2 * H;

/** Rows where a rollup level and the raw table, bucketed the same way, disagree (0 = equal). */
async function mismatches(db: { pool: pg.Pool }, level: RollupName): Promise<number> {
  const dims = (level.startsWith('flows_geo_') ? GEO_DIMENSION_COLUMNS : ROLLUP_DIMENSION_COLUMNS).join(', ');
  const step = { flows_1m: '1 minute', flows_geo_1m: '1 minute', flows_geo_5m: '5 minutes', flows_1h: '1 hour' }[level];
  const r = await db.pool.query<{ n: string }>(`
    WITH r AS (SELECT time, ${dims}, sum(bytes) AS b, sum(packets) AS p, sum(flows) AS f FROM ${level} GROUP BY time, ${dims}),
         w AS (SELECT date_bin(INTERVAL '${step}', time, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS time, ${dims},
                 sum(bytes) AS b, sum(packets) AS p, sum(flows) AS f FROM flows GROUP BY 1, ${dims})
    SELECT count(*) AS n FROM ((SELECT * FROM r EXCEPT ALL SELECT * FROM w) UNION ALL (SELECT * FROM w EXCEPT ALL SELECT * FROM r)) d`);
  return Number(r.rows[0]!.n);
}

async function assertEqualToRaw(db: TestDatabase, what: string): Promise<void> {
  assert.equal(await mismatches(db, 'flows_1m'), 0, `${what}: flows_1m equals raw`);
  assert.equal(await mismatches(db, 'flows_1h'), 0, `${what}: flows_1h equals raw`);
  assert.equal(await mismatches(db, 'flows_geo_1m'), 0, `${what}: flows_geo_1m equals raw`);
  assert.equal(await mismatches(db, 'flows_geo_5m'), 0, `${what}: flows_geo_5m equals raw`);
}

function refresherFor(db: TestDatabase, options: ConstructorParameters<typeof RollupRefresher>[2] = {}): RollupRefresher {
  return new RollupRefresher(db.pool, db.timescale, { idleDelayMs: 3_600_000, now: () => NOW, ...options });
}

test('bucketIntervals widens to whole buckets, merges and clips', () => {
  const m = 60_000;
  assert.deepEqual(bucketIntervals([{ a: 90_000, b: 90_000 }], m, 0, 10 * m), [{ a: m, b: 2 * m }]);
  assert.deepEqual(
    bucketIntervals([{ a: 5 * m + 1, b: 6 * m }, { a: m, b: 2 * m - 1 }, { a: 2 * m, b: 3 * m - 1 }], m, 0, 6 * m),
    [{ a: m, b: 3 * m }, { a: 5 * m, b: 6 * m }],
  );
  assert.deepEqual(bucketIntervals([{ a: 0, b: 9 * m }], m, 3 * m, 5 * m), [{ a: 3 * m, b: 5 * m }]);
  assert.deepEqual(bucketIntervals([{ a: 0, b: m }], m, 5 * m, 9 * m), []);
});

test('rollups equal raw after materializing, late rows, deletes, updates, truncation, racing refreshes', async () => {
  const db = await openTestDatabase();
  const rand = prng(7);
  const refresher = refresherFor(db);
  try {
    await loadFlows(db, randomFlows(rand, 1500, BASE, SPAN));
    await refresher.init();
    assert.equal(refresher.rollups().length, 4);
    await refresher.refresh({ untilMs: NOW - 60_000 });
    await assertEqualToRaw(db, 'after the first refresh');
    assert.equal(refresher.rollups()[0]!.oldestMs! <= BASE + 60_000, true, 'flows_1m starts with the data');

    // Late rows inside the materialized range: a query's ensureFresh brings them in.
    const late = randomFlows(rand, 300, BASE, SPAN);
    await loadFlows(db, late);
    assert.ok((await mismatches(db, 'flows_1m')) > 0, 'materialized buckets do not see late rows by themselves');
    refresher.markDirty(Math.min(...late.map((f) => f.time)), Math.max(...late.map((f) => f.time)));
    assert.equal(await refresher.ensureFresh(), true);
    await assertEqualToRaw(db, 'late rows');
    assert.equal(await refresher.ensureFresh(), false, 'nothing left to do');

    if (!db.timescale) {
      // Rows above the watermark are summed from raw on the fly: right without any refresh.
      await loadFlows(db, randomFlows(rand, 100, NOW - 50_000, 40_000));
      assert.equal(await refresher.ensureFresh(), false, 'rows above the watermark need no refresh');
      await assertEqualToRaw(db, 'rows above the watermark');

      // Every statement on flows is logged by the triggers, whoever runs it.
      await db.pool.query("DELETE FROM flows WHERE application = 'ssh'");
      assert.equal(await refresher.ensureFresh(), true);
      await assertEqualToRaw(db, 'delete');
      await db.pool.query("UPDATE flows SET bytes = bytes + 1, time = time - interval '3 hours' WHERE application = 'https'");
      assert.equal(await refresher.ensureFresh(), true);
      await assertEqualToRaw(db, 'update moving rows to other buckets');

      // Two proxies refreshing the same database at once never count a row twice.
      await loadFlows(db, randomFlows(rand, 400, BASE, SPAN));
      const other = refresherFor(db);
      await other.init();
      await Promise.all([refresher.refresh(), other.refresh(), refresher.refresh()]);
      await assertEqualToRaw(db, 'racing refreshes');

      await db.pool.query('TRUNCATE flows');
      await assertEqualToRaw(db, 'truncate');
      const left = await db.pool.query('SELECT (SELECT count(*) FROM flows_1m_store) + (SELECT count(*) FROM flows_1h_store) + (SELECT count(*) FROM flows_geo_1m_store) + (SELECT count(*) FROM flows_geo_5m_store) AS n');
      assert.equal(Number(left.rows[0].n), 0);
    }
  } finally {
    await refresher.stop();
    await db.close();
  }
});

test('plain PostgreSQL: retention drops old minutes; hours outside the minute level come from raw', async (t) => {
  const db = await openTestDatabase();
  try {
    if (db.timescale) {
      t.skip('TimescaleDB applies retention with its own policies');
      return;
    }
    const rand = prng(11);
    // Three days of data, minutes kept for one day: the older hours must still be whole.
    const now = BASE + 3 * 24 * H;
    await loadFlows(db, randomFlows(rand, 2000, BASE, 3 * 24 * H));
    const refresher = new RollupRefresher(db.pool, false, { idleDelayMs: 3_600_000, now: () => now, retention: { retention1m: '1 day' } });
    await refresher.init();
    await refresher.refresh();
    const level = (name: RollupName) => refresher.rollups().find((r) => r.name === name)!;
    const [minute, hour] = [level('flows_1m'), level('flows_1h')];
    assert.ok(minute!.oldestMs! >= now - 24 * H, 'minutes older than a day are gone');
    assert.ok(hour!.oldestMs! < BASE + H, 'hours reach back to the start');
    assert.equal(await mismatches(db, 'flows_1h'), 0, 'every hour equals raw');
    // Late rows older than the minute level: recomputed from raw into the hour level only.
    await loadFlows(db, randomFlows(rand, 200, BASE, 12 * H));
    assert.equal(await refresher.ensureFresh(), true);
    assert.equal(await mismatches(db, 'flows_1h'), 0, 'late old rows reach the hour level');
    await refresher.stop();
  } finally {
    await db.close();
  }
});

test('a stopped refresher never refreshes again, even when a refresh failed', async () => {
  const db = await openTestDatabase();
  const errors: string[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void errors.push(args.join(' '));
  try {
    const refresher = new RollupRefresher(db.pool, db.timescale, { idleDelayMs: 5 });
    await refresher.init();
    refresher.markDirty(BASE, BASE + H);
    await refresher.stop();
    refresher.markDirty(BASE, BASE + H);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(errors, []);

    // A refresh that fails is retried in the background, until stop().
    const broken = new RollupRefresher(db.pool, db.timescale, { idleDelayMs: 5 });
    await broken.init();
    await db.pool.query(db.timescale ? 'DROP MATERIALIZED VIEW flows_1h CASCADE' : 'DROP TABLE flows_1h_store CASCADE');
    broken.markDirty(BASE, BASE + H);
    const deadline = Date.now() + 5_000;
    while (errors.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.ok(errors.length >= 2, `retried: ${errors.join(' | ')}`);
    assert.match(errors[0]!, /rollup refresh failed \(attempt 1, retrying\)/);
    await broken.stop();
    const seen = errors.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(errors.length, seen, 'no attempt after stop()');
  } finally {
    console.error = original;
    await db.close();
  }
});

test('retention is configurable per level; a bad value names its variable', async () => {
  assert.deepEqual(rollupRetentionFromEnv({ FLOWATLAS_RETENTION_1M: '14 days' }), { retention1m: '14 days', retention1h: undefined });
  assert.throws(() => rollupRetentionFromEnv({ FLOWATLAS_RETENTION_1H: "1 day'; DROP TABLE flows; --" }), /FLOWATLAS_RETENTION_1H: invalid interval/);
  assert.throws(() => rollupRetentionFromEnv({ FLOWATLAS_RETENTION_1M: '0 days' }), /FLOWATLAS_RETENTION_1M: must be longer than zero/);
  const db = await openTestDatabase();
  try {
    if (!db.timescale) return; // plain PostgreSQL: the refresher applies it (test above)
    const policy = async (view: string) =>
      (await db.pool.query<{ d: string }>(
        `SELECT (config->>'drop_after')::interval::text AS d FROM timescaledb_information.jobs
          WHERE proc_name = 'policy_retention' AND hypertable_name = $1 AND hypertable_schema = current_schema()`,
        [view],
      )).rows.map((r) => r.d);
    assert.deepEqual(await policy('flows_1m'), ['30 days']);
    const refresher = new RollupRefresher(db.pool, true, { retention: { retention1m: '14 days' } });
    await refresher.init();
    assert.deepEqual(await policy('flows_1m'), ['14 days']);
    assert.deepEqual(await policy('flows_1h'), ['400 days'], 'a level not configured keeps its policy');
    await refresher.stop();
  } finally {
    await db.close();
  }
});

test('embedded TimescaleDB: rollups still refresh after the data directory is opened again', async (t) => {
  if (process.env.TEST_DATABASE_URL) {
    t.skip('embedded database only');
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-restart-'));
  try {
    const first = await openDatabase({ url: null, dataDir, statementTimeoutMs: 0 });
    await loadFlows({ timescale: true, pool: first.pool }, randomFlows(prng(5), 300, BASE, SPAN));
    await first.close();
    // A restart used to leave TimescaleDB's TSL module unloaded: refreshes failed on a license error.
    const again = await openDatabase({ url: null, dataDir, statementTimeoutMs: 0 });
    try {
      const refresher = new RollupRefresher(again.pool, true, { idleDelayMs: 3_600_000 });
      await refresher.init();
      await refresher.refresh({ untilMs: NOW });
      const materialized = await again.pool.query("SELECT count(*) AS n FROM flows_1m WHERE time < $1", [new Date(BASE + SPAN).toISOString()]);
      assert.ok(Number(materialized.rows[0].n) > 0);
      assert.equal(await mismatches(again, 'flows_1m'), 0);
      await refresher.stop();
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('TimescaleDB: the traffic rollups keep only their time index (refreshes write no per-column indexes)', async (t) => {
  const db = await openTestDatabase();
  try {
    if (!db.timescale) {
      t.skip('plain PostgreSQL: the rollup stores have a time index only by construction');
      return;
    }
    const r = await db.pool.query<{ view_name: string; indexes: string[] }>(
      `SELECT c.view_name, array_agg(i.indexdef ORDER BY i.indexname) AS indexes
         FROM timescaledb_information.continuous_aggregates c
         JOIN pg_indexes i ON i.schemaname = c.materialization_hypertable_schema AND i.tablename = c.materialization_hypertable_name
        WHERE c.view_schema = current_schema() AND c.view_name IN ('flows_1m', 'flows_1h', 'flows_geo_1m', 'flows_geo_5m') GROUP BY 1 ORDER BY 1`,
    );
    assert.deepEqual(r.rows.map((row) => row.view_name), ['flows_1h', 'flows_1m', 'flows_geo_1m', 'flows_geo_5m']);
    for (const row of r.rows) {
      assert.equal(row.indexes.length, 1, `${row.view_name}: ${row.indexes.join('; ')}`);
      assert.match(row.indexes[0]!, /\("time" DESC\)$/);
    }
  } finally {
    await db.close();
  }
});

test('rows committed but never marked dirty (e.g. the proxy stopped first) are not hidden by a later refresh', async () => {
  const db = await openTestDatabase();
  const refresher = refresherFor(db);
  try {
    await refresher.init();
    const rand = prng(13);
    // Day one: committed, but the process that wrote it never refreshed (its dirty range is lost).
    await loadFlows(db, randomFlows(rand, 300, BASE, 2 * H));
    // Two days later: ingest marks only its own range dirty.
    const later = randomFlows(rand, 300, BASE + 48 * H, 2 * H);
    await loadFlows(db, later);
    refresher.markDirty(Math.min(...later.map((f) => f.time)), Math.max(...later.map((f) => f.time)));
    await refresher.ensureFresh();
    // A refresh window starting at the dirty range would have moved TimescaleDB's watermark past
    // day one without materializing it, and the aggregates would have stopped showing it.
    await assertEqualToRaw(db, 'rows below the dirty range');
    // The watermark is TimescaleDB's; plain PostgreSQL's stores take every logged insert (trigger).
    if (db.timescale) assert.ok(refresher.rollups().every((r) => r.oldestMs !== null && r.oldestMs <= BASE + 60_000), JSON.stringify(refresher.rollups()));
  } finally {
    await refresher.stop();
    await db.close();
  }
});
