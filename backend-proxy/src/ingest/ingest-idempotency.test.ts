// Two identical sends of the same object (same source, same content) at the same moment: one is
// stored, the other answers alreadyIngested — never both committed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { openTestApp, type TestApp } from '../test-support/app.js';

let app: TestApp;
before(async () => {
  app = await openTestApp();
});
after(async () => {
  await app.close();
});

const S = Math.floor(Date.now() / 1000) - 3600;

function blob(host: number): string {
  return JSON.stringify({
    records: [
      {
        time: new Date(S * 1000).toISOString(),
        resourceId: '/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.NETWORK/NETWORKSECURITYGROUPS/RACE-NSG',
        properties: { Version: 2, flows: [{ rule: 'r', flows: [{ mac: 'm', flowTuples: [`${S},10.90.0.${host},10.10.1.4,40000,443,T,I,A,E,3,300,2,200`] }] }] },
      },
    ],
  });
}

const send = (source: string, body: string) =>
  app.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-nsg?source=${source}`, payload: body, headers: { 'content-type': 'application/json' } });

const count = (sql: string, params: unknown[]): Promise<number> => app.count(sql, params);

test('two identical sends at once: one stored, the other alreadyIngested', async () => {
  const body = blob(1);
  const answers = (await Promise.all([send('race/PT1H.json', body), send('race/PT1H.json', body)])).map((r) => r.json());
  assert.deepEqual(answers.map((a) => a.alreadyIngested).sort(), [false, true]);
  const stored = answers.find((a) => !a.alreadyIngested)!;
  const repeat = answers.find((a) => a.alreadyIngested)!;
  assert.equal(repeat.ingestId, stored.ingestId, 'the repeat names the batch that holds the object');
  assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '10.90.0.1'", []), 1);
  assert.equal(await count('SELECT count(*) FROM ingest_batches WHERE source = $1 AND content_sha256 IS NOT NULL', ['race/PT1H.json']), 1);
});

test('the database refuses a second batch of the same (source, content): the loser of a race rolls back and answers alreadyIngested', async (ctx) => {
  // Needs a second connection holding the winner's transaction open: the embedded server takes one at a time.
  if (app.db.embedded) return ctx.skip('the embedded database serves one connection at a time');
  const body = blob(2);
  const sha256 = createHash('sha256').update(body).digest('hex');
  // The winner: its batch with the same source and content, committed only after the loser has checked.
  const winner = new pg.Client({ connectionString: app.db.url });
  await winner.connect();
  try {
    const schema = (await app.db.pool.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]!.s;
    await winner.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    await winner.query('BEGIN');
    const held = await winner.query<{ id: string }>("INSERT INTO ingest_batches (source, format, content_sha256) VALUES ('held/PT1H.json', 'azure-nsg', $1) RETURNING id", [sha256]);
    const loser = send('held/PT1H.json', body);
    // The loser does not see the uncommitted batch, so it writes its rows and then waits on the index.
    let waited = false;
    for (let i = 0; i < 400 && !waited; i++) {
      const waiting = await app.db.pool.query("SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND locktype = 'transactionid'");
      waited = waiting.rows[0].n > 0;
      if (!waited) await new Promise((r) => setTimeout(r, 25));
    }
    assert.ok(waited, 'the loser waits on the winner\'s (source, content) entry');
    await winner.query('COMMIT');
    const answer = (await loser).json();
    assert.deepEqual([answer.alreadyIngested, answer.ingestId, answer.rows], [true, Number(held.rows[0]!.id), 0]);
    assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '10.90.0.2'", []), 0, 'the loser kept nothing');
    assert.equal(await count('SELECT count(*) FROM ingest_batches WHERE source = $1', ['held/PT1H.json']), 1);
  } finally {
    await winner.end();
  }
});

test('the index leaves sourceless and unfinished batches alone', async () => {
  const body = blob(3);
  const a = (await app.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg', payload: body, headers: { 'content-type': 'application/json' } })).json();
  const b = (await app.app.inject({ method: 'POST', url: '/api/v1/ingest/azure-nsg', payload: body, headers: { 'content-type': 'application/json' } })).json();
  // Without a source there is no object identity: both are stored (as before).
  assert.deepEqual([a.alreadyIngested, b.alreadyIngested], [false, false]);
  assert.equal(await count("SELECT count(*) FROM flows WHERE src_ip = '10.90.0.3'", []), 2);
});
