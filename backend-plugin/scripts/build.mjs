// Builds the data source backend: esbuild bundles the TypeScript (with src/shared and the .proto
// texts) into one CommonJS file, which becomes a Node single executable application: the blob is
// injected with postject into a copy of the node binary running this build.
// Output: dist/datasource/gpx_flowatlas_linux_amd64, beside the nested data source's plugin.json.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pluginRoot = join(here, '..');
const repoRoot = join(pluginRoot, '..');
const work = join(pluginRoot, 'dist');
const outDir = join(repoRoot, 'dist', 'datasource');
const executable = 'gpx_flowatlas';
// Node's sentinel marking an executable as able to carry an SEA blob (see Node's SEA docs).
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

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

// The executable is the node binary doing the build, so only the host's platform can be produced:
// linux/amd64 here; linux/arm64 would need an arm64 node binary (not built, see README).
const target = `${process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
if (target !== 'linux_amd64' && target !== 'linux_arm64') {
  console.warn(`[build:backend] bundle written to ${bundle}; no executable for ${target} (Grafana runs linux binaries)`);
  process.exit(0);
}

const seaConfig = join(work, 'sea-config.json');
const blob = join(work, 'sea-prep.blob');
writeFileSync(
  seaConfig,
  JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true })
);
execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });

const out = join(outDir, `${executable}_${target}`);
const tmp = `${out}.tmp`;
rmSync(tmp, { force: true });
copyFileSync(process.execPath, tmp);
chmodSync(tmp, 0o755);
const { inject } = require('postject');
await inject(tmp, 'NODE_SEA_BLOB', readFileSync(blob), { sentinelFuse: SEA_FUSE, overwrite: true });
// renamed only when complete, so a failed build never leaves a half-injected executable
renameSync(tmp, out);
console.log(
  `[build:backend] ${out} (${(statSync(out).size / 1e6).toFixed(0)} MB, bundle ${(statSync(bundle).size / 1e3).toFixed(0)} kB) in ${((Date.now() - started) / 1000).toFixed(1)} s`
);
