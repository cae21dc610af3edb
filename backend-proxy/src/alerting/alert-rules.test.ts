import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import type { DemoPlan } from '../demo/generate.js';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { withTransaction } from '../db/pool.js';
import { READER_RELATIONS, READER_ROLE } from '../db/migrations/005-reader-role.js';
import { alertDemoPlan, attackTimes, quietTimes } from './alert-demo.js';
import { ALERT_RULES_FILE, instancesOf, loadAlertRules, type AlertInstance, type AlertRule } from './alert-rules.js';
import { expandGrafanaMacros, unresolvedReferences } from './grafana-macros.js';

/**
 * Every provisioned alert rule (SQL read from provisioning/alerting/, the file Grafana loads) runs
 * as the read-only role, every 5 minutes of a sliding evaluation like Grafana's, on background
 * traffic alone (must stay quiet) and on the same background plus the forensic scenario of a
 * RANDOM seed (must fire, at the right time, naming the right hosts).
 */
const seed = Number(process.env.FLOWATLAS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MINUTE = 60_000;
const rules = loadAlertRules();
const rule = (uid: string): AlertRule => rules.find((r) => r.uid === uid)!;
let t: TestApp;
let now: number;

function plan(scenario: boolean): DemoPlan {
  return alertDemoPlan({ seed, now, scenario });
}

async function ingest(source: string, json: string): Promise<void> {
  const r = await t.app.inject({ method: 'POST', url: `/api/v1/ingest/azure-nsg?source=${encodeURIComponent(source)}`, payload: json, headers: { 'content-type': 'application/json' } });
  assert.equal(r.statusCode, 200, r.body);
  assert.equal(r.json().rejected, 0);
}

async function load(p: DemoPlan): Promise<void> {
  await t.db.pool.query('DELETE FROM flows');
  await t.db.pool.query('DELETE FROM ingest_records');
  for (const body of p.bodies()) await ingest(`${body.source}#${p.scenario.seed}`, body.json);
  // Materialize like the server's refresh policies would (real-time aggregates give the same answer).
  await t.refresher.refresh();
  if (t.db.timescale) for (const view of READER_RELATIONS) await t.db.pool.query(`CALL refresh_continuous_aggregate('${view}', NULL, NULL)`);
}

/** One Grafana evaluation of a rule at `at` (epoch ms), as the read-only role. */
async function evaluate(r: AlertRule, at: number): Promise<AlertInstance[]> {
  const sql = expandGrafanaMacros(r.sql, { fromMs: at - r.windowFromSeconds * 1000, toMs: at - r.windowToSeconds * 1000 });
  const rows = await withTransaction(t.db.pool, async (client) => {
    await client.query(`SET LOCAL ROLE ${READER_ROLE}`);
    return (await client.query(sql)).rows;
  });
  return instancesOf(rows, r.evaluator);
}

async function firings(r: AlertRule, at: number[]): Promise<Array<{ at: number; labels: Record<string, string>; value: number }>> {
  const out = [];
  for (const time of at) for (const i of await evaluate(r, time)) if (i.firing) out.push({ at: time, labels: i.labels, value: i.value });
  return out;
}

before(async () => {
  console.log(`alert rule seed ${seed} (set FLOWATLAS_TEST_SEED to replay)`);
  now = Date.now();
  t = await openTestApp();
});
after(async () => {
  await t?.close();
});

test('the rules file is Grafana file provisioning whose every rule reads only the reader role\'s views', () => {
  const doc = parse(readFileSync(ALERT_RULES_FILE, 'utf8'));
  assert.equal(doc.apiVersion, 1);
  assert.deepEqual(rules.map((r) => r.uid).sort(), ['flowatlas-denied-spike', 'flowatlas-internal-scan', 'flowatlas-ssh-rdp-brute-force', 'flowatlas-volume-leaving-country']);
  for (const r of rules) {
    assert.equal(r.datasourceUid, 'flowatlas-timescaledb', r.uid);
    assert.equal(r.format, 'table', r.uid);
    const relations = [...r.sql.matchAll(/\bFROM\s+([a-z_0-9]+)/gi)].map((m) => m[1]!).filter((n) => !['recent', 'baseline'].includes(n));
    assert.ok(relations.length > 0, r.uid);
    for (const rel of relations) assert.ok((READER_RELATIONS as readonly string[]).includes(rel), `${r.uid} reads ${rel}`);
    assert.deepEqual(unresolvedReferences(expandGrafanaMacros(r.sql, { fromMs: 0, toMs: 60_000 })), [], r.uid);
  }
});

test('macros expand as Grafana\'s PostgreSQL data source expands them', () => {
  const sql = expandGrafanaMacros('WHERE $__timeFilter(time) AND x > $__timeFrom()::timestamptz AND y < $__timeTo() AND $__unixEpochFrom() < 1', { fromMs: Date.UTC(2026, 0, 5, 10), toMs: Date.UTC(2026, 0, 5, 10, 5, 0, 500) });
  assert.equal(sql, "WHERE time BETWEEN '2026-01-05T10:00:00Z' AND '2026-01-05T10:05:00.5Z' AND x > '2026-01-05T10:00:00Z'::timestamptz AND y < '2026-01-05T10:05:00.5Z' AND 1767607200 < 1");
  assert.throws(() => expandGrafanaMacros('$__timeGroup(time, 5m)', { fromMs: 0, toMs: 1 }), /unsupported Grafana macro/);
});

test('on background traffic alone no rule fires', async () => {
  const p = plan(false);
  await load(p);
  // Where the scenario would be, and every 2 hours over the last 7 days (all hours of the day).
  const at = quietTimes(p);
  for (const r of rules) assert.deepEqual([r.uid, await firings(r, at)], [r.uid, []]);
});

/** The demo the last test loaded (tests of this file run in order). */
let loaded: DemoPlan | undefined;

test('on the forensic scenario each rule fires when the attack happens, naming the attack', async () => {
  const p = plan(true);
  const s = p.scenario;
  await load(p);
  loaded = p;
  const window = attackTimes(p);

  const brute = await firings(rule('flowatlas-ssh-rdp-brute-force'), window);
  assert.ok(brute.length > 0, 'brute force fired');
  for (const f of brute) {
    assert.deepEqual(f.labels, { source: s.attacker, country: s.attackerCountry ?? '--' });
    assert.ok(f.at > s.attemptsStart && f.at <= s.t0 + 5 * MINUTE, `brute force at ${new Date(f.at).toISOString()}`);
  }

  const scan = await firings(rule('flowatlas-internal-scan'), window);
  assert.ok(scan.length > 0, 'scan fired');
  for (const f of scan) {
    assert.deepEqual(f.labels, { source: s.jumpHost, destination: s.dbHost });
    // >=: the aggregate's minute bucket starting at scanStart is inside an evaluation at scanStart
    // (here that whole minute is already loaded; on a live server only its first seconds would be).
    assert.ok(f.at >= s.scanStart && f.at <= s.scanStart + 14 * MINUTE, `scan at ${new Date(f.at).toISOString()} (scan from ${new Date(s.scanStart).toISOString()})`);
  }

  const exfil = await firings(rule('flowatlas-volume-leaving-country'), window);
  assert.ok(exfil.length > 0, 'volume leaving the country fired');
  for (const f of exfil) {
    // The jump host's site is in the US; the data went to the attacker abroad.
    assert.deepEqual(f.labels, { country: 'US' });
    assert.ok(f.at > s.exfilStart - MINUTE && f.at <= s.exfilStart + (s.exfilMinutes + 11) * MINUTE, `exfiltration at ${new Date(f.at).toISOString()}`);
  }

  // The port sweep denied during the brute force: a burst far above the 7-day rate of denied flows.
  const denied = await firings(rule('flowatlas-denied-spike'), window);
  assert.ok(denied.length > 0, 'denied spike fired');
  const sweepEnd = s.sweepStart + s.sweepMinutes * MINUTE;
  for (const f of denied) {
    assert.deepEqual(f.labels, {});
    // >=: as for the scan, the minute bucket starting at the evaluation time is inside its window.
    assert.ok(f.at >= s.sweepStart && f.at <= sweepEnd + 5 * MINUTE, `denied spike at ${new Date(f.at).toISOString()} (sweep ${new Date(s.sweepStart).toISOString()} for ${s.sweepMinutes} min)`);
  }
});

test('"volume leaving the country" reads the rows the engine\'s crosses_border reads (the FlowAtlas rule\'s filter)', async () => {
  assert.ok(loaded, 'the scenario test loaded the demo');
  const { startMs, endMs } = loaded;
  // The rule's own SQL for the recent window, over the whole demo, as the read-only role.
  const recent = /WITH recent AS \(([\s\S]*?)\), baseline AS/.exec(rule('flowatlas-volume-leaving-country').sql)?.[1];
  assert.ok(recent, 'the rule has a "recent" part');
  const rows = await withTransaction(t.db.pool, async (client) => {
    await client.query(`SET LOCAL ROLE ${READER_ROLE}`);
    return (await client.query(expandGrafanaMacros(recent, { fromMs: startMs, toMs: endMs }))).rows as Array<{ country: string; bytes: string }>;
  });
  const bySql = Object.fromEntries(rows.map((r) => [r.country, Number(r.bytes)]));
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/query',
    payload: { from: startMs, to: endMs, metric: 'bytes', dimensions: ['src_country'], filterText: 'src_inside = inside and crosses_border = true', topN: 50 },
  });
  assert.equal(r.statusCode, 200, r.body);
  const fields = (r.json() as { frames: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }).frames[0]!.fields;
  const countries = fields.find((f) => f.name === 'src_country')!.values as string[];
  const bytes = fields.find((f) => f.name === 'bytes')!.values as number[];
  assert.deepEqual(Object.fromEntries(countries.map((c, i) => [c, bytes[i]])), bySql);
  // The exfiltration left the US from the jump host's site.
  assert.ok(bySql.US! > loaded.scenario.sshOutBytesPerMinute.reduce((a, b) => a + b, 0), JSON.stringify(bySql));
});
