// Runs the backend's tests with node's test runner: the unit tests beside the code (src/) and the
// harness that plays Grafana (test/). The harness needs the built executable: it is (re)built
// first when missing or older than its sources, so `npm run test:backend` works on a fresh clone
// and never tests a stale binary. Extra arguments filter the files by substring.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const pluginRoot = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(pluginRoot, '..');
const executables = ['amd64', 'arm64'].map((arch) => join(repoRoot, `dist/datasource/gpx_flowatlas_linux_${arch}`));
const only = process.argv.slice(2);

function files(dir, keep) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : files(path, keep);
    return keep(name) ? [path] : [];
  });
}

// everything bundled into the executable: the backend, its .proto files, and the shared frontend modules
const sources = [join(pluginRoot, 'src'), join(pluginRoot, 'proto'), join(repoRoot, 'src/shared'), join(repoRoot, 'src/datasource')]
  .flatMap((d) => files(d, (n) => /\.(ts|proto)$/.test(n) && !n.includes('.test.')));
const builtAt = Math.min(...executables.map((e) => (existsSync(e) ? statSync(e).mtimeMs : 0)));
if (process.platform === 'linux' && process.arch === 'x64' && sources.some((f) => statSync(f).mtimeMs > builtAt)) {
  console.log('[test:backend] building the executable first (missing or older than its sources)');
  const build = spawnSync(process.execPath, [join(pluginRoot, 'scripts/build.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const tests = [...files(join(pluginRoot, 'src'), (n) => n.endsWith('.test.ts')), ...files(join(pluginRoot, 'test'), (n) => n.endsWith('.test.ts'))]
  .map((f) => relative(repoRoot, f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
const run = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...tests], {
  cwd: repoRoot,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
