/**
 * Debian's Chromium driven by playwright-core (its own browser downloads are unreachable here),
 * with a fresh profile per run, and every console error / page error of a page recorded.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.FLOWATLAS_CHROMIUM || '/usr/bin/chromium';

export function chromiumAvailable() {
  return existsSync(CHROMIUM);
}

export async function launchBrowser() {
  const profile = await mkdtemp(path.join(tmpdir(), 'flowatlas-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1600, height: 1000 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Opens a page whose console errors, uncaught exceptions and failed requests land in `problems`. */
export async function openPage(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      problems.push(`console.error: ${msg.text()}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) {
      problems.push(`HTTP ${res.status()} ${res.url()}`);
    }
  });
  await page.goto(url);
  return { page, problems };
}
