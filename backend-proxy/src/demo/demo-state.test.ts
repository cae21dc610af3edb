import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { planDemo } from './generate.js';
import { loadDemo } from './load.js';
import { decideDemo, readDemoState, recordDemoCompleted, recordDemoStart } from './demo-state.js';
import { openTestApp, type TestApp } from '../test-support/app.js';

const wanted = { seed: 7, flows: 3_000, nowMs: Date.UTC(2026, 10, 20, 12) };

test('the demo loads into an empty database, resumes an interrupted load, never lands on other flows', () => {
  assert.deepEqual(decideDemo(null, false, wanted), { action: 'load', ...wanted, resume: false });
  assert.equal(decideDemo(null, true, wanted).action, 'skip');
  assert.equal(decideDemo(null, false, { ...wanted, flows: 0 }).action, 'skip');
  // Interrupted: the recorded plan wins over today's settings, so the same bodies are generated.
  const recorded = { seed: 3, flows: 9_000, nowMs: wanted.nowMs - 86_400_000, completed: false };
  assert.deepEqual(decideDemo(recorded, true, wanted), { action: 'load', seed: 3, flows: 9_000, nowMs: recorded.nowMs, resume: true });
  assert.equal(decideDemo({ ...recorded, completed: true }, true, wanted).action, 'skip');
});

let t: TestApp;
let url: string;
before(async () => {
  t = await openTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
after(async () => {
  await t?.close();
});

test('a demo load cut off half way and resumed stores every tuple exactly once', async () => {
  const plan = () => planDemo({ seed: wanted.seed, flows: wanted.flows, now: wanted.nowMs, hoursPerBody: 24 });
  const bodies = [...plan().bodies()];
  assert.ok(bodies.length > 4);
  const expected = bodies.reduce((sum, b) => sum + b.tuples, 0);

  await recordDemoStart(t.db.pool, wanted);
  // The first run stops after half the bodies (the process was killed).
  const firstHalf = bodies.slice(0, Math.floor(bodies.length / 2));
  const half = { ...plan(), *bodies() { yield* firstHalf; } };
  const first = await loadDemo(url, null, half);
  assert.ok(first.accepted > 0 && first.accepted < expected);
  assert.deepEqual(await readDemoState(t.db.pool), { ...wanted, completed: false });

  const resumed = await loadDemo(url, null, plan());
  await recordDemoCompleted(t.db.pool);
  assert.equal(first.accepted + resumed.accepted, expected, 'the second run added only what the first had not');
  const { rows } = await t.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM flows');
  assert.equal(rows[0]!.n, first.rows + resumed.rows);
  assert.equal((await readDemoState(t.db.pool))?.completed, true);
});
