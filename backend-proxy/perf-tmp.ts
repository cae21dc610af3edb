import pg from 'pg';
import { flowsMigration } from './src/db/migrations/001-flows.js';
import { planQuery } from './src/query/index.js';
const admin = new pg.Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
await admin.connect();
const name = `flowatlas_perf_keep`;
const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = '${name}'`);
const pool = new pg.Pool({ connectionString: `postgresql://postgres@127.0.0.1:5432/${name}`, max: 1 });
const T0 = Date.UTC(2026, 0, 5);
if (!exists.rowCount) {
  await admin.query(`CREATE DATABASE ${name}`);
  for (const s of flowsMigration(false)) await pool.query(s);
  await pool.query(`INSERT INTO flows (time, time_end, src_ip, dst_ip, src_port, dst_port, protocol, direction, action, packets, bytes, flows, source_type, src_country, dst_country, src_site, dst_site, application)
    SELECT to_timestamp(${T0 / 1000} + (i % 86400)), to_timestamp(${T0 / 1000} + (i % 86400)),
      ('10.10.' || (i % 50) || '.' || (i % 200))::inet, ('203.0.' || (i % 37) || '.' || (i % 251))::inet,
      40000 + i % 20000, (ARRAY[22,443,3306,53,80])[1 + i % 5], 6, 'inbound', 'allow', 1 + i % 10, 100 + i % 100000, i % 2,
      'azure-nsg', 'US', (ARRAY['CN','RU','NL','US'])[1 + i % 4], 'azure-eastus', NULL, (ARRAY['ssh','https','mysql','dns','http'])[1 + i % 5]
    FROM generate_series(1, 2000000) i`);
  await pool.query('ANALYZE flows');
}
const ctx: any = { timescale: false, now: T0 + 86400000, rollups: [], sites: [], limits: { maxRows: 100000, maxSeries: 100, maxTopN: 100 } };
const queries: [string, any][] = [
  ['top10 src_ip bytes', { metric: 'bytes', dimensions: ['src_ip'], topN: 10 }],
  ['top10 app other bidir', { metric: 'bytes', dimensions: ['application'], topN: 10, other: true, bidirectional: true }],
  ['ts bidir app', { mode: 'timeseries', metric: 'bits_per_second', dimensions: ['application'], topN: 5, bidirectional: true, maxDataPoints: 300 }],
  ['ts dst_ip top5 other', { mode: 'timeseries', metric: 'bytes', dimensions: ['dst_ip'], topN: 5, other: true, maxDataPoints: 300 }],
  ['ts src_ip top10 bidir', { mode: 'timeseries', metric: 'bytes', dimensions: ['src_ip'], topN: 10, bidirectional: true, maxDataPoints: 300 }],
  ['ts unique ports by src_ip', { mode: 'timeseries', metric: 'unique_dst_ports', dimensions: ['src_ip'], topN: 5, maxDataPoints: 300 }],
];
for (const [label, body] of queries) {
  body.from = T0; body.to = T0 + 86400000;
  const plan = planQuery(body, ctx);
  const t = Date.now();
  const r = await pool.query(plan.statements[0]!.sql, plan.statements[0]!.params);
  console.log(`${label}: ${Date.now() - t} ms, ${r.rowCount} rows`);
}
await pool.end(); await admin.end();
