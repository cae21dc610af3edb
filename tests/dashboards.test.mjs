/**
 * The provisioned dashboards (provisioning/dashboards/*.json) drawn by the playground's dashboard
 * view (`/playground/?dashboard=<uid>`) in Chromium against a real proxy with the seeded demo:
 * every panel answers without an error and draws its data, with no console error; the forensic
 * story shows on the panels; and the screenshots are taken for the README. The story's
 * addresses are found by querying the proxy, never known in advance.
 *
 * FLOWATLAS_README_SCREENSHOTS=1 also writes the README images to docs/img/ (palette PNGs).
 */
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openPage } from './support/browser.mjs';
import { ARTIFACTS, openPlaygroundStack } from './support/playground.mjs';
import { queryRows, repoRoot } from './support/proxy.mjs';
import { smallPng } from './support/png.mjs';

const README_IMAGES = path.join(repoRoot, 'docs', 'img');
const WAIT = { timeout: 120_000 };
const MINUTE = 60_000;
const dashboard = '[data-testid="playground-dashboard"]';

/** Opens a dashboard and waits until its variables are resolved and every panel has answered. */
async function openDashboard(browser, base, params, viewport) {
  const { page, problems } = await openPage(browser.context, 'about:blank');
  await page.setViewportSize(viewport);
  const queries = [];
  page.on('request', (req) => {
    if (req.url().endsWith('/api/v1/query')) queries.push(req.postDataJSON());
  });
  await page.goto(`${base}?${new URLSearchParams(params)}`);
  await page.waitForFunction((sel) => ['Done', 'Error'].includes(document.querySelector(sel)?.getAttribute('data-state')), dashboard, WAIT);
  const panels = await page.$$eval('[data-testid="playground-dashboard-panel"]', (els) =>
    els.map((e) => ({
      id: e.dataset.panelId,
      type: e.dataset.type,
      state: e.dataset.state,
      rows: Number(e.dataset.rows),
      error: e.dataset.error,
      title: e.querySelector('h2')?.textContent ?? '',
      // what an operator reads when a visualization found nothing to draw in the rows it got
      saysNoData: /\bNo data\b/.test(e.textContent ?? ''),
    }))
  );
  return { page, problems, panels, queries };
}

async function screenshot(page, name, { fullPage = false, readmeWidth } = {}) {
  const png = await page.screenshot({ fullPage });
  await writeFile(path.join(ARTIFACTS, `${name}.png`), png);
  if (readmeWidth && process.env.FLOWATLAS_README_SCREENSHOTS === '1') {
    await mkdir(README_IMAGES, { recursive: true });
    await writeFile(path.join(README_IMAGES, `${name}.png`), await smallPng(png, readmeWidth));
  }
}

function assertEveryPanelDrew(panels) {
  assert.ok(panels.length > 0, 'panels drawn');
  for (const p of panels) {
    if (p.type === 'text') continue;
    assert.equal(p.state, 'Done', `${p.title}: ${p.state} ${p.error}`);
    assert.ok(p.rows > 0, `${p.title}: no data`);
    assert.ok(!p.saysNoData, `${p.title}: ${p.rows} rows, yet the ${p.type} panel says "No data"`);
  }
}

describe('provisioned dashboards in Chromium', { timeout: 10 * 60_000 }, () => {
  let proxy;
  let served;
  let browser;
  let story;

  before(async () => {
    ({ proxy, served } = await openPlaygroundStack({ demoFlows: 20000 }));
    // The story as the API tells it: the target host, its attacker and the exfiltration minute.
    const [jump] = await queryRows(proxy.url, {
      mode: 'table',
      metric: 'flows',
      dimensions: ['dst_ip', 'dst_site'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'src_inside', op: '=', values: ['outside'] }] },
      topN: 1,
    });
    const [attacker] = await queryRows(proxy.url, {
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'dst_ip', op: '=', values: [jump.dst_ip] }, { dimension: 'src_inside', op: '=', values: ['outside'] }] },
      topN: 1,
    });
    // When the target host sent the attacker the most: the hour over three weeks, then the minute.
    const toAttacker = { op: 'and', rules: [{ dimension: 'src_ip', op: '=', values: [jump.dst_ip] }, { dimension: 'dst_ip', op: '=', values: [attacker.src_ip] }] };
    const busiest = (rows) => rows.reduce((best, row) => (row.bytes > best.bytes ? row : best));
    const hour = busiest(await queryRows(proxy.url, { mode: 'timeseries', metric: 'bytes', dimensions: [], filters: toAttacker, intervalMs: 60 * MINUTE, maxDataPoints: 1000 }));
    const peak = busiest(
      await queryRows(proxy.url, { mode: 'timeseries', metric: 'bytes', dimensions: [], filters: toAttacker, from: hour.time - 60 * MINUTE, to: hour.time + 120 * MINUTE, intervalMs: MINUTE, maxDataPoints: 1000 })
    );
    const health = await (await fetch(`${proxy.url}/api/health`)).json();
    story = { jumpHost: jump.dst_ip, jumpSite: jump.dst_site, attacker: attacker.src_ip, attackerCountry: attacker.src_country, peak: peak.time, newest: Date.parse(health.newest) };
    assert.ok(story.attacker && story.attackerCountry && story.jumpSite && story.peak, `story found by querying: ${JSON.stringify(story)}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    await proxy?.stop();
  });

  it('Flow forensics over its own three weeks: variables from their queries, every panel with data', async () => {
    const { page, problems, panels } = await openDashboard(browser, served.url, { dashboard: 'flowatlas-forensics' }, { width: 1600, height: 1000 });
    assert.equal(await page.getAttribute(dashboard, 'data-state'), 'Done');
    assertEveryPanelDrew(panels);
    const variable = async (name) => (await page.getByTestId(`playground-dashboard-variable-${name}`).textContent()).trim();
    assert.equal(await variable('jump_host'), story.jumpHost);
    assert.equal(await variable('suspect'), story.attacker);
    // titles carry the variables' values
    assert.ok(panels.some((p) => p.title.includes(story.jumpHost)), panels.map((p) => p.title).join(' | '));
    await screenshot(page, 'dashboard-flow-forensics-3-weeks', { fullPage: true });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Flow forensics zoomed to the incident: the correlation says one event, the map marks the border crossing', async () => {
    const params = { dashboard: 'flowatlas-forensics', from: String(story.peak - 90 * MINUTE), to: String(story.peak + 60 * MINUTE) };
    const { page, problems, panels } = await openDashboard(browser, served.url, params, { width: 1600, height: 1000 });
    assertEveryPanelDrew(panels);
    const r = Number((await page.getByTestId('flowatlas-correlation-r').textContent()).replace('\u2212', '-'));
    assert.ok(r >= 0.9, `correlation r = ${r}`);
    assert.equal((await page.getByTestId('flowatlas-correlation-lag').textContent()).trim(), '0');
    const arc = page.getByTestId('flowatlas-geotopology-links').locator(`[data-arc="${story.jumpSite}\u2192${story.attackerCountry}"]`);
    assert.equal(await arc.count(), 1, `arc ${story.jumpSite} → ${story.attackerCountry} drawn`);
    assert.equal(await arc.getAttribute('data-crosses-border'), 'true');
    await screenshot(page, 'flow-forensics', { fullPage: true, readmeWidth: 1200 });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Flow forensics: dragging over a time series zooms every panel to that moment, as its text says', async () => {
    const { page, problems, queries } = await openDashboard(browser, served.url, { dashboard: 'flowatlas-forensics' }, { width: 1600, height: 1000 });
    const before = Number(await page.getAttribute(dashboard, 'data-run'));
    const sent = queries.length;
    const plot = page.locator('[data-testid="playground-dashboard-panel"][data-type="timeseries"] .u-over').first();
    const box = await plot.boundingBox();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 3);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 3, { steps: 8 });
    await page.mouse.up();
    await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-run')) > n, [dashboard, before], WAIT);
    const spans = queries.slice(sent).map((q) => (q.to - q.from) / 3_600_000);
    assert.ok(spans.length > 0, 'the panels ran again');
    // a tenth of three weeks: about two days, for every panel
    assert.ok(spans.every((h) => h > 30 && h < 70), `zoomed spans in hours: ${spans.join(', ')}`);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Flow forensics: a click on a map node drills the dashboard down to it, a second click goes back to All', async () => {
    const params = { dashboard: 'flowatlas-forensics', from: String(story.peak - 90 * MINUTE), to: String(story.peak + 60 * MINUTE) };
    const { page, problems, queries } = await openDashboard(browser, served.url, params, { width: 1600, height: 1000 });
    const picked = async (name) => (await page.getByTestId(`playground-dashboard-variable-${name}`).textContent()).trim();
    const rerun = async (act) => {
      const before = Number(await page.getAttribute(dashboard, 'data-run'));
      await act();
      await page.waitForFunction(([sel, n]) => Number(document.querySelector(sel)?.getAttribute('data-run')) > n, [dashboard, before], WAIT);
    };
    const node = page.getByTestId(`flowatlas-geotopology-node-${story.attackerCountry}`);
    const internet = page.locator('[data-testid="playground-dashboard-panel"]').filter({ hasText: 'to the internet, by country' });
    assert.equal(await picked('site'), 'All');
    const sent = queries.length;
    await rerun(() => node.dispatchEvent('click'));
    assert.equal(await picked('site'), story.attackerCountry);
    // the panels that follow the map asked for that country, and the internet table still answers
    const drilled = queries.slice(sent).filter((q) => JSON.stringify(q.filters).includes(`"like","values":["${story.attackerCountry}"]`));
    assert.equal(drilled.length, 2, JSON.stringify(queries.slice(sent).map((q) => q.filters)));
    assert.ok(Number(await internet.getAttribute('data-rows')) > 0, 'internet table rows');
    await rerun(() => node.dispatchEvent('click'));
    assert.equal(await picked('site'), 'All');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('NOC wall in kiosk mode on a 1080p screen, refreshing on its own', async () => {
    // The demo's last six hours (its traffic stops at the hour it was generated).
    const to = Math.ceil(story.newest / MINUTE) * MINUTE;
    const params = { dashboard: 'flowatlas-noc', kiosk: '', from: String(to - 6 * 60 * MINUTE), to: String(to) };
    const { page, problems, panels, queries } = await openDashboard(browser, served.url, params, { width: 1920, height: 1080 });
    assertEveryPanelDrew(panels);
    // kiosk: nothing but the panels, and they fit the screen
    assert.equal(await page.locator('header').count(), 0);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    assert.ok(height <= 1080, `page is ${height} px high`);
    // the map in NOC mode, its border-crossing arcs marked
    assert.ok((await page.locator('[data-testid="flowatlas-geotopology-links"] [data-crosses-border="true"]').count()) > 0, 'border-crossing arcs');
    await screenshot(page, 'noc-wall', { readmeWidth: 1280 });
    assert.deepEqual(problems, []);
    await page.close();

    // Auto refresh: the dashboard's own `refresh` (30s), here shortened through the URL as Grafana allows.
    const fast = await openDashboard(browser, served.url, { ...params, refresh: '1s' }, { width: 1920, height: 1080 });
    const first = fast.queries.length;
    await fast.page.waitForTimeout(2500);
    assert.ok(fast.queries.length >= first + panels.length, `queries re-run: ${first} → ${fast.queries.length}`);
    assert.deepEqual(fast.problems, []);
    await fast.page.close();
  });
});
