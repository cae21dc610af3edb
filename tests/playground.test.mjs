/**
 * The playground in a real browser against a real proxy with the seeded demo: build a query by
 * clicking, then walk the forensic story's presets and check what is drawn. The story's
 * addresses and countries are found by querying the proxy, never known in advance.
 * Run with `npm run test:browser` (skips when Chromium is missing).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openPage } from './support/browser.mjs';
import { ARTIFACTS, openPlaygroundStack } from './support/playground.mjs';
import { currentRun, loadPreset, pickOption, WAIT, waitForFirstRun, waitForRunAfter } from './support/playgroundPage.mjs';
import { queryRows } from './support/proxy.mjs';

/** Rows of the n-th table drawn (header excluded), as arrays of cell texts. */
async function tableRows(page, index = 0) {
  const table = page.locator('[data-testid="playground-table"] [role="table"]').nth(index);
  await table.waitFor(WAIT);
  return table.evaluate((el) =>
    [...el.querySelectorAll('[role="row"]')]
      .filter((row) => row.querySelector('[role="cell"]'))
      .map((row) => [...row.querySelectorAll('[role="cell"]')].map((c) => c.textContent.trim()))
  );
}

describe('playground in Chromium', { timeout: 10 * 60_000 }, () => {
  let proxy;
  let served;
  let browser;
  let story;

  before(async () => {
    ({ proxy, served } = await openPlaygroundStack({ demoFlows: 15000 }));
    if (served.servedBy !== 'proxy') {
      console.log(`# the proxy does not serve /playground yet: page served by ${served.servedBy}`);
    }
    // The story as the API tells it: the inside host the internet tried ssh on most, its top ssh
    // source from outside and where things are.
    const outside = { dimension: 'src_inside', op: '=', values: ['outside'] };
    const [jump] = await queryRows(proxy.url, {
      mode: 'table',
      metric: 'flows',
      dimensions: ['dst_ip', 'dst_site'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, outside, { dimension: 'dst_inside', op: '=', values: ['inside'] }] },
      topN: 1,
    });
    const [attacker] = await queryRows(proxy.url, {
      mode: 'table',
      metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filters: { op: 'and', rules: [{ dimension: 'dst_port', op: '=', values: ['22'] }, { dimension: 'dst_ip', op: '=', values: [jump.dst_ip] }, outside] },
      topN: 1,
    });
    story = { jumpHost: jump.dst_ip, jumpSite: jump.dst_site, attacker: attacker.src_ip, attackerCountry: attacker.src_country };
    assert.ok(story.attacker && story.attackerCountry && story.jumpSite, `story found by querying: ${JSON.stringify(story)}`);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    await proxy?.stop();
  });

  it('builds a table query by clicking a dimension and a filter, then draws it as a time series', async () => {
    const { page, problems } = await openPage(browser.context, served.url);
    await waitForFirstRun(page);
    const editor = page.getByTestId('playground-query-A');

    let run = await currentRun(page);
    await editor.getByTestId('flowatlas-qe-mode').getByRole('radio', { name: 'Table', exact: true }).click();
    await page.getByTestId('playground-panel-picker').getByRole('radio', { name: 'Table', exact: true }).click();
    await waitForRunAfter(page, run);

    run = await currentRun(page);
    await pickOption(page, editor.getByTestId('flowatlas-qe-dimensions').locator('input'), 'Destination port');
    await waitForRunAfter(page, run);

    await editor.getByTestId('flowatlas-filter-add-rule').click();
    await pickOption(page, editor.getByLabel('Rule 1 dimension'), 'Destination port');
    run = await currentRun(page);
    const value = editor.getByTestId('flowatlas-filter-rule-value');
    await value.fill('22');
    await value.press('Enter');
    await waitForRunAfter(page, run);

    const rows = await tableRows(page);
    assert.ok(rows.length > 0, 'the table has rows');
    // Group by destination IP, destination port: every row is port 22, the jump host among them.
    for (const row of rows) {
      assert.equal(row[1], '22', `row ${row.join(' | ')}`);
    }
    assert.ok(rows.some((row) => row[0] === story.jumpHost), `jump host ${story.jumpHost} listed`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'built-query-table.png') });

    run = await currentRun(page);
    await editor.getByTestId('flowatlas-qe-mode').getByRole('radio', { name: 'Time series', exact: true }).click();
    await page.getByTestId('playground-panel-picker').getByRole('radio', { name: 'Time series', exact: true }).click();
    await waitForRunAfter(page, run);
    const chart = page.getByTestId('playground-timeseries');
    await chart.locator('canvas').first().waitFor(WAIT);
    const series = Number(await chart.getAttribute('data-series'));
    assert.equal(series, rows.length, 'one series per (destination IP, port) group of the table');
    await page.screenshot({ path: path.join(ARTIFACTS, 'built-query-timeseries.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  describe('the forensic story, one preset per step', () => {
    let page;
    let problems;

    before(async () => {
      ({ page, problems } = await openPage(browser.context, served.url));
      await waitForFirstRun(page);
    });
    after(async () => {
      await page?.close();
    });

    it('step 1: the attacker tops the ssh sources of the jump host, with its country', async () => {
      // the story's variables found the jump host and, from outside, its attacker
      assert.equal((await page.getByTestId('playground-variable-jump_host').textContent()).trim(), story.jumpHost);
      assert.equal((await page.getByTestId('playground-variable-suspect').textContent()).trim(), story.attacker);
      await loadPreset(page, 1);
      const rows = await tableRows(page);
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-1.png') });
      assert.deepEqual(rows[0].slice(0, 2), [story.attacker, story.attackerCountry]);
      assert.deepEqual(problems, []);
    });

    it("step 2: the attacker's biggest flow is ssh to the jump host (the successful login)", async () => {
      await loadPreset(page, 2);
      const rows = await tableRows(page);
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-2.png') });
      assert.deepEqual(rows[0].slice(0, 4), [story.attacker, rows[0][1], story.jumpHost, '22']);
      assert.deepEqual(problems, []);
    });

    it('step 3: one inside host is scanned on many ports', async () => {
      await loadPreset(page, 3);
      const rows = await tableRows(page, 0);
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-3.png') });
      const ports = Number(rows[0].at(-1).replace(/[^\d.]/g, ''));
      assert.ok(ports >= 20, `the scanned host shows many destination ports: ${rows[0].join(' | ')}`);
      // …and the same host is where the big volume came back from (the MySQL pull).
      const pulled = await tableRows(page, 1);
      assert.equal(pulled[0][0], rows[0][0], `biggest reply comes from the scanned host: ${pulled[0].join(' | ')}`);
      assert.deepEqual(problems, []);
    });

    it('step 4: MySQL in and ssh out move together (r ≥ 0.9 at lag 0)', async () => {
      await loadPreset(page, 4);
      const r = page.getByTestId('flowatlas-correlation-r');
      await r.waitFor(WAIT);
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-4.png') });
      const rValue = Number((await r.textContent()).replace('\u2212', '-'));
      assert.ok(rValue >= 0.9, `correlation r = ${rValue}`);
      assert.equal((await page.getByTestId('flowatlas-correlation-lag').textContent()).trim(), '0');
      assert.ok((await page.getByTestId('flowatlas-correlation-series-a').count()) > 0, 'series A drawn');
      // The spike is shaded: a joint spike window is drawn, and A's peak lies inside it.
      const shading = await page.evaluate(() => {
        const rects = [...document.querySelectorAll('[data-testid="flowatlas-correlation-spike-window"]')].map((r) => r.getBoundingClientRect());
        const line = document.querySelector('[data-testid="flowatlas-correlation-series-a"]');
        const points = [...line.getAttribute('d').matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
        const peak = points.reduce((a, b) => (b.y < a.y ? b : a));
        const origin = line.ownerSVGElement.getBoundingClientRect();
        return { rects: rects.map((r) => ({ left: r.left - origin.left, right: r.right - origin.left, height: r.height })), peakX: peak.x };
      });
      assert.ok(shading.rects.length > 0 && shading.rects.every((r) => r.height > 0), `spike windows shaded: ${JSON.stringify(shading)}`);
      assert.ok(shading.rects.some((r) => shading.peakX >= r.left - 1 && shading.peakX <= r.right + 1), `A's peak inside a shaded window: ${JSON.stringify(shading)}`);
      // On a narrow panel the header wraps instead of cutting its numbers off, and the chart starts below it.
      const viewport = page.viewportSize();
      await page.setViewportSize({ width: 1350, height: viewport.height });
      await page.waitForFunction(() => document.querySelector('[data-testid="flowatlas-correlation-chart"]')?.getBoundingClientRect().width < 500, null, WAIT);
      const narrow = await page.evaluate(() => {
        const header = document.querySelector('[data-testid="flowatlas-correlation-header"]').getBoundingClientRect();
        const items = [...document.querySelectorAll('[data-testid="flowatlas-correlation-header"] b, [data-testid="flowatlas-correlation-verdict"]')].map((e) => e.getBoundingClientRect());
        const chart = document.querySelector('[data-testid="flowatlas-correlation-chart"]').getBoundingClientRect();
        return { cut: items.filter((r) => r.right > header.right + 1 || r.bottom > header.bottom + 1).length, headerBottom: header.bottom, chartTop: chart.top, panelWidth: header.width };
      });
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-4-narrow.png') });
      await page.setViewportSize(viewport);
      assert.equal(narrow.cut, 0, `header items cut off on a ${narrow.panelWidth}px panel: ${JSON.stringify(narrow)}`);
      assert.ok(narrow.chartTop >= narrow.headerBottom - 1, `chart below the wrapped header: ${JSON.stringify(narrow)}`);
      assert.deepEqual(problems, []);
    });

    it('dragging over the spike on the time series zooms the range to it, as in Grafana', async () => {
      await loadPreset(page, 4);
      const before = await page.getByTestId('playground-status').getAttribute('data-run');
      const sent = [];
      const onRequest = (r) => r.url().endsWith('/api/v1/query') && sent.push(r.postDataJSON());
      page.on('request', onRequest);
      await page.getByTestId('playground-panel-picker').getByRole('radio', { name: 'Time series', exact: true }).click();
      const plot = page.getByTestId('playground-timeseries').locator('.u-over');
      await plot.waitFor(WAIT);
      const box = await plot.boundingBox();
      await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 3);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 3, { steps: 8 });
      await page.mouse.up();
      await waitForRunAfter(page, Number(before));
      page.off('request', onRequest);
      const [zoomed] = sent;
      assert.ok(zoomed, 'the drag ran the query again');
      // the 150-minute event window became the 30 % dragged over
      const minutes = (zoomed.to - zoomed.from) / 60_000;
      assert.ok(minutes > 35 && minutes < 55, `zoomed to ${minutes} minutes`);
      assert.deepEqual(problems, []);
    });

    it("step 5: the arc from the jump host's site to the attacker's country crosses a border", async () => {
      await loadPreset(page, 5);
      const links = page.getByTestId('flowatlas-geotopology-links');
      await links.waitFor({ state: 'attached', ...WAIT });
      await page.screenshot({ path: path.join(ARTIFACTS, 'step-5.png') });
      const drawn = await links.locator('li').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-arc')} crosses=${e.getAttribute('data-crosses-border')}`));
      const arc = links.locator(`[data-arc="${story.jumpSite}\u2192${story.attackerCountry}"]`);
      assert.equal(await arc.count(), 1, `arc ${story.jumpSite} → ${story.attackerCountry} among the drawn arcs: ${drawn.join(', ')}`);
      assert.equal(await arc.getAttribute('data-crosses-border'), 'true');
      // The wheel zooms the map (the panel mounted before its data arrived).
      const node = `[data-node="${story.jumpSite}"]`;
      const before = await page.getAttribute(node, 'transform');
      const box = await page.getByTestId('flowatlas-geotopology-overlay').boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.wheel(0, -400);
      await page.waitForFunction(([sel, t]) => document.querySelector(sel)?.getAttribute('transform') !== t, [node, before], WAIT);
      assert.deepEqual(problems, []);
    });
  });
});
