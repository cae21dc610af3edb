/**
 * Steps 1–4 of the forensic scenario (shared/reference/forensic-scenario.md), each answered by
 * one query through the whole engine on a real database. Addresses, country, ports and times come
 * from a random seed (printed), so the queries must find the story, not know it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openTestDatabase } from '../test-support/database.js';
import { planQuery } from './index.js';
import { loadFlows, prng, randomFlows, TEST_SITES, type TestFlow } from './oracle-reference.js';
import type { Frame, PlanContext } from './types.js';

const SEED = Number(process.env.FLOWATLAS_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 0, 20, 12);

interface Story {
  flows: TestFlow[];
  attacker: string;
  country: string;
  jump: string;
  db: string;
  loginPort: number;
  t0: number;
}

function scenario(seed: number): Story {
  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const attacker = `${int(80, 190)}.${int(1, 250)}.${int(1, 250)}.${int(1, 250)}`;
  const country = ['CN', 'RU', 'BR', 'VN', 'IR'][int(0, 4)]!;
  const jump = `10.10.1.${int(2, 60)}`;
  const db = `10.10.5.${int(2, 60)}`;
  const t0 = NOW - int(3, 40) * HOUR + int(0, 3599) * 1000;
  const loginPort = int(50_000, 60_000);
  const inside = { country: 'US', site: 'azure-eastus', region: 'eastus', provider: 'azure', asn: null, asName: null };
  const outside = (ip: string, c: string) => ({ ip, country: c, site: null, region: null, provider: null, asn: 64_500, asName: 'EXAMPLE' });
  const end = (side: 'src' | 'dst', e: ReturnType<typeof outside> | (typeof inside & { ip: string })) => ({
    [`${side}_ip`]: e.ip,
    [`${side}_country`]: e.country,
    [`${side}_site`]: e.site,
    [`${side}_region`]: e.region,
    [`${side}_provider`]: e.provider,
    [`${side}_asn`]: e.asn,
    [`${side}_as_name`]: e.asName,
  });
  const flows: TestFlow[] = randomFlows(rand, 3000, NOW - 3 * 24 * HOUR, 3 * 24 * HOUR);
  const row = (time: number, src: Parameters<typeof end>[1], dst: Parameters<typeof end>[1], extra: Partial<TestFlow>): void => {
    flows.push({
      time, src_port: null, dst_port: null, protocol: 6, direction: 'inbound', action: 'allow', flow_state: 'E',
      packets: 1, bytes: 60, flows: 0, source_type: 'azure-nsg', resource: 'nsg-jump', rule: 'AllowSSH', mac: null,
      tcp_flags: null, provider: 'azure', application: null,
      ...(end('src', src) as object), ...(end('dst', dst) as object), ...extra,
    } as TestFlow);
  };
  const J = { ...inside, ip: jump };
  const D = { ...inside, ip: db };
  const A = outside(attacker, country);
  // 1. Brute force: hundreds of short ssh connections, each from a new port, plus their replies.
  for (let i = 0; i < 300; i++) {
    const time = t0 - 2 * HOUR + i * 20_000;
    const port = 40_000 + i;
    row(time, A, J, { src_port: port, dst_port: 22, packets: int(4, 10), bytes: int(240, 600), flows: 1, application: 'ssh' });
    row(time, J, A, { src_port: 22, dst_port: port, packets: int(3, 8), bytes: int(200, 500), application: 'ssh' });
  }
  // Other internet noise on ssh (fewer attempts) and denied probes on other ports.
  for (let s = 0; s < 6; s++) {
    const other = outside(`${int(20, 79)}.${int(1, 250)}.${int(1, 250)}.${s + 1}`, ['US', 'DE', 'NL', 'FR'][s % 4]!);
    for (let i = 0; i < int(5, 40); i++) {
      row(t0 - int(1, 48) * HOUR, other, J, { src_port: int(30_000, 39_999), dst_port: 22, bytes: int(200, 900), flows: 1, application: 'ssh' });
    }
    row(t0 - int(1, 48) * HOUR, other, J, { src_port: int(30_000, 39_999), dst_port: [3389, 23, 445][s % 3]!, action: 'deny', flows: 1 });
  }
  // 2. The successful login: one long session moving far more data.
  row(t0, A, J, { src_port: loginPort, dst_port: 22, packets: 2_000, bytes: 400_000, flows: 1, application: 'ssh' });
  row(t0, J, A, { src_port: 22, dst_port: loginPort, packets: 3_000, bytes: 2_500_000, application: 'ssh' });
  // 3. Scan: the jump host touches the database host on many ports with minimal data.
  for (let i = 0; i < 120; i++) {
    row(t0 + 10 * MIN + i * 1000, J, D, { src_port: 45_000 + i, dst_port: 1000 + i * 7, bytes: 60, flows: 1, direction: 'outbound', resource: 'nsg-db', rule: 'AllowVnet' });
  }
  // 4. Exfiltration: MySQL pulled from the database host while the same volume leaves over ssh.
  // Minute-aligned, so that the ssh copy 5 s later lands in the same 1-minute bucket whatever
  // the seconds of t0 (unaligned, seeds with t0 at :55-:59 put it one bucket later: lag 1).
  const exfilStart = Math.floor((t0 + 25 * MIN) / MIN) * MIN;
  for (let m = 0; m < 8; m++) {
    const volume = int(20_000_000, 60_000_000);
    row(exfilStart + m * MIN, D, J, { src_port: 3306, dst_port: 47_000, packets: Math.round(volume / 1400), bytes: volume, application: 'mysql', direction: 'outbound', resource: 'nsg-db' });
    row(exfilStart + m * MIN + 5000, J, A, { src_port: 22, dst_port: loginPort, packets: Math.round(volume / 1400), bytes: Math.round(volume * (0.95 + rand() * 0.1)), application: 'ssh', direction: 'outbound' });
  }
  row(t0 + 25 * MIN, J, D, { src_port: 47_000, dst_port: 3306, bytes: 2_000, flows: 1, application: 'mysql', direction: 'outbound', resource: 'nsg-db' });
  return { flows, attacker, country, jump, db, loginPort, t0 };
}

function column(frame: Frame, name: string): unknown[] {
  const field = frame.fields.find((f) => f.name === name);
  assert.ok(field, `field ${name}`);
  return field.values;
}

function pearson(x: number[], y: number[]): number {
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  x.forEach((v, i) => {
    sxy += (v - mx) * (y[i]! - my);
    sxx += (v - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

test(`forensic scenario steps 1–4 are single queries (seed ${SEED})`, async () => {
  const story = scenario(SEED);
  const db = await openTestDatabase();
  try {
    await loadFlows(db, story.flows);
    const ctx: PlanContext = {
      timescale: db.timescale,
      now: NOW,
      rollups: [],
      sites: TEST_SITES,
      limits: { maxRows: 100_000, maxSeries: 50, maxTopN: 100 },
    };
    const ask = async (body: Record<string, unknown>): Promise<Frame[]> => {
      const plan = planQuery({ from: 'now-3d', to: 'now', ...body }, ctx);
      const rows = (await db.pool.query(plan.statements[0]!.sql, plan.statements[0]!.params)).rows;
      return plan.shape([rows]).frames;
    };

    // Step 1: ssh attempts to the jump host by source address and country: one source dominates.
    const [step1] = await ask({
      metric: 'flows', dimensions: ['src_ip', 'src_country'], topN: 5,
      filters: [{ dimension: 'dst_ip', op: '=', values: [story.jump] }, { dimension: 'dst_port', op: '=', values: [22] }],
    });
    assert.equal(column(step1!, 'src_ip')[0], story.attacker);
    assert.equal(column(step1!, 'src_country')[0], story.country);
    const attempts = column(step1!, 'flows') as number[];
    assert.ok(attempts[0]! > 5 * attempts[1]!, `attacker dominates: ${attempts}`);

    // Step 2: the one connection from that source with far more data (both directions), and its time.
    const [step2] = await ask({
      metric: 'bytes', dimensions: ['src_port'], topN: 3, bidirectional: true,
      filterText: `src_ip = ${story.attacker} and dst_ip = ${story.jump} and dst_port = 22`,
    });
    assert.equal(column(step2!, 'src_port')[0], story.loginPort);
    const sent = column(step2!, 'bytes') as number[];
    const received = column(step2!, 'bytes_reverse') as number[];
    assert.ok(sent[0]! > 10 * sent[1]! && received[0]! > 10 * received[1]!, `login stands out: ${sent} / ${received}`);
    const when = await ask({
      from: story.t0 - HOUR, to: story.t0 + HOUR, mode: 'timeseries', metric: 'bytes', intervalMs: MIN,
      filterText: `src_ip = ${story.attacker} and src_port = ${story.loginPort}`,
    });
    const times = when[0]!.fields[0]!.values as number[];
    const values = when[0]!.fields[1]!.values as number[];
    assert.equal(times[values.findIndex((v) => v > 0)], Math.floor(story.t0 / MIN) * MIN);

    // Step 3: lateral traffic from the jump host (attacker excluded): one inside host, many ports…
    const [step3] = await ask({
      metric: 'unique_dst_ports', dimensions: ['dst_ip', 'dst_inside'], topN: 3,
      filterText: `src_ip = ${story.jump} and not dst_ip = ${story.attacker}`,
    });
    assert.equal(column(step3!, 'dst_ip')[0], story.db);
    assert.equal(column(step3!, 'dst_inside')[0], 'inside');
    assert.ok((column(step3!, 'unique_dst_ports')[0] as number) >= 100);
    // …then MySQL between the two.
    const [apps] = await ask({
      metric: 'bytes', dimensions: ['application'], topN: 3,
      filterText: `(src_ip = ${story.jump} and dst_ip = ${story.db}) or (src_ip = ${story.db} and dst_ip = ${story.jump})`,
    });
    assert.equal(column(apps!, 'application')[0], 'mysql');

    // Step 4: MySQL inside and ssh outbound in one bidirectional panel: coinciding spikes, similar volume.
    const step4 = await ask({
      from: story.t0, to: story.t0 + HOUR, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['application'],
      intervalMs: MIN, bidirectional: true,
      filterText: `(src_ip = ${story.db} and dst_ip = ${story.jump} and application = mysql) or ` +
        `(src_ip = ${story.jump} and dst_ip = ${story.attacker} and application = ssh)`,
    });
    const series = (app: string, reverse: boolean) =>
      step4.find((f) => f.fields[1]!.labels?.application === app && (f.fields[1]!.labels?.direction === 'reverse') === reverse)!
        .fields[1]!.values as number[];
    const mysql = series('mysql', false);
    const ssh = series('ssh', false);
    assert.ok(series('ssh', true).every((v) => v >= 0), 'reverse twin present');
    assert.ok(pearson(mysql, ssh) > 0.9, `correlation ${pearson(mysql, ssh)}`);
    const busy = (v: number[]) => v.map((x, i) => (x > 0.1 * Math.max(...v) ? i : -1)).filter((i) => i >= 0);
    assert.deepEqual(busy(mysql), busy(ssh), 'spikes coincide');
    assert.ok(busy(mysql).length >= 5);
    const ratio = ssh.reduce((a, b) => a + b, 0) / mysql.reduce((a, b) => a + b, 0);
    assert.ok(ratio > 0.9 && ratio < 1.1, `volume ratio ${ratio}`);
  } finally {
    await db.close();
  }
});
