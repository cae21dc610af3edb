import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { proxyLogger } from './server.js';
import { openTestDatabase } from './test-support/database.js';

test('the running proxy logs a failed request (the 500 says "see the proxy log"), and no line per ordinary request', async () => {
  // startProxy passed no logger: a 500 pointed operators at a log that was never written.
  const lines: string[] = [];
  const db = await openTestDatabase();
  const built = await buildApp({ config: loadConfig({ FLOWATLAS_DATA_DIR: '' }), db, networks: () => ({ sites: [], applications: [] }), geo: null, logger: proxyLogger({ write: (line) => void lines.push(line) }) });
  built.app.get('/api/test-failure', async () => {
    throw new Error('the database went away');
  });
  try {
    assert.equal((await built.app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
    assert.deepEqual(lines, []);
    const failed = await built.app.inject({ method: 'GET', url: '/api/test-failure' });
    assert.equal(failed.statusCode, 500);
    assert.match(failed.json().message, /see the proxy log/);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; err?: { message: string; stack: string } });
    assert.deepEqual(logged.map((l) => [l.level, l.msg, l.err?.message]), [[50, 'request failed', 'the database went away']]);
    assert.match(logged[0]!.err!.stack, /server\.test\.ts/);
  } finally {
    await built.app.close();
    await db.close();
  }
});
