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
import { decideDemo, readDemoState, recordDemoCompleted, recordDemoStart } from '../demo/demo-state.js';
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

  const hasFlows = (await proxy.db.pool.query<{ any: boolean }>('SELECT EXISTS (SELECT 1 FROM flows) AS any')).rows[0]?.any ?? false;
  const decision = decideDemo(await readDemoState(proxy.db.pool), hasFlows, { seed: config.demoSeed ?? 1, flows: config.demoFlows, nowMs: Date.now() });
  if (decision.action === 'load') {
    const { seed, flows, nowMs } = decision;
    const plan = planDemo({ seed, flows, now: nowMs, locate: (ip) => sharedGeoLocator().country(ip) });
    if (decision.resume) {
      console.log(`[flowatlas] resuming the demo load that was interrupted (seed ${seed}, ~${flows.toLocaleString('en')} tuples); bodies already stored are skipped`);
    } else {
      await recordDemoStart(proxy.db.pool, { seed, flows, nowMs });
      console.log(`[flowatlas] empty database: loading ~${flows.toLocaleString('en')} demo flow tuples (seed ${seed}) through the ingest API`);
    }
    let lastPrint = 0;
    const done = await loadDemo(`http://127.0.0.1:${proxy.port}`, config.tokens.all ?? config.tokens.ingest, plan, (p) => {
      if (Date.now() - lastPrint < 2000) return;
      lastPrint = Date.now();
      // accepted, not sent: on a resumed load the bodies already stored add nothing
      const rate = Math.round(p.accepted / (p.elapsedMs / 1000));
      console.log(`[flowatlas] demo: ${p.accepted.toLocaleString('en')} tuples stored, ${p.rows.toLocaleString('en')} rows, ${rate.toLocaleString('en')} flows/s`);
    });
    await recordDemoCompleted(proxy.db.pool);
    await proxy.refresher.refresh();
    const rate = Math.round(done.accepted / (done.elapsedMs / 1000));
    console.log(`[flowatlas] demo loaded: ${done.accepted.toLocaleString('en')} tuples stored (${done.rejected} rejected) → ${done.rows.toLocaleString('en')} rows in ${(done.elapsedMs / 1000).toFixed(1)} s = ${rate.toLocaleString('en')} flows/s`);
  } else {
    console.log(`[flowatlas] ${decision.why}`);
  }

  const example = topSshSourcesQuery(Date.now());

  const queryToken = config.tokens.all ?? config.tokens.query;
  const auth = queryToken ? ` -H 'Authorization: Bearer ${config.tokens.all ? '$FLOWATLAS_TOKEN' : '$FLOWATLAS_QUERY_TOKEN'}'` : '';
  // The token itself is not printed (terminals are logged and shared): the page asks for it.
  const playgroundToken = queryToken ? ` (enter ${config.tokens.all ? '$FLOWATLAS_TOKEN' : '$FLOWATLAS_QUERY_TOKEN'} in its Token field, or open it once with ?token=…)` : '';
  console.log(`\nFlowAtlas is ready: ${proxy.url}\n  health:     ${proxy.url}/api/health\n  playground: ${proxy.url}/playground${playgroundToken}\n\nTop ssh sources (step 1 of the forensic story):\n  curl -s ${proxy.url}/api/v1/query -H 'content-type: application/json'${auth} -d '${JSON.stringify(example)}'\n`);
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
