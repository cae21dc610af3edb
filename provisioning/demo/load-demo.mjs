/**
 * The one-shot demo loader of docker-compose.yml (service `demo-loader`): generates the seeded
 * demo of docs/forensic-scenario.md — three weeks of background traffic for the five sites plus
 * the attack — and sends it through the proxy's real ingest API, exactly as `npm start` does on
 * an empty embedded database. It runs the proxy image's own compiled demo modules, so the
 * compose demo and the `npm start` demo are the same data for the same seed.
 *
 * Loads only into an empty database (GET /api/health rows = 0), so `docker compose up` again,
 * or a stack already holding real flows, is left alone; exits 0 then. Exit 1 on any failure,
 * with the reason on stderr.
 *
 * Environment:
 *   FLOWATLAS_URL          the proxy (default http://backend-proxy:8686)
 *   FLOWATLAS_TOKEN        its bearer token (the same one the proxy requires)
 *   FLOWATLAS_DEMO_FLOWS   demo size in flow tuples (default 1000000; 0 = load nothing)
 *   FLOWATLAS_DEMO_SEED    seed of every address, port and time of the story (default 1)
 *   FLOWATLAS_PROXY_DIST   the proxy's compiled modules (default /app/backend-proxy/dist, the image's)
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const env = process.env;
const url = (env.FLOWATLAS_URL || 'http://backend-proxy:8686').replace(/\/$/, '');
const token = env.FLOWATLAS_TOKEN?.trim() || null;
const dist = path.resolve(env.FLOWATLAS_PROXY_DIST || '/app/backend-proxy/dist');

function count(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

/** The proxy's health, retried while it starts (compose waits for healthy, a manual run may not). */
async function health(timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const res = await fetch(`${url}/api/health`);
      const body = await res.json();
      if (res.ok && body.status === 'ok') return body;
      last = `HTTP ${res.status} ${JSON.stringify(body)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    if (Date.now() > deadline) throw new Error(`proxy at ${url} not healthy after ${timeoutMs / 1000} s: ${last}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

async function main() {
  const flows = count('FLOWATLAS_DEMO_FLOWS', 1_000_000);
  const seed = count('FLOWATLAS_DEMO_SEED', 1);
  if (flows === 0) {
    console.log('[demo-loader] FLOWATLAS_DEMO_FLOWS=0: no demo');
    return;
  }
  const status = await health();
  if (Number(status.rows) > 0) {
    console.log(`[demo-loader] the database already has ${Number(status.rows).toLocaleString('en')} flow rows (newest ${status.newest}): demo not loaded`);
    return;
  }
  const load = (file) => import(pathToFileURL(path.join(dist, file)).href);
  const [{ planDemo }, { loadDemo }, { sharedGeoLocator }] = await Promise.all([load('demo/generate.js'), load('demo/load.js'), load('enrich/geo.js')]);
  const plan = planDemo({ seed, flows, now: Date.now(), locate: (ip) => sharedGeoLocator().country(ip) });
  console.log(`[demo-loader] loading ~${flows.toLocaleString('en')} demo flow tuples (seed ${seed}) into ${url}`);
  let printed = 0;
  const done = await loadDemo(url, token, plan, (p) => {
    if (Date.now() - printed < 5000) return;
    printed = Date.now();
    console.log(`[demo-loader] ${p.tuples.toLocaleString('en')} tuples, ${p.rows.toLocaleString('en')} rows, ${Math.round(p.tuples / (p.elapsedMs / 1000)).toLocaleString('en')} flows/s`);
  });
  if (done.rejected > 0) throw new Error(`${done.rejected} demo tuples were rejected by the proxy`);
  console.log(`[demo-loader] done: ${done.tuples.toLocaleString('en')} tuples → ${done.rows.toLocaleString('en')} rows in ${(done.elapsedMs / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  console.error(`[demo-loader] failed: ${err.message}`);
  process.exit(1);
});
