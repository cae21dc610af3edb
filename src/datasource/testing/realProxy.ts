import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

/**
 * The real backend-proxy for jest tests: `src/cli/start.ts` (via tsx) on its embedded
 * TimescaleDB in a fresh data directory, on a free loopback port, with a token. Optionally the
 * seeded demo, loaded by the proxy itself (as `npm start` does) or by the docker-compose demo
 * loader (provisioning/demo/load-demo.mjs) against a proxy started empty.
 */
export const ROOT = path.resolve(__dirname, '../../..');
const PROXY_DIR = path.join(ROOT, 'backend-proxy');

export interface RealProxy {
  url: string;
  token: string;
  /** Everything the proxy printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/** A free loopback port (start.ts loads the demo through config.port, so port 0 cannot be used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A random demo seed, so tests find the story by querying instead of knowing it. */
export function randomSeed(): number {
  return 1 + Math.floor(Math.random() * 1e6);
}

/** Starts the proxy and resolves once it printed that it is ready (after loading `demoFlows`, 0 = none). */
export async function startRealProxy(options: { token: string; demoFlows: number; seed?: number }): Promise<RealProxy> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowatlas-jest-proxy-'));
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: PROXY_DIR,
    env: {
      ...process.env,
      DATABASE_URL: '',
      FLOWATLAS_DATA_DIR: dataDir,
      FLOWATLAS_PORT: String(port),
      FLOWATLAS_HOST: '127.0.0.1',
      FLOWATLAS_TOKEN: options.token,
      FLOWATLAS_DEMO_FLOWS: String(options.demoFlows),
      FLOWATLAS_DEMO_SEED: String(options.seed ?? randomSeed()),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /FlowAtlas is ready: (http:\/\/\S+)/.exec(output);
      if (ready) {
        resolve(ready[1]);
      }
    });
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`backend-proxy exited (${code}):\n${output}`)));
  }).catch(async (err) => {
    await stop();
    throw err;
  });
  return { url, token: options.token, output: () => output, stop };
}

/**
 * Runs the docker-compose demo loader (provisioning/demo/load-demo.mjs) against `proxy`, with
 * the proxy's TypeScript sources standing in for the image's compiled dist/ (tsx maps the
 * loader's `.js` imports to them). Resolves with its exit code and output.
 */
export function runComposeDemoLoader(proxy: RealProxy, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'provisioning/demo/load-demo.mjs')], {
      cwd: PROXY_DIR,
      env: { ...process.env, FLOWATLAS_URL: proxy.url, FLOWATLAS_TOKEN: proxy.token, FLOWATLAS_PROXY_DIST: path.join(PROXY_DIR, 'src'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}
