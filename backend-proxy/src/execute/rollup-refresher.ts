import type pg from 'pg';
import { rollupLevels, type RollupOptions } from '../db/migrations/002-rollups.js';
import { GEO_ROLLUP } from '../db/migrations/009-geo-rollup.js';
import { GEO_5M_ROLLUP } from '../db/migrations/010-geo-5m-rollup.js';
import type { RollupInfo, RollupName } from '../query/types.js';
import { applyTimescaleRetention, rollupRetentionFromEnv } from './rollup-retention.js';
import { TABLE_STORES, refreshTableRollups, tableRollupState, tableRollupsStale } from './table-rollups.js';

export interface RollupView {
  name: RollupName;
  bucketMs: number;
}

/**
 * In refresh order: flows_geo_1m is built from flows_1m and flows_geo_5m from flows_geo_1m (on
 * TimescaleDB hierarchical aggregates), so each comes after its source.
 */
export const ROLLUP_VIEWS: RollupView[] = [
  ...rollupLevels().map((l) => ({ name: l.name, bucketMs: l.bucketMs })),
  { name: GEO_ROLLUP.name, bucketMs: GEO_ROLLUP.bucketMs },
  { name: GEO_5M_ROLLUP.name, bucketMs: GEO_5M_ROLLUP.bucketMs },
].sort((a, b) => order(a.name) - order(b.name));

function order(name: RollupName): number {
  return ['flows_1m', 'flows_geo_1m', 'flows_geo_5m', 'flows_1h'].indexOf(name);
}

/** TimescaleDB: the aggregate a hierarchical level is built from (its data starts there). */
const BUILT_FROM: Partial<Record<RollupName, RollupName>> = { [GEO_ROLLUP.name]: 'flows_1m', [GEO_5M_ROLLUP.name]: GEO_ROLLUP.name };

export interface RefresherOptions {
  /** Background refresh this long after the first ingest commit that follows the last refresh. */
  idleDelayMs?: number;
  /** Plain PostgreSQL: move the watermarks forward this often even without ingest here. */
  periodMs?: number;
  /** Default: FLOWATLAS_RETENTION_1M / FLOWATLAS_RETENTION_1H (rollup-retention.ts). */
  retention?: RollupOptions;
  /** The clock (tests pin it). */
  now?: () => number;
}

/**
 * Keeps the rollups equal to the raw table, on both database flavours.
 *
 * TimescaleDB: the continuous aggregates are real-time (rows above the watermark are summed on
 * the fly), but rows landing in an already materialized range wait for a refresh, and the
 * embedded TimescaleDB has no background workers, so its policies never fire. Every committed
 * ingest marks its time range dirty; the range is refreshed shortly after, and before any query
 * reads a rollup.
 *
 * Plain PostgreSQL: the proxy's own rollup tables (migration 006, table-rollups.ts). Triggers
 * log what changed in the database itself, so nothing is tracked here but the schedule: a
 * refresh shortly after ingest and every `periodMs` moves the watermarks up to a bucket ago, and
 * a query that reads a rollup first fixes logged ranges below the watermark.
 *
 * Background refreshes are throttled, not debounced: a steady stream of ingest still gets one
 * every `idleDelayMs`. A failed background refresh is retried with backoff, and never after
 * stop().
 */
export class RollupRefresher {
  private dirty: { min: number; max: number } | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private periodic: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;
  private oldest = new Map<string, number | null>();
  /** Plain PostgreSQL: each store's watermark. */
  private stored = new Map<string, number | null>();
  private available: RollupView[] = [];
  private readonly idleDelayMs: number;
  private readonly periodMs: number;
  private readonly now: () => number;
  private readonly retention: RollupOptions;

  constructor(
    private readonly pool: pg.Pool,
    private readonly timescale: boolean,
    private readonly options: RefresherOptions = {},
  ) {
    this.idleDelayMs = options.idleDelayMs ?? 2_000;
    this.periodMs = options.periodMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.retention = options.retention ?? rollupRetentionFromEnv();
  }

  /** Finds which rollups exist (after migrations) and where their data starts. */
  async init(): Promise<void> {
    if (this.timescale) {
      const views = await this.pool.query<{ view_name: string }>('SELECT view_name FROM timescaledb_information.continuous_aggregates WHERE view_schema = current_schema()');
      const names = new Set(views.rows.map((r) => r.view_name));
      this.available = ROLLUP_VIEWS.filter((v) => names.has(v.name));
      if (this.available.length === ROLLUP_VIEWS.length) await applyTimescaleRetention(this.pool, this.retention);
    } else {
      const r = await this.pool.query<{ ok: boolean }>(
        `SELECT to_regclass('rollup_watermarks') IS NOT NULL AND bool_and(to_regclass(s) IS NOT NULL) AS ok FROM unnest($1::text[]) AS s`,
        [Object.values(TABLE_STORES)],
      );
      this.available = r.rows[0]?.ok ? [...ROLLUP_VIEWS] : [];
    }
    await this.readOldest();
  }

  /** Starts the periodic refresh (plain PostgreSQL) and a first one right away. */
  start(): void {
    if (this.timescale || this.available.length === 0 || this.stopped || this.periodic) return;
    this.schedule(0);
    this.periodic = setInterval(() => this.schedule(0), this.periodMs);
    this.periodic.unref();
  }

  /** An ingest committed rows in [minMs, maxMs]. */
  markDirty(minMs: number, maxMs: number): void {
    if (this.available.length === 0 || this.stopped) return;
    if (this.timescale) {
      this.dirty = this.dirty ? { min: Math.min(this.dirty.min, minMs), max: Math.max(this.dirty.max, maxMs) } : { min: minMs, max: maxMs };
    }
    this.schedule(this.idleDelayMs);
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.refresh().then(
        () => {
          this.failures = 0;
        },
        (err: Error) => {
          if (this.stopped) return;
          this.failures++;
          console.error(`[flowatlas] rollup refresh failed (attempt ${this.failures}, retrying): ${err.message}`);
          this.schedule(Math.min(this.idleDelayMs * 2 ** this.failures, 5 * 60_000));
        },
      );
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Brings every rollup up to date with what has been committed. `untilMs` (plain PostgreSQL;
   * default: a bucket ago) says how far to materialize; TimescaleDB refreshes the dirty range,
   * or everything before `untilMs` when given.
   */
  async refresh(options: { untilMs?: number } = {}): Promise<void> {
    await this.exclusive(async () => {
      if (this.available.length === 0) return;
      if (this.timescale) {
        await this.refreshTimescale(options.untilMs ?? null);
      } else {
        await refreshTableRollups(this.pool, {
          untilMs: options.untilMs ?? this.now() - 60_000,
          nowMs: this.now(),
          retention: this.retention,
        });
      }
      await this.readOldest();
    });
  }

  /**
   * Before a query reads a rollup: makes sure no committed row is missing from it. Cheap when
   * nothing is pending (plain PostgreSQL: one indexed lookup). Returns true when it refreshed
   * (the caller re-plans: where the rollups start may have moved).
   */
  async ensureFresh(): Promise<boolean> {
    if (this.available.length === 0) return false;
    if (this.timescale) {
      if (!this.dirty) {
        if (this.running) await this.running.catch(() => undefined);
        return false;
      }
      await this.refresh();
      return true;
    }
    if (this.running) await this.running.catch(() => undefined);
    if (!(await tableRollupsStale(this.pool))) return false;
    // Fix the logged ranges only; moving the watermark is background work.
    await this.exclusive(async () => {
      await refreshTableRollups(this.pool, { untilMs: null, nowMs: this.now(), retention: this.retention });
      await this.readOldest();
    });
    return true;
  }

  /** One refresh at a time in this process (the database lock covers other processes). */
  private async exclusive(work: () => Promise<void>): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    const run = work();
    this.running = run;
    try {
      await run;
    } finally {
      this.running = null;
    }
  }

  private async refreshTimescale(untilMs: number | null): Promise<void> {
    const range = this.dirty;
    this.dirty = null;
    try {
      for (const view of this.available) {
        if (untilMs !== null) {
          const end = Math.floor(untilMs / view.bucketMs) * view.bucketMs;
          await this.pool.query('CALL refresh_continuous_aggregate($1::regclass, NULL, $2::timestamptz)', [view.name, new Date(end).toISOString()]);
        }
        if (range) {
          // From the beginning, not from the dirty range's start: a window that starts above
          // the aggregate's watermark moves the watermark past rows never materialized, and the
          // aggregate stops showing them (measured on TimescaleDB 2.23). Regions already
          // materialized and not invalidated cost nothing. Whole buckets at the end.
          const end = (Math.floor(range.max / view.bucketMs) + 1) * view.bucketMs;
          await this.pool.query('CALL refresh_continuous_aggregate($1::regclass, NULL, $2::timestamptz)', [view.name, new Date(end).toISOString()]);
        }
      }
    } catch (err) {
      // Keep the range dirty so the next attempt retries it.
      if (range) {
        const now = this.dirty as { min: number; max: number } | null;
        this.dirty = now ? { min: Math.min(now.min, range.min), max: Math.max(now.max, range.max) } : range;
      }
      throw err;
    }
  }

  private async readOldest(): Promise<void> {
    if (!this.timescale) {
      if (this.available.length === 0) return;
      const state = await tableRollupState(this.pool);
      for (const view of this.available) {
        this.oldest.set(view.name, state[view.name].oldestMs);
        this.stored.set(view.name, state[view.name].untilMs);
      }
      return;
    }
    // Not min(time) of the aggregate itself: before it is materialized, a real-time aggregate
    // answers that by summing its whole source. The materialized part's own table answers from
    // its time index; an aggregate with nothing materialized yet starts with its source.
    const tables = await this.pool.query<{ view_name: string; mat: string }>(
      `SELECT view_name, format('%I.%I', materialization_hypertable_schema, materialization_hypertable_name) AS mat
         FROM timescaledb_information.continuous_aggregates WHERE view_schema = current_schema()`,
    );
    const mat = new Map(tables.rows.map((r) => [r.view_name, r.mat]));
    let rawMin: number | null | undefined;
    for (const view of this.available) {
      // Names from the catalogue, quoted by format(%I).
      const stored = await this.pool.query<{ t: Date | null }>(`SELECT min(time) AS t FROM ${mat.get(view.name)}`);
      let oldest = stored.rows[0]?.t ? stored.rows[0].t.getTime() : null;
      if (oldest === null) {
        const source = BUILT_FROM[view.name];
        if (source) {
          const start = this.oldest.get(source) ?? null;
          oldest = start === null ? null : Math.floor(start / view.bucketMs) * view.bucketMs;
        } else {
          if (rawMin === undefined) rawMin = (await this.pool.query<{ t: Date | null }>('SELECT min(time) AS t FROM flows')).rows[0]?.t?.getTime() ?? null;
          oldest = rawMin === null ? null : Math.floor(rawMin / view.bucketMs) * view.bucketMs;
        }
      }
      this.oldest.set(view.name, oldest);
    }
  }

  /**
   * What the planner needs: the rollups present, the start of their data and, on plain
   * PostgreSQL, the store table to read below its watermark.
   */
  rollups(): RollupInfo[] {
    return this.available.map((v) => ({
      name: v.name,
      bucketMs: v.bucketMs,
      oldestMs: this.oldest.get(v.name) ?? null,
      ...(this.timescale ? {} : { store: { relation: TABLE_STORES[v.name], untilMs: this.stored.get(v.name) ?? null } }),
    }));
  }

  /** No more background refreshes (the pool is about to close); waits for one in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    this.timer = null;
    this.periodic = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** TimescaleDB: committed rows not yet refreshed into the aggregates (plain PostgreSQL asks the database: ensureFresh). */
  get pending(): boolean {
    return this.dirty !== null;
  }
}
