/** Driving the playground page: its run counter, the editors' selects, the story presets. */
import assert from 'node:assert/strict';

export const WAIT = { timeout: 60_000 };
export const STATUS = '[data-testid="playground-status"]';

/** The run number on screen now; after an action, waitForRunAfter() waits for a newer finished one. */
export async function currentRun(page) {
  return Number((await page.getAttribute(STATUS, 'data-run')) ?? 0);
}

/** Waits for a run newer than `run` to finish; `expect` is the state it must end in. */
export async function waitForRunAfter(page, run, expect = 'Done') {
  await page.waitForFunction(
    ([sel, n]) => {
      const el = document.querySelector(sel);
      return el && Number(el.getAttribute('data-run')) > n && el.getAttribute('data-state') !== 'Loading';
    },
    [STATUS, run],
    WAIT
  );
  const state = await page.getAttribute(STATUS, 'data-state');
  const errors = await page.locator('[data-testid="playground-errors"]').allTextContents();
  assert.equal(state, expect, `query run ended ${state}: ${errors.join(' | ')}`);
}

export async function waitForFirstRun(page) {
  await page.waitForFunction((sel) => Number(document.querySelector(sel)?.getAttribute('data-run')) > 0, STATUS, WAIT);
}

/** Picks an option of a @grafana/ui Select whose input is `input`, by its visible label. */
export async function pickOption(page, input, label) {
  await input.click();
  await input.fill(label);
  await page.getByTestId('data-testid Select option').filter({ has: page.getByText(label, { exact: true }) }).first().click();
}

export async function loadPreset(page, step) {
  const run = await currentRun(page);
  await page.getByTestId(`playground-preset-${step}`).click();
  await waitForRunAfter(page, run);
}

export function radio(scope, name) {
  return scope.getByRole('radio', { name, exact: true });
}
