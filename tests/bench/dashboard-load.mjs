/**
 * npm run bench:dashboard — how long the provisioned dashboards take to load, as an operator
 * sees it: the playground's dashboard view (/playground/?dashboard=<uid>, the same JSON files
 * Grafana provisions, the real data source and panels) in Chromium, against the proxy as
 * `npm start` runs it with the default demo (1M NSG tuples). A load is timed from navigation to
 * every variable resolved and every panel drawn (the view's data-state = Done).
 *
 * Reference, in the same run: the very requests that load sent (captured from the page),
 * POSTed straight to the proxy at once with fetch — no browser, no variables to resolve first,
 * no drawing. Dashboard / reference is what the page adds on top of the queries themselves.
 *
 * Environment: BENCH_DEMO_FLOWS (default 1,000,000), BENCH_LOADS (measured loads per
 * dashboard, default 10, after one warm-up), BENCH_DATABASE_URL (a PostgreSQL server: the proxy
 * gets a fresh database there; default the embedded TimescaleDB).
 */
import { cpus, loadavg } from 'node:os';
import { CHROMIUM, chromiumAvailable, launchBrowser, openPage } from '../support/browser.mjs';
import { ensurePlaygroundBuilt, playgroundUrl } from '../support/playground.mjs';
import { queryRows, startProxy } from '../support/proxy.mjs';
import { fmt, machineLine, percentile, writeSection } from '../../backend-proxy/bench/report.ts';

const DEMO_FLOWS = Number(process.env.BENCH_DEMO_FLOWS ?? 1_000_000);
const LOADS = Number(process.env.BENCH_LOADS ?? 10);
const MINUTE = 60_000;
const DASHBOARD = '[data-testid="playground-dashboard"]';

if (!chromiumAvailable()) {
  console.error(`no Chromium at ${CHROMIUM}: install it with scripts/ensure-chromium.sh`);
  process.exit(1);
}
if (process.env.BENCH_DATABASE_URL) process.env.TEST_DATABASE_URL = process.env.BENCH_DATABASE_URL;

/** The minute the target host sent its attacker the most, found by querying (as the browser tests do). */
async function incidentPeak(proxyUrl) {
  const [jump] = await queryRows(proxyUrl, { mode: 'table', metric: 'flows', dimensions: ['dst_ip'], filterText: 'dst_port = 22 and src_inside = outside', topN: 1 });
  const [attacker] = await queryRows(proxyUrl, { mode: 'table', metric: 'flows', dimensions: ['src_ip'], filterText: `dst_port = 22 and dst_ip = ${jump.dst_ip} and src_inside = outside`, topN: 1 });
  const toAttacker = `src_ip = ${jump.dst_ip} and dst_ip = ${attacker.src_ip}`;
  const busiest = (rows) => rows.reduce((best, row) => (row.bytes > best.bytes ? row : best));
  const hour = busiest(await queryRows(proxyUrl, { mode: 'timeseries', metric: 'bytes', dimensions: [], filterText: toAttacker, intervalMs: 60 * MINUTE, maxDataPoints: 1000 }));
  const minute = busiest(
    await queryRows(proxyUrl, { mode: 'timeseries', metric: 'bytes', dimensions: [], filterText: toAttacker, from: hour.time - 60 * MINUTE, to: hour.time + 120 * MINUTE, intervalMs: MINUTE, maxDataPoints: 1000 })
  );
  return minute.time;
}

/** One load of a dashboard: wall time to Done, the queries it sent, how many panels it drew. */
async function loadOnce(context, url) {
  const { page, problems } = await openPage(context, 'about:blank');
  await page.setViewportSize({ width: 1920, height: 1080 });
  const requests = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/api/v1/query')) requests.push(req.postData());
  });
  // The view says when its variables are resolved (data-variables) and when every panel is
  // drawn (data-state): that splits a load into page start, variables, and panels.
  await page.addInitScript(() => {
    const marks = (window.__benchMarks = {});
    new MutationObserver(() => {
      const view = document.querySelector('[data-testid="playground-dashboard"]');
      if (view?.getAttribute('data-variables') === 'Done') marks.variables ??= performance.now();
      if (['Done', 'Error'].includes(view?.getAttribute('data-state'))) marks.done ??= performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const started = performance.now();
  await page.goto(url);
  await page.waitForFunction((sel) => ['Done', 'Error'].includes(document.querySelector(sel)?.getAttribute('data-state')), DASHBOARD, { timeout: 300_000 });
  const ms = performance.now() - started;
  const state = await page.getAttribute(DASHBOARD, 'data-state');
  const panels = await page.locator('[data-testid="playground-dashboard-panel"]').count();
  const phases = await page.evaluate(() => {
    const firstQuery = Math.min(...performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/api/v1/query')).map((e) => e.startTime));
    const { variables, done } = window.__benchMarks;
    return { start: firstQuery, variables: (variables ?? firstQuery) - firstQuery, panels: done - (variables ?? firstQuery) };
  });
  await page.close();
  if (state !== 'Done' || problems.length) throw new Error(`${url}: ${state} ${problems.join('; ')}`);
  return { ms, requests, panels, phases };
}

/** The captured requests sent straight to the proxy at once (the reference). */
async function directOnce(proxyUrl, bodies) {
  const started = performance.now();
  await Promise.all(
    bodies.map(async (body) => {
      const res = await fetch(`${proxyUrl}/api/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (!res.ok) throw new Error(`direct query ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    })
  );
  return performance.now() - started;
}

const summary = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};

ensurePlaygroundBuilt();
console.log(`[bench] starting the proxy with a ${fmt(DEMO_FLOWS)}-tuple demo (as npm start loads it)…`);
const loadStarted = performance.now();
const proxy = await startProxy({ demoFlows: DEMO_FLOWS, timeoutMs: 3_600_000 });
const demoSeconds = (performance.now() - loadStarted) / 1000;
const served = await playgroundUrl(proxy.url);
const browser = await launchBrowser();
const health = await (await fetch(`${proxy.url}/api/health`)).json();
const chromiumVersion = await (async () => {
  const { page } = await openPage(browser.context, 'about:blank');
  const agent = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return `Chromium ${/Chrome\/([\d.]+)/.exec(agent)?.[1] ?? '?'}`;
})();
try {
  const peak = await incidentPeak(proxy.url);
  const newest = Date.parse(health.newest);
  const cases = [
    { name: 'Flow forensics, its default range (3 weeks)', params: { dashboard: 'flowatlas-forensics' } },
    { name: 'Flow forensics, zoomed to the incident (2.5 h)', params: { dashboard: 'flowatlas-forensics', from: String(peak - 90 * MINUTE), to: String(peak + 60 * MINUTE) } },
    { name: 'NOC wall, kiosk, last 6 h of the demo', params: { dashboard: 'flowatlas-noc', kiosk: '', from: String(newest - 6 * 60 * MINUTE), to: String(newest) } },
  ];
  const loadBefore = loadavg()[0];
  const rows = [];
  for (const c of cases) {
    const url = `${served.url}?${new URLSearchParams(c.params)}`;
    const warm = await loadOnce(browser.context, url);
    await directOnce(proxy.url, warm.requests);
    const loads = [];
    const direct = [];
    // Interleaved, so both see the same machine.
    for (let i = 0; i < LOADS; i++) {
      loads.push(await loadOnce(browser.context, url));
      direct.push(await directOnce(proxy.url, warm.requests));
    }
    const l = summary(loads.map((x) => x.ms));
    const d = summary(direct);
    const phase = (name) => fmt(summary(loads.map((x) => x.phases[name])).p50);
    console.log(`[bench] ${c.name}: ${warm.panels} panels, ${warm.requests.length} queries; load p50 ${fmt(l.p50)} ms, direct p50 ${fmt(d.p50)} ms`);
    rows.push(`| ${c.name} | ${warm.panels} | ${warm.requests.length} | ${fmt(l.p50)} | ${fmt(l.p95)} | ${phase('start')} / ${phase('variables')} / ${phase('panels')} | ${fmt(d.p50)} | ${fmt(d.p95)} | ${fmt(l.p50 / d.p50, 2)}× |`);
  }
  const database = `${health.database}${health.embedded ? ' (embedded PGlite)' : ''}`;
  const kind = process.env.BENCH_DATABASE_URL ? 'server' : 'embedded';
  writeSection(
    `dashboard-${kind}`,
    `## Dashboard loads (${kind}): \`npm run bench:dashboard\`

${machineLine(`${database}, ${chromiumVersion}`)} The demo as \`npm start\` loads it: ${fmt(DEMO_FLOWS)} NSG v2 tuples
(${fmt(health.rows)} rows) through the ingest API, in ${fmt(demoSeconds)} s including the proxy's start. Each dashboard opened in the
playground's dashboard view (provisioned JSON, real data source and panels) at 1920×1080 in headless Chromium, one warm-up
then ${LOADS} loads; a load is timed from navigation to every variable resolved and every panel drawn, in three
phases: page start (the playground's bundle, ~9 MB of @grafana/ui, until its first query), variables (resolved one
after another, as each may use the one before), panels (their queries at once, then drawing). The reference
is the same load's query requests POSTed straight to the proxy at once (no browser, no variables first, no drawing),
interleaved with the loads. Times in ms; 1-minute load average ${loadBefore.toFixed(1)} when the measurements started,
${loadavg()[0].toFixed(1)} when they ended, on ${cpus().length} cores.

| dashboard | panels | queries | load p50 | load p95 | of which page start / variables / panels (p50) | direct queries p50 | direct p95 | load / direct (p50) |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`
  );
  console.log('[bench] docs/benchmarks.md updated');
} finally {
  await browser.close();
  await served.stop();
  await proxy.stop();
}
