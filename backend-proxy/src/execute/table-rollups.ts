/**
 * Maintains the plain-PostgreSQL rollups of migration 006 (flows_1m_store / flows_1h_store behind
 * the real-time views flows_1m / flows_1h). One refresh, in one transaction under an advisory
 * lock (several proxies may share a database):
 *   1. read the invalidation log (ranges that statements on `flows` touched);
 *   2. per level, recompute the logged ranges below the watermark (whole buckets: delete, then
 *      insert the aggregate), and materialize [watermark, until) when asked to advance;
 *   3. apply retention, move the watermarks, delete the log entries read.
 * The minute level reads the raw table; every other level reads a finer store where that holds
 * every row (inside its retention and below its watermark), else the raw table: flows_geo_1m
 * and flows_1h the minute store, flows_geo_5m the narrow minute store.
 * Recomputing a bucket from scratch makes the refresh idempotent: a range logged twice, or rows
 * committed while the refresh ran (their entry stays for the next one), can never double-count.
 */
import type pg from 'pg';
import { ROLLUP_DIMENSION_COLUMNS, ROLLUP_MEASURE_COLUMNS, rollupLevels, type RollupOptions } from '../db/migrations/002-rollups.js';
import { GEO_DIMENSION_COLUMNS, GEO_ROLLUP } from '../db/migrations/009-geo-rollup.js';
import { GEO_5M_ROLLUP } from '../db/migrations/010-geo-5m-rollup.js';
import type { RollupName, RollupStore } from '../query/types.js';
import { intervalMs } from './intervals.js';

/** pg_advisory_xact_lock key of the refresh ("FlAt"). */
const LOCK_KEY = 0x466c4174;
const EPOCH = "TIMESTAMPTZ '1970-01-01 00:00:00+00'";
/** Largest slice aggregated in one statement (keeps each hash aggregate small). */
const SLICE_MS = 6 * 3_600_000;

type LevelName = RollupName;

/** Every plain-PostgreSQL rollup level, in refresh order (a level after the one it reads). */
interface StoreLevel {
  name: LevelName;
  store: RollupStore;
  bucketMs: number;
  bucket: string;
  columns: readonly string[];
  retention: string;
  /** Built from this finer level's store where that holds every row, else from raw; null: from raw. */
  from: LevelName | null;
}

export const TABLE_STORES: Record<LevelName, RollupStore> = {
  flows_1m: 'flows_1m_store',
  flows_geo_1m: GEO_ROLLUP.store,
  flows_geo_5m: GEO_5M_ROLLUP.store,
  flows_1h: 'flows_1h_store',
};

function storeLevels(retention: RollupOptions | undefined): StoreLevel[] {
  const [minute, hour] = rollupLevels(retention);
  return [
    { name: 'flows_1m', store: TABLE_STORES.flows_1m, bucketMs: minute!.bucketMs, bucket: minute!.bucket, columns: ROLLUP_DIMENSION_COLUMNS, retention: minute!.retention, from: null },
    { name: GEO_ROLLUP.name, store: GEO_ROLLUP.store, bucketMs: GEO_ROLLUP.bucketMs, bucket: GEO_ROLLUP.bucket, columns: GEO_DIMENSION_COLUMNS, retention: minute!.retention, from: 'flows_1m' },
    { name: GEO_5M_ROLLUP.name, store: GEO_5M_ROLLUP.store, bucketMs: GEO_5M_ROLLUP.bucketMs, bucket: GEO_5M_ROLLUP.bucket, columns: GEO_DIMENSION_COLUMNS, retention: minute!.retention, from: GEO_ROLLUP.name },
    { name: 'flows_1h', store: TABLE_STORES.flows_1h, bucketMs: hour!.bucketMs, bucket: hour!.bucket, columns: ROLLUP_DIMENSION_COLUMNS, retention: hour!.retention, from: 'flows_1m' },
  ];
}

export interface TableRefreshOptions {
  /** Materialize up to this time (rounded down to whole buckets); null = only fix invalidated ranges. */
  untilMs: number | null;
  nowMs: number;
  retention?: RollupOptions;
}

export interface TableRefreshSummary {
  invalidations: number;
  /** Rows written per store. */
  written: Record<LevelName, number>;
  watermarks: Record<LevelName, number | null>;
}

interface Interval {
  a: number;
  b: number;
}

/** Sorted union of intervals widened to whole buckets and clipped to [lo, hi). */
export function bucketIntervals(ranges: Interval[], bucketMs: number, lo: number, hi: number): Interval[] {
  const widened = ranges
    .map((r) => ({ a: Math.max(lo, Math.floor(r.a / bucketMs) * bucketMs), b: Math.min(hi, (Math.floor(r.b / bucketMs) + 1) * bucketMs) }))
    .filter((r) => r.a < r.b)
    .sort((x, y) => x.a - y.a);
  const out: Interval[] = [];
  for (const r of widened) {
    const last = out[out.length - 1];
    if (last && r.a <= last.b) last.b = Math.max(last.b, r.b);
    else out.push({ ...r });
  }
  return out;
}

function slices(intervals: Interval[]): Interval[] {
  return intervals.flatMap(({ a, b }) => {
    const out: Interval[] = [];
    for (let x = a; x < b; x = Math.min(b, x + SLICE_MS)) out.push({ a: x, b: Math.min(b, x + SLICE_MS) });
    return out;
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Recomputes the buckets of `intervals` in a level's store from `source` (a fixed relation name). */
async function rewrite(client: pg.PoolClient, level: StoreLevel, source: string, intervals: Interval[]): Promise<number> {
  const dims = level.columns.join(', ');
  const columns = ['time', ...level.columns, ...ROLLUP_MEASURE_COLUMNS].join(', ');
  const sums = ROLLUP_MEASURE_COLUMNS.map((c) => `sum(${c})::bigint`).join(', ');
  let written = 0;
  for (const { a, b } of slices(intervals)) {
    const range = [iso(a), iso(b)];
    await client.query(`DELETE FROM ${level.store} WHERE time >= $1::timestamptz AND time < $2::timestamptz`, range);
    const r = await client.query(
      `INSERT INTO ${level.store} (${columns})
       SELECT date_bin(INTERVAL '${level.bucket}', time, ${EPOCH}), ${dims}, ${sums}
       FROM ${source} WHERE time >= $1::timestamptz AND time < $2::timestamptz
       GROUP BY 1, ${dims}`,
      range,
    );
    written += r.rowCount ?? 0;
  }
  return written;
}

/** One refresh of every level; see the file comment. */
export async function refreshTableRollups(pool: pg.Pool, options: TableRefreshOptions): Promise<TableRefreshSummary> {
  const levels = storeLevels(options.retention);
  const client = await pool.connect();
  const summary: TableRefreshSummary = {
    invalidations: 0,
    written: { flows_1m: 0, flows_geo_1m: 0, flows_geo_5m: 0, flows_1h: 0 },
    watermarks: { flows_1m: null, flows_geo_1m: null, flows_geo_5m: null, flows_1h: null },
  };
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    const marks = await client.query<{ level: LevelName; watermark: Date | null }>('SELECT level, watermark FROM rollup_watermarks FOR UPDATE');
    const watermark = new Map(marks.rows.map((r) => [r.level, r.watermark ? r.watermark.getTime() : null]));
    const log = await client.query<{ id: string; lo: Date; hi: Date }>('SELECT id, lo, hi FROM rollup_invalidations ORDER BY id');
    const logged = log.rows.map((r) => ({ a: r.lo.getTime(), b: r.hi.getTime() })).filter((r) => Number.isFinite(r.a) && Number.isFinite(r.b));
    summary.invalidations = log.rows.length;

    // Per level refreshed so far: the range its store now holds every row of.
    const coverage = new Map<LevelName, Interval>();
    let oldestRaw: number | null | undefined;
    const firstRaw = async (): Promise<number | null> => {
      if (oldestRaw === undefined) {
        const first = await client.query<{ t: Date | null }>('SELECT min(time) AS t FROM flows');
        oldestRaw = first.rows[0]?.t ? first.rows[0].t.getTime() : null;
      }
      return oldestRaw;
    };
    for (const level of levels) {
      const store = level.store;
      const bucketMs = level.bucketMs;
      const horizon = Math.ceil((options.nowMs - intervalMs(level.retention)) / bucketMs) * bucketMs;
      const old = watermark.get(level.name) ?? null;
      let target = old;
      if (options.untilMs !== null) {
        // A level built from a finer one never runs ahead of it.
        const finer = level.from ? coverage.get(level.from) : undefined;
        const until: number = finer ? Math.min(options.untilMs, finer.b) : options.untilMs;
        const aligned: number = Math.floor(until / bucketMs) * bucketMs;
        target = old === null ? aligned : Math.max(old, aligned);
      }
      const work: Interval[] = old === null ? [] : bucketIntervals(logged, bucketMs, horizon, old);
      if (target !== null && (old === null || target > old)) {
        let start = old;
        if (start === null) {
          // First materialization: from the oldest raw row (inside retention).
          const first = await firstRaw();
          start = first === null ? target : Math.max(horizon, Math.floor(first / bucketMs) * bucketMs);
        }
        if (start < target) work.push({ a: start, b: target });
      }
      const merged = bucketIntervals(work.map((w) => ({ a: w.a, b: w.b - 1 })), bucketMs, horizon, Number.POSITIVE_INFINITY);
      if (!level.from) {
        summary.written[level.name] += await rewrite(client, level, 'flows', merged);
      } else {
        // The finer store holds every row of [its horizon, its watermark): read it there.
        const held = coverage.get(level.from);
        const inFiner = (m: Interval) => held !== undefined && m.a >= held.a && m.b <= held.b;
        summary.written[level.name] += await rewrite(client, level, TABLE_STORES[level.from], merged.filter(inFiner));
        summary.written[level.name] += await rewrite(client, level, 'flows', merged.filter((m) => !inFiner(m)));
      }
      await client.query(`DELETE FROM ${store} WHERE time < $1::timestamptz`, [iso(horizon)]);
      if (target !== old) await client.query('UPDATE rollup_watermarks SET watermark = $2::timestamptz WHERE level = $1', [level.name, target === null ? null : iso(target)]);
      summary.watermarks[level.name] = target;
      if (target !== null) coverage.set(level.name, { a: horizon, b: target });
    }
    if (log.rows.length) await client.query('DELETE FROM rollup_invalidations WHERE id = ANY($1::bigint[])', [log.rows.map((r) => r.id)]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  // Fresh statistics after a large load, so the planner sees the stores as they are now.
  for (const level of levels) {
    if (summary.written[level.name] > 50_000) await pool.query(`ANALYZE ${level.store}`);
  }
  return summary;
}

/** True when a logged range reaches below the minute watermark: a rollup read must wait for a refresh. */
export async function tableRollupsStale(pool: pg.Pool): Promise<boolean> {
  const r = await pool.query<{ stale: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM rollup_invalidations
       WHERE lo < (SELECT watermark FROM rollup_watermarks WHERE level = 'flows_1m')) AS stale`,
  );
  return Boolean(r.rows[0]?.stale);
}

/** Per level: the oldest stored bucket and the watermark (null = none yet). */
export async function tableRollupState(pool: pg.Pool): Promise<Record<LevelName, { oldestMs: number | null; untilMs: number | null }>> {
  const marks = await pool.query<{ level: LevelName; watermark: Date | null }>('SELECT level, watermark FROM rollup_watermarks');
  const until = new Map(marks.rows.map((r) => [r.level, r.watermark ? r.watermark.getTime() : null]));
  const state = {} as Record<LevelName, { oldestMs: number | null; untilMs: number | null }>;
  for (const level of Object.keys(TABLE_STORES) as LevelName[]) {
    // Store names come from the fixed TABLE_STORES map; the time index answers min().
    const r = await pool.query<{ t: Date | null }>(`SELECT min(time) AS t FROM ${TABLE_STORES[level]}`);
    state[level] = { oldestMs: r.rows[0]?.t ? r.rows[0].t.getTime() : null, untilMs: until.get(level) ?? null };
  }
  return state;
}
