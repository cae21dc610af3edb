/**
 * The query editor as an operator drives it in Chromium, against the real proxy with the demo:
 * Show SQL (in the font Grafana ships), a text filter whose errors are underlined and never run,
 * the builder/text round trip, bidirectional series, a failed query, and the page at 1024 and
 * 800 px. No console error, failed request or page error is allowed unless a test causes it on
 * purpose (and then exactly that one).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openPage } from './support/browser.mjs';
import { ARTIFACTS, openPlaygroundStack } from './support/playground.mjs';
import { currentRun, loadPreset, pickOption, radio, WAIT, waitForFirstRun, waitForRunAfter } from './support/playgroundPage.mjs';


describe('playground query editor in Chromium', { timeout: 10 * 60_000 }, () => {
  let proxy;
  let served;
  let browser;

  before(async () => {
    ({ proxy, served } = await openPlaygroundStack({ demoFlows: 15000 }));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    await proxy?.stop();
  });

  async function open() {
    const { page, problems } = await openPage(browser.context, served.url);
    await waitForFirstRun(page);
    return { page, problems, editor: page.getByTestId('playground-query-A') };
  }

  it('Show SQL shows the SQL the proxy ran, its parameter values and the table that answered, in Roboto Mono as in Grafana', async () => {
    const { page, problems, editor } = await open();
    await editor.getByLabel('Show SQL').click({ force: true });
    const sql = editor.getByTestId('flowatlas-qe-sql');
    const statement = sql.locator('pre').first();
    await statement.waitFor(WAIT);
    assert.match(await sql.textContent(), /Answered from (raw|1m|1h)/);
    assert.match(await statement.textContent(), /\bSELECT\b[\s\S]*\bFROM flows\b/);
    // its $n values under it, the time range first
    const params = (await editor.getByTestId('flowatlas-qe-sql-params').textContent()).split('\n');
    assert.match(params[0], /^\$1 = '\d{4}-\d\d-\d\dT[\d:.]+Z'$/);
    assert.ok(params.every((line, i) => line.startsWith(`$${i + 1} = `)), params.join(' | '));
    const font = await statement.evaluate(async (el) => {
      const family = getComputedStyle(el).fontFamily;
      const faces = await document.fonts.load(`12px ${family.split(',')[0]}`);
      return { family, loaded: faces.map((f) => `${f.family} ${f.status}`) };
    });
    assert.match(font.family, /Roboto Mono/);
    assert.ok(font.loaded.length > 0 && font.loaded.every((f) => f.endsWith('loaded')), `Roboto Mono loaded: ${JSON.stringify(font)}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-show-sql.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('a text filter error is underlined where it is, the query is not run, and the fixed text runs', async () => {
    const { page, problems, editor } = await open();
    const switched = await currentRun(page);
    await radio(editor.getByTestId('flowatlas-qe-filter-mode'), 'Text').click();
    await waitForRunAfter(page, switched);
    const text = editor.getByLabel('Filter text');
    const mark = editor.getByTestId('flowatlas-qe-filter-text-error-mark');
    const before = await currentRun(page);

    // an unknown dimension is no syntax error, yet the query would fail: underlined at its name
    await text.fill('dst_port = 22 and bogus_dim = 3');
    await mark.waitFor(WAIT);
    assert.equal(await mark.textContent(), 'bogus_dim');
    assert.match(await editor.getByTestId('flowatlas-qe-filter-text-error').textContent(), /unknown dimension "bogus_dim" \(field filterText, line 1, column 19\)/);
    await text.blur();
    await editor.getByTestId('flowatlas-qe-not-run').waitFor(WAIT);
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-text-error.png') });

    // a bad CIDR on the second line, then a syntax error: each underlined at its own place
    await text.fill('dst_port = 22\n  and src_ip cidr 10.0.0/8');
    await page.waitForFunction(() => document.querySelector('[data-testid="flowatlas-qe-filter-text-error"]')?.textContent.includes('10.0.0/8'), null, WAIT);
    assert.equal(await mark.textContent(), 'src_ip');
    assert.match(await editor.getByTestId('flowatlas-qe-filter-text-error').textContent(), /line 2, column 7/);
    await text.fill('dst_port = 22 and src_country in (CN, RU');
    await page.waitForFunction(() => document.querySelector('[data-testid="flowatlas-qe-filter-text-error"]')?.textContent.includes('end of filter'), null, WAIT);
    await text.blur();
    // the builder cannot take a text the engine rejects
    await radio(editor.getByTestId('flowatlas-qe-filter-mode'), 'Builder').click();
    await editor.getByTestId('flowatlas-qe-filter-switch-error').waitFor(WAIT);
    assert.equal(await currentRun(page), before, 'no query ran with an invalid filter');

    await text.fill('dst_port = 22 and src_country in (CN, RU)');
    await text.blur();
    await waitForRunAfter(page, before);
    assert.equal(await editor.getByTestId('flowatlas-qe-filter-text-error').count(), 0);
    assert.equal(await editor.getByTestId('flowatlas-qe-not-run').count(), 0);

    // text → builder → edit the tree → text: the text says what the tree now says
    await radio(editor.getByTestId('flowatlas-qe-filter-mode'), 'Builder').click();
    await editor.getByTestId('flowatlas-filter-rule').nth(1).waitFor(WAIT);
    let run = await currentRun(page);
    await editor.getByRole('button', { name: 'Remove rule 2' }).click();
    await waitForRunAfter(page, run);
    run = await currentRun(page);
    await radio(editor.getByTestId('flowatlas-qe-filter-mode'), 'Text').click();
    await waitForRunAfter(page, run);
    assert.equal(await text.inputValue(), 'dst_port = 22');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('an invalid CIDR in the builder is flagged and not sent', async () => {
    const { page, problems, editor } = await open();
    const sent = [];
    page.on('request', (r) => r.url().endsWith('/api/v1/query') && sent.push(r.postData() ?? ''));
    await editor.getByTestId('flowatlas-filter-add-rule').click();
    await pickOption(page, editor.getByLabel('Rule 1 dimension'), 'Source IP');
    await pickOption(page, editor.getByLabel('Rule 1 operator'), 'cidr');
    const value = editor.getByTestId('flowatlas-filter-rule-value');
    await value.fill('10.0.0/8');
    await value.press('Enter');
    await editor.getByTestId('flowatlas-qe-not-run').waitFor(WAIT);
    assert.match(await editor.getByTestId('flowatlas-qe-not-run').textContent(), /rule 1: "10\.0\.0\/8" is not a CIDR network/);
    assert.match(await editor.getByTestId('flowatlas-filter-rule-problem').textContent(), /not a CIDR network/);
    const fixed = page.waitForRequest((r) => r.url().endsWith('/api/v1/query') && (r.postData() ?? '').includes('10.0.0.0/8'), WAIT);
    await value.fill('10.0.0.0/8');
    await value.press('Enter');
    await fixed;
    await page.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') === 'Done', '[data-testid="playground-status"]', WAIT);
    assert.equal(await editor.getByTestId('flowatlas-qe-not-run').count(), 0);
    assert.deepEqual(sent.filter((body) => body.includes('10.0.0/8')), [], 'the invalid rule never was');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('bidirectional on: every series gets its reverse twin below the axis, named apart from it', async () => {
    const { page, problems, editor } = await open();
    // four groups, so both directions stay within the proxy's points cap over three weeks
    const topN = editor.getByLabel('Top N');
    let run = await currentRun(page);
    await topN.fill('4');
    await topN.blur();
    await waitForRunAfter(page, run);
    const chart = page.getByTestId('playground-timeseries');
    await chart.locator('canvas').first().waitFor(WAIT);
    const single = Number(await chart.getAttribute('data-series'));
    assert.ok(single > 0, 'series drawn');
    run = await currentRun(page);
    await editor.getByLabel('Bidirectional').click({ force: true });
    await waitForRunAfter(page, run);
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid="playground-timeseries"]')?.getAttribute('data-series')) === 2 * n, single, WAIT);
    const names = await chart
      .locator('[data-testid^="data-testid VizLegend series "]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-testid').replace('data-testid VizLegend series ', '')));
    assert.equal(names.length, 2 * single, `one legend entry per series: ${names.join(', ')}`);
    assert.ok(names.some((n) => n.endsWith(' (reverse)')), `reverse twins in the legend: ${names.join(', ')}`);
    assert.ok(names.every((n) => !n.includes('=')), `legend names are values only: ${names.join(', ')}`);
    assert.equal(new Set(names).size, names.length, `legend names are distinct: ${names.join(', ')}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'editor-bidirectional.png') });

    // step 4 in bidirectional mode: the correlation panel compares the two directions of one query
    await loadPreset(page, 4);
    await page.getByTestId('flowatlas-correlation-r').waitFor(WAIT);
    const a = (await page.getByTestId('flowatlas-correlation-legend-a').textContent()).trim();
    const b = (await page.getByTestId('flowatlas-correlation-legend-b').textContent()).trim();
    assert.notEqual(a.replace(/^A\s*/, ''), b.replace(/^B\s*/, ''), `A and B named apart: ${a} / ${b}`);
    assert.match(b, /\(reverse\)/);
    assert.ok(Number((await page.getByTestId('flowatlas-correlation-r').textContent()).replace('\u2212', '-')) >= 0.9);
    assert.equal(await page.getByTestId('playground-query-B').count(), 0, 'one bidirectional query, not two');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it("a failed query shows its error, not a hint to change the mode; panels get their plugin's field defaults", async () => {
    const { page, problems, editor } = await open();
    const topN = editor.getByLabel('Top N');
    const run = await currentRun(page);
    await topN.fill('100000');
    await topN.blur();
    await waitForRunAfter(page, run, 'Error');
    assert.match(await page.getByTestId('playground-errors').textContent(), /topN/);
    assert.equal(await page.getByText('No time series').count(), 0);
    await page.getByTestId('playground-panel-no-data').waitFor(WAIT);
    // exactly the failure caused here, nothing else
    assert.ok(problems.length > 0 && problems.every((p) => /\/api\/v1\/query|status of 4\d\d/.test(p)), problems.join('\n'));
    // the geo panel's own module.ts defaults (unit bps, percentage thresholds), not the playground's
    const geo = await page.evaluate(() => window.flowatlas.fieldConfigFor('geo').defaults);
    assert.equal(geo.unit, 'bps');
    assert.equal(geo.thresholds.mode, 'percentage');
    await page.close();
  });

  it("the panel options shown take effect: the table's Header, the time series' Legend", async () => {
    const { page, problems } = await open();
    const options = page.getByTestId('playground-options');
    // the time series of the default query: a legend until it is switched off
    const legend = page.locator('[data-testid="playground-timeseries"] [data-testid^="data-testid VizLegend series "]');
    await legend.first().waitFor(WAIT);
    await options.locator('input[type="checkbox"]').click({ force: true });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="playground-timeseries"] [data-testid^="data-testid VizLegend series "]').length === 0, null, WAIT);
    assert.ok((await page.locator('[data-testid="playground-timeseries"] canvas').count()) > 0, 'still drawn, without its legend');

    // step 1 is a table: its header, until Header is switched off
    await loadPreset(page, 1);
    const headers = page.locator('[data-testid="playground-table"] [role="columnheader"]');
    await headers.first().waitFor(WAIT);
    const rows = await page.locator('[data-testid="playground-table"] [role="row"]').count();
    await options.locator('input[type="checkbox"]').click({ force: true });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="playground-table"] [role="columnheader"]').length === 0, null, WAIT);
    // the rows are still there, without the header row
    assert.ok((await page.locator('[data-testid="playground-table"] [role="cell"]').count()) > 0);
    assert.ok((await page.locator('[data-testid="playground-table"] [role="row"]').count()) < rows);
    await page.screenshot({ path: path.join(ARTIFACTS, 'options-no-header.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  for (const width of [1280, 800, 480]) {
    it(`at ${width} px every control of the editor stays inside its query, with four dimensions and a nested filter`, async () => {
      const { page, problems } = await openPage(browser.context, served.url);
      await page.setViewportSize({ width, height: 800 });
      await waitForFirstRun(page);
      await loadPreset(page, 2);
      const fits = async () =>
        page.evaluate(() => {
          const card = document.querySelector('[data-testid="playground-query-A"]');
          const right = card.getBoundingClientRect().right;
          const out = [...card.querySelectorAll('input, button, [data-testid]')]
            .map((e) => ({ id: e.getAttribute('data-testid') ?? e.getAttribute('aria-label') ?? e.tagName, right: Math.round(e.getBoundingClientRect().right) }))
            .filter((e) => e.right > right + 1);
          return { card: Math.round(right), out };
        });
      const step2 = await fits();
      await page.screenshot({ path: path.join(ARTIFACTS, `editor-fit-${width}.png`) });
      assert.deepEqual(step2.out, [], `cut off at the query's right edge (${step2.card} px)`);
      // away from step 2's tooltip, which covers the next presets on a narrow screen
      await page.mouse.move(width - 1, 799);
      await loadPreset(page, 4);
      const step4 = await fits();
      assert.deepEqual(step4.out, [], `cut off at the query's right edge (${step4.card} px)`);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }

  for (const width of [1024, 800]) {
    it(`at ${width} px the editor, the panel and its options all fit and the panel keeps its room`, async () => {
      const { page, problems } = await openPage(browser.context, served.url);
      await page.setViewportSize({ width, height: 800 });
      await waitForFirstRun(page);
      await loadPreset(page, 4);
      await page.getByTestId('flowatlas-correlation-chart').waitFor(WAIT);
      const layout = await page.evaluate(() => {
        const box = (id) => {
          const r = document.querySelector(`[data-testid="${id}"]`).getBoundingClientRect();
          return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
        };
        return { viz: box('playground-viz'), queries: box('playground-queries'), options: box('playground-options-pane'), scrollWidth: document.documentElement.scrollWidth };
      });
      await page.screenshot({ path: path.join(ARTIFACTS, `layout-${width}.png`) });
      const { viz, queries, options } = layout;
      assert.ok(layout.scrollWidth <= width, `no sideways scrolling: ${JSON.stringify(layout)}`);
      assert.ok(viz.width >= width * 0.55 && viz.height >= 280, `the panel keeps its room: ${JSON.stringify(layout)}`);
      assert.ok(queries.width >= Math.min(420, width - 20), `the editor is usable: ${JSON.stringify(layout)}`);
      assert.ok(options.width > 0 && options.height > 0, `the options are there: ${JSON.stringify(layout)}`);
      const overlaps = (p, q) => p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1;
      assert.ok(!overlaps(viz, queries) && !overlaps(viz, options) && !overlaps(queries, options), `panes do not overlap: ${JSON.stringify(layout)}`);
      // the queries pane folds away and the panel takes its room (beside the panel, or above it when stacked)
      await page.getByTestId('playground-toggle-editor').click();
      await page.waitForFunction(
        ({ w, top }) => {
          const r = document.querySelector('[data-testid="playground-viz"]').getBoundingClientRect();
          return r.width > w + 100 || r.top < top - 100;
        },
        { w: viz.width, top: viz.top },
        WAIT
      );
      assert.equal(await page.getByTestId('playground-queries').isVisible(), false);
      await page.getByTestId('playground-toggle-editor').click();
      await page.getByTestId('playground-queries').waitFor(WAIT);
      assert.deepEqual(problems, []);
      await page.close();
    });
  }
});
