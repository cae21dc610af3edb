/**
 * `npm run test:browser`: the playground's real-browser tests under node's test runner.
 * Without Chromium (FLOWATLAS_CHROMIUM or /usr/bin/chromium) they are skipped, loudly;
 * CI installs it first with scripts/ensure-chromium.sh.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumAvailable, CHROMIUM } from './support/browser.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!chromiumAvailable()) {
  console.log(`SKIPPED browser tests: no Chromium at ${CHROMIUM} (install it with scripts/ensure-chromium.sh)`);
  process.exit(0);
}
const files = readdirSync(here)
  .filter((f) => f.endsWith('.test.mjs'))
  .map((f) => path.join(here, f));
const started = Date.now();
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], { stdio: 'inherit' });
console.log(`[browser tests] ${result.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s; screenshots in artifacts/browser/`);
process.exit(result.status ?? 1);
