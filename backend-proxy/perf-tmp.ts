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
const body = JSON.parse(process.argv[2]!);
body.from = T0; body.to = T0 + 86400000;
const plan = planQuery(body, ctx);
const r = await pool.query('EXPLAIN ANALYZE ' + plan.statements[0]!.sql, plan.statements[0]!.params);
console.log(r.rows.map((x: any) => x['QUERY PLAN']).join('\n'));
await pool.end(); await admin.end();
