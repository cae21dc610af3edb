// Builds the data source backend: esbuild bundles the TypeScript (with src/shared and the .proto
// texts) into one CommonJS file, which becomes a Node single executable application per target:
// the blob is injected with postject into a node binary of this Node version for that architecture
// (the host's own, or the official release binary from the npm registry for the other one).
// Output: dist/datasource/gpx_flowatlas_linux_amd64 and _linux_arm64, beside the data source's plugin.json.
// FLOWATLAS_BACKEND_TARGETS=amd64 (or arm64) builds only that one.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostTarget, nodeBinaryFor, SEA_FUSE, TARGETS } from './node-binary.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pluginRoot = join(here, '..');
const repoRoot = join(pluginRoot, '..');
const work = join(pluginRoot, 'dist');
const outDir = join(repoRoot, 'dist', 'datasource');
const cacheRoot = join(repoRoot, 'node_modules', '.cache', 'flowatlas-node');
const executable = 'gpx_flowatlas';
const targets = (process.env.FLOWATLAS_BACKEND_TARGETS ?? Object.keys(TARGETS).join(','))
  .split(',')
  .map((t) => t.trim())
  .filter((t) => t in TARGETS);

const started = Date.now();
mkdirSync(work, { recursive: true });
mkdirSync(outDir, { recursive: true });

const bundle = join(work, 'main.cjs');
await build({
  entryPoints: [join(pluginRoot, 'src/main.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  loader: { '.proto': 'text' },
  legalComments: 'none',
  logLevel: 'warning',
});

if (process.platform !== 'linux') {
  console.warn(`[build:backend] bundle written to ${bundle}; no executable for ${process.platform} (Grafana runs linux binaries)`);
  process.exit(0);
}

/** The SEA blob; V8's code cache only for the host's own architecture (it is arch-specific). */
function seaBlob(codeCache) {
  const name = codeCache ? 'host' : 'portable';
  const config = join(work, `sea-config-${name}.json`);
  const blob = join(work, `sea-prep-${name}.blob`);
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: codeCache }));
  execFileSync(process.execPath, ['--experimental-sea-config', config], { stdio: 'inherit' });
  return blob;
}

const { inject } = require('postject');
let failed = 0;
for (const target of targets) {
  const out = join(outDir, `${executable}_linux_${target}`);
  let base;
  try {
    base = nodeBinaryFor(target, cacheRoot);
  } catch (err) {
    // The host's executable is always built; the other architecture needs the registry.
    console.warn(`[build:backend] linux/${target} NOT built: no node ${process.versions.node} binary for it (${err.message.split('\n')[0]})`);
    if (target === hostTarget()) failed++;
    continue;
  }
  const blob = seaBlob(target === hostTarget());
  const tmp = `${out}.tmp`;
  rmSync(tmp, { force: true });
  copyFileSync(base, tmp);
  chmodSync(tmp, 0o755);
  await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, overwrite: true });
  // renamed only when complete, so a failed build never leaves a half-injected executable
  renameSync(tmp, out);
  console.log(`[build:backend] ${out} (${(statSync(out).size / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
console.log(`[build:backend] bundle ${(statSync(bundle).size / 1e3).toFixed(0)} kB`);
process.exit(failed ? 1 : 0);
