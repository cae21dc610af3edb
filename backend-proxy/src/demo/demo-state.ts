import type pg from 'pg';

/** The demo plan being loaded (or loaded) into this database; see migration 007. */
export interface DemoState {
  seed: number;
  flows: number;
  nowMs: number;
  completed: boolean;
}

export async function readDemoState(pool: pg.Pool): Promise<DemoState | null> {
  const { rows } = await pool.query<{ seed: number; flows: number; now_ms: string; completed_at: Date | null }>('SELECT seed, flows, now_ms, completed_at FROM demo_state');
  const row = rows[0];
  return row ? { seed: row.seed, flows: row.flows, nowMs: Number(row.now_ms), completed: row.completed_at !== null } : null;
}

/** Recorded before the first body is sent: from then on a restart resumes this exact plan. */
export async function recordDemoStart(pool: pg.Pool, state: Omit<DemoState, 'completed'>): Promise<void> {
  await pool.query('INSERT INTO demo_state (seed, flows, now_ms) VALUES ($1, $2, $3)', [state.seed, state.flows, state.nowMs]);
}

export async function recordDemoCompleted(pool: pg.Pool): Promise<void> {
  await pool.query('UPDATE demo_state SET completed_at = now()');
}

export type DemoDecision =
  | { action: 'load'; seed: number; flows: number; nowMs: number; resume: boolean }
  | { action: 'skip'; why: string };

/**
 * Whether `npm start` loads the demo: into an empty database; again with the recorded plan when
 * a load was interrupted (bodies already stored are recognised by the ingest and not added
 * twice); never over flows that are not the demo's.
 */
export function decideDemo(state: DemoState | null, hasFlows: boolean, wanted: { seed: number; flows: number; nowMs: number }): DemoDecision {
  if (state?.completed) return { action: 'skip', why: `demo already loaded (seed ${state.seed}, ${new Date(state.nowMs).toISOString()})` };
  if (state) return { action: 'load', seed: state.seed, flows: state.flows, nowMs: state.nowMs, resume: true };
  if (hasFlows) return { action: 'skip', why: 'database already has flows: demo not loaded' };
  if (wanted.flows <= 0) return { action: 'skip', why: 'FLOWATLAS_DEMO_FLOWS=0: demo not loaded' };
  return { action: 'load', ...wanted, resume: false };
}
