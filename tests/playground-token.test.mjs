/**
 * The playground against a proxy that wants a token (FLOWATLAS_TOKEN): without one every call is
 * a 401 and the page says where to put it; with it, from the Token field or `?token=` once, every
 * call carries it, the address bar does not, and a reload of the tab keeps it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, openPage } from './support/browser.mjs';
import { ensurePlaygroundBuilt, playgroundUrl } from './support/playground.mjs';
import { WAIT, waitForFirstRun } from './support/playgroundPage.mjs';
import { startProxy } from './support/proxy.mjs';

const TOKEN = `playground-token-${Math.random().toString(36).slice(2)}`;

describe('playground with a proxy token in Chromium', { timeout: 10 * 60_000 }, () => {
  let proxy;
  let served;
  let browser;

  before(async () => {
    ensurePlaygroundBuilt();
    // its own small proxy: the shared one runs without a token
    proxy = await startProxy({ demoFlows: 2000, token: TOKEN });
    served = await playgroundUrl(proxy.url);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await served?.stop();
    await proxy?.stop();
  });

  /** Every /api call of the page, with the Authorization header it carried. */
  function recordApiCalls(page) {
    const calls = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.includes('/api/')) {
        calls.push({ url: r.url(), authorization: r.headers().authorization });
      }
    });
    return calls;
  }

  it('without a token the calls are refused and the page says where the token goes; the Token field fixes it', async () => {
    const { page, problems } = await openPage(browser.context, served.url);
    await page.getByTestId('playground-token-hint').waitFor(WAIT);
    assert.ok(problems.some((p) => /HTTP 401 .*\/api\/v1\//.test(p)), problems.join('\n'));

    const calls = recordApiCalls(page);
    const field = page.getByTestId('playground-token');
    await field.fill(TOKEN);
    await Promise.all([page.waitForEvent('load'), field.press('Enter')]);
    problems.length = 0;
    await waitForFirstRun(page);
    assert.equal(await page.getAttribute('[data-testid="playground-status"]', 'data-state'), 'Done');
    const v1 = calls.filter((c) => /\/api\/v1\//.test(c.url));
    assert.ok(v1.length > 0, 'the reloaded page queried the proxy');
    assert.ok(v1.every((c) => c.authorization === `Bearer ${TOKEN}`), JSON.stringify(v1));
    assert.equal(await page.getByTestId('playground-token-hint').count(), 0);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('?token= once: kept for the tab and out of the address bar, a reload still works, a wrong token is refused', async () => {
    const { page, problems } = await openPage(browser.context, `${served.url}?token=${encodeURIComponent(TOKEN)}`);
    const calls = recordApiCalls(page);
    await waitForFirstRun(page);
    assert.equal(await page.getAttribute('[data-testid="playground-status"]', 'data-state'), 'Done');
    assert.ok(!page.url().includes('token'), `the token left the address bar: ${page.url()}`);
    assert.equal(await page.evaluate(() => window.sessionStorage.getItem('flowatlas-playground-token')), TOKEN);

    await page.reload();
    await waitForFirstRun(page);
    assert.equal(await page.getAttribute('[data-testid="playground-status"]', 'data-state'), 'Done');
    const v1 = calls.filter((c) => /\/api\/v1\//.test(c.url));
    assert.ok(v1.length > 0 && v1.every((c) => c.authorization === `Bearer ${TOKEN}`), JSON.stringify(v1));
    assert.deepEqual(problems, []);

    // a wrong token: refused, and said so
    const field = page.getByTestId('playground-token');
    await field.fill('not-the-token');
    await Promise.all([page.waitForEvent('load'), field.press('Enter')]);
    await page.getByTestId('playground-token-hint').waitFor(WAIT);
    assert.ok(problems.some((p) => /HTTP 401 /.test(p)), problems.join('\n'));
    await page.close();
  });
});
