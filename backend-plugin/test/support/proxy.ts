import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real backend-proxy on its embedded TimescaleDB with a small seeded demo (as
 * src/datasource/contract.test.ts starts it), for the backend to query.
 */
const ROOT = path.resolve(__dirname, '../../..');

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

export interface RunningProxy {
  url: string;
  token: string;
  stop(): Promise<void>;
}

export async function startDemoProxy(token: string): Promise<RunningProxy> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowatlas-backend-plugin-'));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/cli/start.ts'], {
    cwd: path.join(ROOT, 'backend-proxy'),
    env: {
      ...process.env,
      DATABASE_URL: '',
      FLOWATLAS_DATA_DIR: dataDir,
      FLOWATLAS_PORT: String(port),
      FLOWATLAS_HOST: '127.0.0.1',
      FLOWATLAS_TOKEN: token,
      FLOWATLAS_DEMO_FLOWS: '20000',
      FLOWATLAS_DEMO_SEED: String(1 + Math.floor(Math.random() * 1e6)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
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
  });
  return {
    url,
    token,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
