import type pg from 'pg';

export interface RollupView {
  name: 'flows_1m' | 'flows_1h';
  bucketMs: number;
}

export const ROLLUP_VIEWS: RollupView[] = [
  { name: 'flows_1m', bucketMs: 60_000 },
  { name: 'flows_1h', bucketMs: 3_600_000 },
];

/**
 * Keeps the continuous aggregates equal to the raw table. The embedded TimescaleDB has no
 * background workers, so refresh policies never fire there; and even on a server, rows that land
 * in an already-materialized range wait for the next policy run. So every committed ingest marks
 * its time range dirty, and the range is refreshed before any query reads a rollup
 * (and in the background shortly after ingest stops).
 */
export class RollupRefresher {
  private dirty: { min: number; max: number } | null = null;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private oldest = new Map<string, number | null>();
  private available: RollupView[] = [];

  constructor(
    private readonly pool: pg.Pool,
    private readonly enabled: boolean,
    private readonly idleDelayMs = 2_000,
  ) {}

  /** Finds which aggregates exist (after migrations) and where their data starts. */
  async init(): Promise<void> {
    if (!this.enabled) return;
    const views = await this.pool.query<{ view_name: string }>('SELECT view_name FROM timescaledb_information.continuous_aggregates WHERE view_schema = current_schema()');
    const names = new Set(views.rows.map((r) => r.view_name));
    this.available = ROLLUP_VIEWS.filter((v) => names.has(v.name));
    await this.readOldest();
  }

  markDirty(minMs: number, maxMs: number): void {
    if (!this.enabled || this.available.length === 0) return;
    this.dirty = this.dirty ? { min: Math.min(this.dirty.min, minMs), max: Math.max(this.dirty.max, maxMs) } : { min: minMs, max: maxMs };
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh().catch((err) => console.error(`[flowatlas] rollup refresh failed: ${(err as Error).message}`)), this.idleDelayMs);
    this.timer.unref();
  }

  /** Brings every aggregate up to date with what has been committed. */
  async refresh(): Promise<void> {
    while (this.running) await this.running;
    if (!this.dirty) return;
    const range = this.dirty;
    this.dirty = null;
    this.running = (async () => {
      for (const view of this.available) {
        // Widen to whole buckets: refresh_continuous_aggregate only materializes complete buckets.
        const start = Math.floor(range.min / view.bucketMs) * view.bucketMs;
        const end = (Math.floor(range.max / view.bucketMs) + 1) * view.bucketMs;
        await this.pool.query('CALL refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)', [view.name, new Date(start).toISOString(), new Date(end).toISOString()]);
      }
      await this.readOldest();
    })();
    try {
      await this.running;
    } catch (err) {
      // Keep the range dirty so the next attempt retries it.
      this.markDirty(range.min, range.max);
      throw err;
    } finally {
      this.running = null;
    }
  }

  private async readOldest(): Promise<void> {
    for (const view of this.available) {
      // view.name comes from the fixed ROLLUP_VIEWS list, never from a request.
      const r = await this.pool.query<{ oldest: Date | null }>(`SELECT min(time) AS oldest FROM ${view.name}`);
      this.oldest.set(view.name, r.rows[0]?.oldest ? r.rows[0].oldest.getTime() : null);
    }
  }

  /** What the planner needs: the aggregates present and the start of their data. */
  rollups(): { name: RollupView['name']; bucketMs: number; oldestMs: number | null }[] {
    return this.available.map((v) => ({ name: v.name, bucketMs: v.bucketMs, oldestMs: this.oldest.get(v.name) ?? null }));
  }

  /** No more background refreshes (the pool is about to close); a pending range stays pending. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  get pending(): boolean {
    return this.dirty !== null;
  }
}
