/**
 * `npm start`: the proxy on the embedded TimescaleDB (or DATABASE_URL), the demo estate, and the
 * demo data loaded when the database is empty. Prints where to go and a first query to try.
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.js';
import { startProxy } from '../server.js';
import { planDemo } from '../demo/generate.js';
import { loadDemo } from '../demo/load.js';
import { topSshSourcesQuery } from '../demo/example-query.js';
import { sharedGeoLocator } from '../enrich/geo.js';
import { anyToken } from '../routes/auth.js';

async function main(): Promise<void> {
  const env = { ...process.env };
  env.FLOWATLAS_NETWORKS ??= fileURLToPath(new URL('../../config/demo-networks.yaml', import.meta.url));
  const config = loadConfig(env);
  console.log(`[flowatlas] database: ${config.databaseUrl ? 'DATABASE_URL' : `embedded TimescaleDB in ${config.dataDir}`}`);
  const proxy = await startProxy(config);
  console.log(`[flowatlas] ${proxy.db.capabilities.description}; listening on ${proxy.url}`);
  if (!anyToken(config.tokens)) console.log('[flowatlas] no FLOWATLAS_TOKEN / _INGEST_TOKEN / _QUERY_TOKEN set: listening on loopback only, API open to local clients');

  const count = await proxy.db.pool.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM flows) AS any');
  const seed = config.demoSeed ?? 1;
  if (!count.rows[0]?.any && config.demoFlows > 0) {
    const plan = planDemo({ seed, flows: config.demoFlows, now: Date.now(), locate: (ip) => sharedGeoLocator().lookup(ip)?.country ?? null });
    console.log(`[flowatlas] empty database: loading ~${config.demoFlows.toLocaleString('en')} demo flow tuples (seed ${seed}) through the ingest API`);
    let lastPrint = 0;
    const done = await loadDemo(`http://127.0.0.1:${proxy.port}`, config.tokens.all ?? config.tokens.ingest, plan, (p) => {
      if (Date.now() - lastPrint < 2000) return;
      lastPrint = Date.now();
      const rate = Math.round(p.tuples / (p.elapsedMs / 1000));
      console.log(`[flowatlas] demo: ${p.tuples.toLocaleString('en')} tuples, ${p.rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} flows/s`);
    });
    await proxy.refresher.refresh();
    const rate = Math.round(done.tuples / (done.elapsedMs / 1000));
    console.log(`[flowatlas] demo loaded: ${done.tuples.toLocaleString('en')} tuples (${done.rejected} rejected) → ${done.rows.toLocaleString('en')} rows in ${(done.elapsedMs / 1000).toFixed(1)} s = ${rate.toLocaleString('en')} flows/s`);
  } else {
    console.log('[flowatlas] database already has flows: demo not loaded');
  }

  const example = topSshSourcesQuery(Date.now());

  const queryToken = config.tokens.all ?? config.tokens.query;
  const auth = queryToken ? ` -H 'Authorization: Bearer ${config.tokens.all ? '$FLOWATLAS_TOKEN' : '$FLOWATLAS_QUERY_TOKEN'}'` : '';
  console.log(`\nFlowAtlas is ready: ${proxy.url}\n  health:     ${proxy.url}/api/health\n  playground: ${proxy.url}/playground\n\nTop ssh sources (step 1 of the forensic story):\n  curl -s ${proxy.url}/api/v1/query -H 'content-type: application/json'${auth} -d '${JSON.stringify(example)}'\n`);
  try {
    const response = await proxy.app.inject({ method: 'POST', url: '/api/v1/query', payload: example, headers: queryToken ? { authorization: `Bearer ${queryToken}` } : {} });
    const frame = (response.json() as { frames?: { fields: { name: string; values: unknown[] }[] }[] }).frames?.[0];
    if (frame) {
      const cols = frame.fields.map((f) => f.name);
      console.log(cols.join('\t'));
      for (let i = 0; i < (frame.fields[0]?.values.length ?? 0); i++) console.log(frame.fields.map((f) => String(f.values[i])).join('\t'));
    }
  } catch (err) {
    console.error(`[flowatlas] example query failed: ${(err as Error).message}`);
  }

  const shutdown = async (): Promise<void> => {
    console.log('[flowatlas] shutting down');
    await proxy.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err: unknown) => {
  console.error(`[flowatlas] failed to start: ${(err as Error).stack ?? err}`);
  process.exit(1);
});
