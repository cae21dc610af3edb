import type pg from 'pg';

/** Connection errors that go away by themselves: the server is not up yet, or is still starting. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', '57P03']);

export function isTransientConnectError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (e.code && TRANSIENT_CODES.has(e.code)) return true;
  // node-postgres reports a server that closed the socket during start-up without a code.
  return /Connection terminated unexpectedly/.test(e.message ?? '');
}

export interface WaitOptions {
  /** Give up after this long (ms). */
  timeoutMs: number;
  /** Pause between attempts (ms). */
  intervalMs?: number;
  /** Told about each failed attempt that will be retried. */
  onRetry?: (reason: string) => void;
}

/**
 * Waits until the database server answers, so a proxy started beside its database (docker
 * compose, a reboot) does not exit while the server is still coming up. Only errors that go
 * away by themselves are retried; a wrong password or a missing database fails at once.
 */
export async function waitForDatabase(pool: pg.Pool, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      const reason = (err as { code?: string }).code ?? (err as Error).message;
      if (!isTransientConnectError(err)) throw err;
      if (Date.now() + (options.intervalMs ?? 1000) > deadline) {
        throw new Error(`the database did not answer within ${Math.round(options.timeoutMs / 1000)} s (${reason}): ${(err as Error).message}`);
      }
      options.onRetry?.(reason);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
    }
  }
}
