// Runs every *.test.ts under src/ with node's own test runner (Node 20 has no --test globs).
// Without TEST_DATABASE_URL, one embedded PGlite + TimescaleDB server is started for the whole
// run (starting one takes 10-20 s) and each test file works in a schema of its own on it.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fork, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);

function findTests(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

function startSharedEmbedded() {
  const dataDir = mkdtempSync(join(tmpdir(), 'flowatlas-tests-'));
  const child = fork(join(root, 'src/db/embedded-server.ts'), [dataDir], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (msg) => {
      if (msg.type === 'ready') resolve({ url: `postgres://postgres:postgres@127.0.0.1:${msg.port}/postgres`, child, dataDir });
      if (msg.type === 'error') reject(new Error(msg.message));
    });
    child.once('exit', (code) => reject(new Error(`embedded test database exited (${code})`)));
  });
}

const files = findTests(join(root, 'src'))
  .map((f) => relative(root, f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const env = { ...process.env };
let shared = null;
if (!env.TEST_DATABASE_URL) {
  shared = await startSharedEmbedded();
  env.TEST_EMBEDDED_URL = shared.url;
  console.log(`[tests] embedded PGlite + TimescaleDB for this run at ${shared.url}`);
} else {
  console.log(`[tests] database server from TEST_DATABASE_URL`);
}

// Files run one at a time: the embedded server takes one connection at a time, and the
// machine has two cores.
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { cwd: root, stdio: 'inherit', env });
const status = await new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
if (shared) {
  shared.child.send({ type: 'stop' });
  await new Promise((resolve) => shared.child.once('exit', resolve));
  rmSync(shared.dataDir, { recursive: true, force: true });
}
process.exit(status);
