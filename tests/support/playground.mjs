/** Builds the playground page when it is missing or older than its sources, and finds where it is served. */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot, startProxy } from './proxy.mjs';

/** Screenshots of the browser tests (git-ignored). */
export const ARTIFACTS = path.join(repoRoot, 'artifacts', 'browser');

function newest(dir) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    const s = statSync(p);
    latest = Math.max(latest, s.isDirectory() ? (name === 'node_modules' || name === 'dist' ? 0 : newest(p)) : s.mtimeMs);
  }
  return latest;
}

export function ensurePlaygroundBuilt() {
  const built = path.join(repoRoot, 'playground', 'dist', 'index.html');
  let builtAt = 0;
  try {
    builtAt = statSync(path.join(repoRoot, 'playground', 'dist', 'app.js')).mtimeMs && statSync(built).mtimeMs;
  } catch {
    builtAt = 0;
  }
  // provisioning/dashboards: the dashboard view bundles the provisioned dashboard JSON files
  const sources = Math.max(newest(path.join(repoRoot, 'playground')), newest(path.join(repoRoot, 'src')), newest(path.join(repoRoot, 'provisioning', 'dashboards')));
  if (builtAt >= sources) {
    return;
  }
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'playground', 'build.mjs')], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error('playground build failed');
  }
}

/**
 * The proxy serves the page at /playground/ once playgroundRoutes is wired into its app; until
 * then the tests serve it themselves in front of the proxy (playground/serve.mjs).
 */
export async function playgroundUrl(proxyUrl) {
  const res = await fetch(`${proxyUrl}/playground/`).catch(() => null);
  if (res?.ok && (res.headers.get('content-type') ?? '').startsWith('text/html')) {
    return { url: `${proxyUrl}/playground/`, stop: async () => undefined, servedBy: 'proxy' };
  }
  const { startPlaygroundServer } = await import('../../playground/serve.mjs');
  const { server, url } = await startPlaygroundServer({ proxyUrl });
  return { url: `${url}/playground/`, stop: () => new Promise((resolve) => server.close(resolve)), servedBy: 'playground/serve.mjs' };
}

/**
 * What every browser test file starts from: the artifacts folder, a built page, and a proxy with
 * the demo: FLOWATLAS_BROWSER_PROXY (the one run-browser-tests.mjs shares, or one already running
 * while developing), else one of its own with `demoFlows` tuples. The page is served in front of it.
 */
export async function openPlaygroundStack({ demoFlows }) {
  await mkdir(ARTIFACTS, { recursive: true });
  ensurePlaygroundBuilt();
  const running = process.env.FLOWATLAS_BROWSER_PROXY;
  const proxy = running ? { url: running.replace(/\/$/, ''), stop: async () => undefined } : await startProxy({ demoFlows });
  const served = await playgroundUrl(proxy.url);
  return { proxy, served };
}
