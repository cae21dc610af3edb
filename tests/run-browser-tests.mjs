/**
 * `npm run test:browser`: the playground's real-browser tests under node's test runner.
 * Without Chromium (FLOWATLAS_CHROMIUM or /usr/bin/chromium) they are skipped, loudly;
 * CI installs it first with scripts/ensure-chromium.sh.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, CHROMIUM } from './support/browser.mjs';
import { startProxy } from './support/proxy.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!chromiumAvailable()) {
  console.log(`SKIPPED browser tests: no Chromium at ${CHROMIUM} (install it with scripts/ensure-chromium.sh)`);
  process.exit(0);
}
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .map((f) => path.join(here, f));
const started = Date.now();
// The test files only read the demo: they share one proxy (FLOWATLAS_BROWSER_PROXY, the
// dashboards' demo size) instead of loading a demo each.
const shared = process.env.FLOWATLAS_BROWSER_PROXY ? null : await startProxy({ demoFlows: 20000 });
const env = shared ? { ...process.env, FLOWATLAS_BROWSER_PROXY: shared.url } : process.env;
// Not spawnSync: this process must keep reading the shared proxy's output while the tests run.
const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit', env });
const status = await new Promise((resolve) => child.once('exit', (code) => resolve(code)));
await shared?.stop();
console.log(`[browser tests] ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in artifacts/browser/`);
process.exit(status ?? 1);
