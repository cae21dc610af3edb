import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface EmbeddedDatabase {
  url: string;
  /** The child process holding PGlite (tests kill it to prove acknowledged data survives). */
  pid: number;
  stop(): Promise<void>;
}

/** The entry file next to this one: .js when built, .ts when run through tsx (tests, dev). */
function serverEntry(): string {
  const js = fileURLToPath(new URL('./embedded-server.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('./embedded-server.ts', import.meta.url));
}

/**
 * Starts PGlite + TimescaleDB in a child process holding `dataDir` and resolves with a
 * postgres:// URL on loopback once it accepts connections.
 */
export function startEmbeddedDatabase(dataDir: string, startTimeoutMs = 120_000): Promise<EmbeddedDatabase> {
  const entry = serverEntry();
  // Inherit the parent's loaders (tsx in tests) so the .ts entry runs as well.
  const child: ChildProcess = fork(entry, [dataDir], {
    execArgv: process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded database did not start within ${startTimeoutMs} ms`));
    }, startTimeoutMs);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      reject(new Error(`embedded database exited during start-up (code ${code})`));
    };
    child.once('exit', onExit);
    child.on('message', (msg: { type?: string; port?: number; message?: string }) => {
      if (msg.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`embedded database failed to start: ${msg.message}`));
      }
      if (msg.type !== 'ready') return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({
        url: `postgres://postgres:postgres@127.0.0.1:${msg.port}/postgres`,
        pid: child.pid!,
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.send({ type: 'stop' });
  });
}
