/**
 * npm run bench:query — p50/p95 of the dashboard questions through the query engine (validate →
 * rollup → compile → execute → shape) against the same questions as hand-written SQL on the raw
 * table (what a user of Grafana's PostgreSQL data source would write), in one run on one dataset.
 * The dataset is generated inside the database (INSERT … SELECT generate_series, seeded), timed
 * too, and so is bringing the rollups up to date afterwards.
 *
 * Environment: BENCH_DATABASE_URL (server; default the embedded TimescaleDB), BENCH_QUERY_FLOWS
 * (default 20M), BENCH_RUNS / BENCH_HAND_RUNS (measured runs per pass), BENCH_PASSES (the CPU is
 * shared: passes interleave engine and hand SQL, and the table reports the median of the passes'
 * p50s next to the pooled p95), BENCH_KEEP=<name> (keep and reuse the generated dataset).
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { planQuery } from '../src/query/index.js';
import { runPlan } from '../src/execute/run-plan.js';
import { ROLLUP_VIEWS, RollupRefresher } from '../src/execute/rollup-refresher.js';
import { loadNetworkConfig } from '../src/enrich/networks.js';
import { openBenchDatabase } from './bench-database.js';
import { fmt, machineLine, percentile, writeSection } from './report.js';

const FLOWS = Number(process.env.BENCH_QUERY_FLOWS ?? 20_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const HAND_RUNS = Number(process.env.BENCH_HAND_RUNS ?? RUNS);
const PASSES = Number(process.env.BENCH_PASSES ?? 3);
const CHUNK = 500_000;
const DAY = 24 * 3_600_000;

const SITES = ['azure-eastus', 'azure-westeurope', 'aws-us-west-2', 'dc-chicago', 'branch-london'];
const PREFIX = ['10.10', '10.20', '10.30', '172.16', '172.20'];
const SITE_COUNTRY = ['US', 'NL', 'US', 'US', 'GB'];
const REGION = ['eastus', 'westeurope', 'us-west-2', null, null];
const PROVIDER = ['azure', 'azure', 'aws', null, null];
const PUBLIC_COUNTRY = ['US', 'DE', 'NL', 'GB', 'FR', 'CN', 'RU', 'BR', 'IN', 'JP', 'SG', 'AU'];
const PORTS = [443, 22, 3306, 53, 80, 445, 5432, 8080];
const APPS = ['https', 'ssh', 'mysql', 'dns', 'http', 'smb', 'postgresql', 'http-alt'];

const lit = (values: (string | null)[]) => `ARRAY[${values.map((v) => (v === null ? 'NULL' : `'${v}'`)).join(',')}]::text[]`;

/**
 * One chunk of synthetic directional flows over [$1, $1 + $2 ms), inserted in time order as a
 * steady stream of ingest would write them (chunks follow each other in time): 55 % between sites, 25 % from
 * a site to the internet, 20 % from the internet into a site; 8 services, 12 public countries,
 * one NSG per site, a rule per action and service, heavy-tailed bytes, 70 % opening rows.
 * Sites, services and countries are skewed (power laws: the first site carries about a third
 * of the traffic, https half of it, the first country 40 %), as real traffic is; a uniform mix
 * would put nearly every combination in every minute, the worst case for rollups.
 */
function generateSql(): string {
  const site = (i: string, list: (string | null)[]) => `(${lit(list)})[${i} + 1]`;
  return `INSERT INTO flows (time, time_end, src_ip, dst_ip, src_port, dst_port, protocol, direction, action, flow_state,
      packets, bytes, flows, initiated, source_type, resource, rule, src_country, dst_country, src_site, dst_site,
      src_region, dst_region, src_provider, dst_provider, provider, application)
    SELECT t, t + interval '30 seconds', src_ip, dst_ip, CASE WHEN opens THEN 32768 + (r3 * 28000)::int ELSE port END,
      CASE WHEN opens THEN port ELSE 32768 + (r3 * 28000)::int END,
      CASE WHEN p = 3 THEN 17 ELSE 6 END, CASE WHEN kind = 2 THEN 'inbound' ELSE 'outbound' END,
      CASE WHEN deny THEN 'deny' ELSE 'allow' END, CASE WHEN r5 < 0.9 THEN 'E' ELSE 'C' END,
      1 + (r4 * 300)::int, 60 + (r4 * r4 * r4 * 4000000)::bigint, CASE WHEN opens THEN 1 ELSE 0 END, opens, 'azure-nsg',
      'nsg-' || ${site(`CASE WHEN kind = 2 THEN d ELSE s END`, SITES)},
      CASE WHEN deny THEN 'DefaultRule_DenyAllInBound' ELSE 'UserRule_Allow-' || ${site('p', APPS)} END,
      CASE WHEN kind = 2 THEN ${site('c', PUBLIC_COUNTRY)} ELSE ${site('s', SITE_COUNTRY)} END,
      CASE WHEN kind = 1 THEN ${site('c', PUBLIC_COUNTRY)} ELSE ${site('d', SITE_COUNTRY)} END,
      CASE WHEN kind = 2 THEN NULL ELSE ${site('s', SITES)} END, CASE WHEN kind = 1 THEN NULL ELSE ${site('d', SITES)} END,
      CASE WHEN kind = 2 THEN NULL ELSE ${site('s', REGION)} END, CASE WHEN kind = 1 THEN NULL ELSE ${site('d', REGION)} END,
      CASE WHEN kind = 2 THEN NULL ELSE ${site('s', PROVIDER)} END, CASE WHEN kind = 1 THEN NULL ELSE ${site('d', PROVIDER)} END,
      'azure', ${site('p', APPS)}
    FROM (
      SELECT t, s, d, p, c, kind, r3, r4, r5, opens, deny, (ARRAY[${PORTS.join(',')}])[p + 1] AS port,
        CASE WHEN kind = 2 THEN pub ELSE (${site('s', PREFIX)} || '.' || (h % 20) || '.' || (h % 250 + 1))::inet END AS src_ip,
        CASE WHEN kind = 1 THEN pub ELSE (${site('d', PREFIX)} || '.' || (h2 % 20) || '.' || (h2 % 250 + 1))::inet END AS dst_ip
      FROM (
        SELECT t, s, d, p, c, r3, r4, r5, h, h2, r6 < 0.7 AS opens, r7 < 0.03 AS deny,
          CASE WHEN r8 < 0.55 THEN 0 WHEN r8 < 0.8 THEN 1 ELSE 2 END AS kind,
          ('85.' || (c * 20 + h2 % 20) || '.' || (h % 250) || '.' || (h2 % 200 + 1))::inet AS pub
        FROM (
          SELECT $1::timestamptz + (random() * $2::float8) * interval '1 millisecond' AS t,
            floor(5 * random() ^ 1.5)::int AS s, floor(5 * random() ^ 1.5)::int AS d, floor(8 * random() ^ 2.5)::int AS p,
            floor(${PUBLIC_COUNTRY.length} * random() ^ 3)::int AS c, (random() * 100000)::int AS h, (random() * 100000)::int AS h2,
            random() AS r3, random() AS r4, random() AS r5, random() AS r6, random() AS r7, random() AS r8
          FROM generate_series(1, $3::int)
        ) g
      ) y
    ) x
    ORDER BY t`;
}

interface DatasetInfo {
  from: number;
  to: number;
  flows: number;
  generateSeconds: number;
  rollupSeconds: number | null;
}

/** Generates the dataset, or finds the one a previous BENCH_KEEP run left (same size). */
async function dataset(db: Awaited<ReturnType<typeof openBenchDatabase>>, refresher: RollupRefresher): Promise<DatasetInfo> {
  await db.pool.query('CREATE TABLE IF NOT EXISTS bench_dataset (from_ms bigint, to_ms bigint, flows bigint, generate_s float8, rollup_s float8)');
  const previous = await db.pool.query<{ from_ms: number; to_ms: number; flows: number; generate_s: number; rollup_s: number | null }>('SELECT * FROM bench_dataset');
  const row = previous.rows[0];
  if (row && Number(row.flows) === FLOWS) {
    console.log(`query benchmark: reusing ${fmt(FLOWS)} flows generated earlier on ${db.label}`);
    const r0 = performance.now();
    // A run stopped before its first refresh finished: that refresh is the one to time.
    if (row.rollup_s === null) refresher.markDirty(Number(row.from_ms), Number(row.to_ms));
    await refresher.refresh();
    const seconds = (performance.now() - r0) / 1000;
    console.log(`  rollups brought up to date in ${fmt(seconds, 1)} s`);
    if (row.rollup_s === null) {
      if (refresher.rollups().length) await db.pool.query('UPDATE bench_dataset SET rollup_s = $1', [seconds]);
      await db.pool.query('ANALYZE flows');
    }
    return { from: Number(row.from_ms), to: Number(row.to_ms), flows: FLOWS, generateSeconds: row.generate_s, rollupSeconds: row.rollup_s ?? seconds };
  }
  if (row) throw new Error(`BENCH_KEEP dataset holds ${fmt(Number(row.flows))} flows, not ${fmt(FLOWS)}: drop it or use another name`);
  const to = Math.floor(Date.now() / 3_600_000) * 3_600_000;
  const from = to - DAY;
  console.log(`query benchmark: generating ${fmt(FLOWS)} flows over 24 h on ${db.label}`);
  const g0 = performance.now();
  const client = await db.pool.connect();
  try {
    await client.query('SELECT setseed(0.4242)');
    for (let done = 0; done < FLOWS; done += CHUNK) {
      const rows = Math.min(CHUNK, FLOWS - done);
      const sliceFrom = from + (done / FLOWS) * DAY;
      await client.query(generateSql(), [new Date(sliceFrom).toISOString(), (rows / FLOWS) * DAY, rows]);
      process.stdout.write(`\r  ${fmt(Math.min(FLOWS, done + CHUNK))} rows, ${fmt((performance.now() - g0) / 1000, 1)} s`);
    }
  } finally {
    client.release();
  }
  const generateSeconds = (performance.now() - g0) / 1000;
  console.log();
  // Recorded before the (long) first refresh, so a run stopped there can resume with BENCH_KEEP.
  await db.pool.query('INSERT INTO bench_dataset VALUES ($1, $2, $3, $4, NULL)', [from, to, FLOWS, generateSeconds]);
  // The rows went in without the ingest service: tell the refresher what changed, as ingest does.
  const r0 = performance.now();
  refresher.markDirty(from, to);
  await refresher.refresh();
  const rollupSeconds = refresher.rollups().length ? (performance.now() - r0) / 1000 : null;
  console.log(`  rollups refreshed in ${fmt((performance.now() - r0) / 1000, 1)} s`);
  await db.pool.query('UPDATE bench_dataset SET rollup_s = $1', [rollupSeconds]);
  await db.pool.query('VACUUM ANALYZE flows');
  return { from, to, flows: FLOWS, generateSeconds, rollupSeconds };
}

interface Question {
  name: string;
  target: number | null;
  engine: Record<string, unknown>;
  hand: string[];
}

function questions(range: { from: number; to: number }, host: string, timescale: boolean): Question[] {
  const bucket = timescale ? "time_bucket('5 minutes', time)" : "date_bin('5 minutes', time, '2000-01-01')";
  return [
    {
      name: 'top-10 applications by bytes, 24 h',
      target: 150,
      engine: { ...range, mode: 'table', metric: 'bytes', dimensions: ['application'], topN: 10 },
      hand: [`SELECT application, sum(bytes) AS bytes FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1 ORDER BY 2 DESC LIMIT 10`],
    },
    {
      name: 'top-10 site → country pairs by bytes, 24 h',
      target: 150,
      engine: { ...range, mode: 'table', metric: 'bytes', dimensions: ['src_site', 'dst_country'], topN: 10 },
      hand: [`SELECT src_site, dst_country, sum(bytes) AS bytes FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 10`],
    },
    {
      name: 'bidirectional bits/s by site, 24 h, 5-min buckets',
      target: 200,
      engine: { ...range, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], bidirectional: true, topN: 5, maxDataPoints: 288 },
      hand: [
        `SELECT ${bucket} AS t, src_site, sum(bytes) * 8 / 300.0 AS bps FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1, 2 ORDER BY 1`,
        `SELECT ${bucket} AS t, dst_site, sum(bytes) * 8 / 300.0 AS bps FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1, 2 ORDER BY 1`,
      ],
    },
    {
      name: 'topology by site, 24 h',
      target: null,
      engine: { ...range, mode: 'topology', level: 'site', metric: 'bytes' },
      hand: [
        `SELECT COALESCE(src_site, src_country) AS a, COALESCE(dst_site, dst_country) AS b, sum(bytes) AS bytes, sum(flows) AS flows FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1, 2`,
      ],
    },
    {
      name: 'drill into one host, whole range',
      target: 500,
      engine: { ...range, mode: 'table', metric: 'bytes', dimensions: ['dst_ip', 'dst_port'], filters: [{ dimension: 'src_ip', op: '=', values: [host] }], topN: 50 },
      hand: [`SELECT dst_ip, dst_port, sum(bytes) AS bytes FROM flows WHERE time >= $1 AND time < $2 AND src_ip = $3 GROUP BY 1, 2 ORDER BY 3 DESC LIMIT 50`],
    },
    {
      name: 'top-10 source IPs by bytes, 24 h (raw by nature)',
      target: null,
      engine: { ...range, mode: 'table', metric: 'bytes', dimensions: ['src_ip'], topN: 10 },
      hand: [`SELECT src_ip, sum(bytes) AS bytes FROM flows WHERE time >= $1 AND time < $2 GROUP BY 1 ORDER BY 2 DESC LIMIT 10`],
    },
  ];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const sites = loadNetworkConfig(fileURLToPath(new URL('../config/demo-networks.yaml', import.meta.url))).sites;
  const refresher = new RollupRefresher(db.pool, db.capabilities.timescale);
  await refresher.init();
  const data = await dataset(db, refresher);
  const range = { from: data.from, to: data.to };
  const host = (await db.pool.query<{ ip: string }>("SELECT host(src_ip) AS ip FROM flows WHERE time >= $1 AND src_site = 'dc-chicago' LIMIT 1", [new Date(data.from).toISOString()])).rows[0]!.ip;
  const context = { timescale: db.capabilities.timescale, now: data.to, rollups: refresher.rollups(), sites, limits: { maxRows: 100_000, maxSeries: 1000, maxTopN: 1000 } };
  const list = questions(range, host, db.capabilities.timescale);
  const params = [new Date(data.from).toISOString(), new Date(data.to).toISOString(), host];
  const engineRun = (q: Question) => () => runPlan(db.pool, planQuery(q.engine, context), { maxRows: 100_000 });
  const handRun = (q: Question) => async () => {
    for (const sql of q.hand) await db.pool.query(sql, sql.includes('$3') ? params : params.slice(0, 2));
  };
  const timeRuns = async (fn: () => Promise<unknown>, runs: number): Promise<number[]> => {
    const samples: number[] = [];
    if (runs === 0) return samples; // BENCH_HAND_RUNS=0: engine only, while tuning
    await fn(); // warm-up (plans, caches)
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await fn();
      samples.push(performance.now() - t0);
    }
    return samples;
  };
  const loadBefore = loadavg()[0]!;
  const results = list.map(() => ({ engine: [] as number[], hand: [] as number[], engineP50: [] as number[], handP50: [] as number[] }));
  for (let pass = 1; pass <= PASSES; pass++) {
    for (const [i, q] of list.entries()) {
      const e = (await timeRuns(engineRun(q), RUNS)).sort((a, b) => a - b);
      const h = (await timeRuns(handRun(q), HAND_RUNS)).sort((a, b) => a - b);
      const r = results[i]!;
      r.engine.push(...e);
      r.hand.push(...h);
      r.engineP50.push(percentile(e, 0.5));
      if (h.length) r.handP50.push(percentile(h, 0.5));
      console.log(`pass ${pass}: ${q.name}: engine p50 ${fmt(percentile(e, 0.5), 1)} ms, hand p50 ${fmt(percentile(h, 0.5), 1)} ms`);
    }
  }
  const lines = list.map((q, i) => {
    const r = results[i]!;
    const table = planQuery(q.engine, context).explain.table;
    const e50 = median(r.engineP50);
    const h50 = median(r.handP50);
    const spread = (xs: number[]) => `${fmt(Math.min(...xs), 1)}–${fmt(Math.max(...xs), 1)}`;
    const met = q.target === null ? '—' : `≤ ${q.target} ms: ${e50 <= q.target ? 'met' : 'missed'}`;
    return `| ${q.name} | ${table} | ${fmt(e50, 1)} (${spread(r.engineP50)}) | ${fmt(percentile(r.engine.sort((a, b) => a - b), 0.95), 1)} | ${fmt(h50, 1)} | ${fmt(percentile(r.hand.sort((a, b) => a - b), 0.95), 1)} | ${fmt(h50 / e50, 1)}× | ${met} |`;
  });
  for (const line of lines) console.log(line);
  const size = await db.pool.query<{ flows: string; rollups: string }>(
    // A hypertable keeps its rows in chunks: pg_total_relation_size of the parent is near zero.
    `SELECT pg_size_pretty(${db.capabilities.timescale ? "hypertable_size('flows')" : "pg_total_relation_size('flows')"}) AS flows,
       ${refresher.rollups().length ? `(SELECT string_agg(n || ' ' || c, ', ') FROM (${ROLLUP_VIEWS.map((v) => `SELECT '${v.name}' AS n, count(*) AS c FROM ${v.name}`).join(' UNION ALL ')}) s)` : "'none'"} AS rollups`,
  ).catch(() => ({ rows: [{ flows: '?', rollups: '?' }] }));
  await db.close();
  const kind = db.embedded ? 'embedded' : 'server';
  if (process.env.BENCH_WRITE === '0') return; // tuning runs: print only
  const sizeLine = `Raw table ${size.rows[0]!.flows}${refresher.rollups().length ? `; rollup rows: ${size.rows[0]!.rollups}` : ''}.`;
  writeSection(
    `query-${kind}`,
    `## Queries (${kind}): \`npm run bench:query\`

${machineLine(db.label)} ${fmt(data.flows)} directional flows over 24 h, generated in the database in
${fmt(data.generateSeconds, 1)} s (${fmt(data.flows / data.generateSeconds)} rows/s)${data.rollupSeconds !== null ? `; rollups brought up to date afterwards in ${fmt(data.rollupSeconds, 1)} s` : ''}. ${sizeLine}
${PASSES} passes; in each, per question, ${RUNS} engine runs then ${HAND_RUNS} hand-SQL runs after one warm-up each.
p50 = median of the passes' p50s (range over passes in brackets); p95 pooled over all passes; times in ms.
"Hand SQL" is the same question written by hand on the raw table. The CPU is shared with other work
(1-minute load average ${fmt(loadBefore, 1)} when the measurements started, ${fmt(loadavg()[0]!, 1)} when they ended, on 2 cores): expect noise.

| question | engine table | engine p50 | engine p95 | hand SQL p50 | hand SQL p95 | hand / engine (p50) | target |
|---|---|---|---|---|---|---|---|
${lines.join('\n')}
`,
  );
  console.log('written to docs/benchmarks.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
