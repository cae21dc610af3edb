import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { openTestApp } from './test-support/app.js';

test('a big ingest body has an hour to arrive by default (10 minutes cut a 500 MB object off with a 408); configurable', async () => {
  assert.equal(loadConfig({}).requestTimeoutMs, 3_600_000);
  assert.equal(loadConfig({ FLOWATLAS_REQUEST_TIMEOUT_MS: '90000' }).requestTimeoutMs, 90_000);
  const t = await openTestApp({ FLOWATLAS_REQUEST_TIMEOUT_MS: '120000' });
  try {
    // The HTTP server itself enforces it; headers still have Node's own 60 s limit.
    assert.equal(t.app.server.requestTimeout, 120_000);
    assert.equal(t.app.server.headersTimeout, 60_000);
  } finally {
    await t.close();
  }
});
