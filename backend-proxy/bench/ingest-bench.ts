/**
 * npm run bench:ingest — flows/s of each format through the real HTTP ingest route, the proxy's
 * peak RSS, and in the same run the floor we are measured against: the same rows, already parsed
 * and enriched, bulk-loaded with the fastest path the database takes (COPY on a server, unnest
 * batches on the embedded PGlite). Results go to docs/benchmarks.md.
 */
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { Enricher } from '../src/enrich/enricher.js';
import { sharedGeoLocator } from '../src/enrich/geo.js';
import { sharedAsnLocator } from '../src/enrich/asn.js';
import { loadNetworkConfig } from '../src/enrich/networks.js';
import { chooseFlowWriter } from '../src/ingest/flow-writer.js';
import { parseAzureNsg } from '../src/ingest/azure-nsg.js';
import { parseBody } from '../src/ingest/formats/index.js';
import { withTransaction } from '../src/db/pool.js';
import type { FlowRecord } from '../src/model/flow-row.js';
import { awsCustomBodies, awsDefaultBodies, gcpBodies, nsgBodies, vnetBodies, type Body } from './synthetic-logs.js';
import { openBenchDatabase } from './bench-database.js';
import { fmt, machineLine, writeSection } from './report.js';
import { fileURLToPath } from 'node:url';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 100_000);
const now = Date.now();

const formats: { name: string; route: string; bodies: () => Body[]; parse: (b: Body) => FlowRecord[] }[] = [
  { name: 'Azure NSG v2', route: 'azure-nsg', bodies: () => nsgBodies(FLOWS, now), parse: (b) => parseAzureNsg(b.text).rows },
  { name: 'Azure VNet', route: 'azure-vnet', bodies: () => vnetBodies(FLOWS, now), parse: (b) => parseBody('azure-vnet', b.text).rows },
  { name: 'AWS default', route: 'aws-vpc', bodies: () => awsDefaultBodies(FLOWS, now), parse: (b) => parseBody('aws-vpc', b.text).rows },
  { name: 'AWS custom (v5 fields)', route: 'aws-vpc', bodies: () => awsCustomBodies(FLOWS, now), parse: (b) => parseBody('aws-vpc', b.text).rows },
  { name: 'GCP NDJSON', route: 'gcp-vpc', bodies: () => gcpBodies(FLOWS, now), parse: (b) => parseBody('gcp-vpc', b.text).rows },
];

async function main(): Promise<void> {
  const db = await openBenchDatabase();
  const networks = loadNetworkConfig(fileURLToPath(new URL('../config/demo-networks.yaml', import.meta.url)));
  const geo = sharedGeoLocator();
  const asn = sharedAsnLocator();
  const { app } = await buildApp({ config: loadConfig({}), db, networks: () => networks, geo, asn });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const enricher = new Enricher(networks, geo, asn);
  const writer = chooseFlowWriter(db.embedded);
  const reset = () => db.pool.query('TRUNCATE flows, ingest_records, dead_letters, ingest_batches');
  const results: string[] = [];
  console.log(`ingest benchmark: ${fmt(FLOWS)} flows per format on ${db.label}`);

  for (const format of formats) {
    const bodies = format.bodies();
    const flows = bodies.reduce((s, b) => s + b.flows, 0);
    await reset();
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
    let rows = 0;
    let rejected = 0;
    const t0 = performance.now();
    for (const body of bodies) {
      const response = await fetch(`${base}/api/v1/ingest/${format.route}?source=${encodeURIComponent(body.source)}`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: body.text });
      const r = (await response.json()) as { rows: number; rejected: number };
      if (!response.ok) throw new Error(`${format.name}: HTTP ${response.status} ${JSON.stringify(r)}`);
      rows += r.rows;
      rejected += r.rejected;
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    clearInterval(sampler);

    // Parse-only speed, to show where the time goes.
    const p0 = performance.now();
    const parsed = bodies.map((b) => format.parse(b));
    const parseSeconds = (performance.now() - p0) / 1000;
    const enriched = parsed.map((batch) => batch.map((r) => enricher.enrich(r)));

    await reset();
    const r0 = performance.now();
    for (const batch of enriched) await withTransaction(db.pool, (client) => writer.write(client, batch, null));
    const bulkSeconds = (performance.now() - r0) / 1000;
    const bulkRows = enriched.reduce((s, b) => s + b.length, 0);

    const line = `| ${format.name} | ${fmt(flows)} | ${fmt(rows)} | ${rejected} | ${fmt(flows / ingestSeconds)} | ${fmt(rows / ingestSeconds)} | ${fmt(flows / parseSeconds)} | ${fmt(bulkRows / bulkSeconds)} | ${fmt((rows / ingestSeconds) / (bulkRows / bulkSeconds) * 100)} % | ${fmt(peakRss / 2 ** 20)} MiB |`;
    console.log(line);
    results.push(line);
  }
  await app.close();
  await db.close();

  const section = `## Ingest (${db.embedded ? 'embedded' : 'server'}): \`npm run bench:ingest\`

${machineLine(db.label)} ${fmt(FLOWS)} flows per format (BENCH_FLOWS), sent as object-sized bodies (≈20k records)
through POST /api/v1/ingest/<format> on loopback. The reference is the floor the issue names: the
same rows, already parsed and enriched, bulk-loaded by the fastest path this database takes
(${writer.method === 'copy' ? 'COPY FROM STDIN, text format' : 'batched INSERT … SELECT FROM unnest(…); COPY does not work through pglite-socket'}), one transaction per body.

| format | records | rows | rejected | ingest records/s | ingest rows/s | parse-only records/s | bulk-load rows/s (reference) | ingest / reference | peak RSS (proxy + bench) |
|---|---|---|---|---|---|---|---|---|---|
${results.join('\n')}
`;
  writeSection(`ingest-${db.embedded ? 'embedded' : 'server'}`, section);
  console.log('written to docs/benchmarks.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
