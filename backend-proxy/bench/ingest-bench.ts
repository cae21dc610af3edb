/**
 * npm run bench:ingest — flows/s of each format through the real HTTP ingest route, the proxy's
 * own RSS, and in the same run the floor we are measured against: the same rows, already parsed
 * and enriched, bulk-loaded with the fastest path the database takes (COPY or unnest batches on a
 * server, whichever is faster; unnest on the embedded PGlite, where COPY does not work).
 *
 * The proxy runs as shipped (compiled dist/, plain node) in a process of its own, so its RSS is
 * measured without the benchmark client; bodies are sent one after another on loopback. Every
 * measurement is repeated (BENCH_REPEAT, default 3) alternating ingest and reference, and the best
 * run of each is reported: the CPU is shared with other work. Then one big object per format
 * (BENCH_BIG_MB, default 500; 0 skips) is streamed plain and gzip to show memory stays bounded.
 *
 * BENCH_DATABASE_URL=postgres://… measures on that server (a fresh database, dropped after);
 * unset, on a fresh embedded TimescaleDB. Results go to docs/benchmarks.md.
 */
import { execFileSync, fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import { Enricher } from '../src/enrich/enricher.js';
import { sharedGeoLocator } from '../src/enrich/geo.js';
import { sharedAsnLocator } from '../src/enrich/asn.js';
import { loadNetworkConfig } from '../src/enrich/networks.js';
import { CopyFlowWriter, UnnestFlowWriter, writeRows, type FlowWriter } from '../src/ingest/flow-writer.js';
import { parseAzureNsg, parseBody } from '../src/ingest/formats/index.js';
import { createPool, withTransaction } from '../src/db/pool.js';
import type { EnrichedFlow, FlowRecord } from '../src/model/flow-row.js';
import { awsCustomBodies, awsDefaultBigBody, awsDefaultBodies, gcpBigBody, gcpBodies, nsgBigBody, nsgBodies, vnetBigBody, vnetBodies, type BigBody, type Body } from './synthetic-logs.js';
import { openBenchDatabase } from './bench-database.js';
import { fmt, machineLine, writeSection } from './report.js';

const FLOWS = Number(process.env.BENCH_FLOWS ?? 100_000);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 500);
/** BENCH_ONLY_BIG=1: only the big-object runs (their own section), e.g. to repeat the memory measurement. */
const ONLY_BIG = process.env.BENCH_ONLY_BIG === '1';
/** BENCH_BIG_FORMATS=azure-vnet,gcp-vpc: only these routes' big objects (default: all four). */
const BIG_FORMATS = process.env.BENCH_BIG_FORMATS?.split(',').map((f) => f.trim());
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PROXY_ENTRY = fileURLToPath(new URL('./ingest-proxy.mjs', import.meta.url));
const now = Date.now();

interface Format {
  name: string;
  route: string;
  bodies: () => Body[];
  parse: (b: Body) => FlowRecord[];
}

const formats: Format[] = [
  { name: 'Azure NSG v2', route: 'azure-nsg', bodies: () => nsgBodies(FLOWS, now), parse: (b) => parseAzureNsg(b.text).rows },
  { name: 'Azure VNet', route: 'azure-vnet', bodies: () => vnetBodies(FLOWS, now), parse: (b) => parseBody('azure-vnet', b.text).rows },
  { name: 'AWS default', route: 'aws-vpc', bodies: () => awsDefaultBodies(FLOWS, now), parse: (b) => parseBody('aws-vpc', b.text).rows },
  { name: 'AWS custom (v5 fields)', route: 'aws-vpc', bodies: () => awsCustomBodies(FLOWS, now), parse: (b) => parseBody('aws-vpc', b.text).rows },
  { name: 'GCP NDJSON', route: 'gcp-vpc', bodies: () => gcpBodies(FLOWS, now), parse: (b) => parseBody('gcp-vpc', b.text).rows },
];

// ---- the proxy in a child process --------------------------------------------------------------

/** Resident set size and its peak so far (kB → bytes) of a process, from /proc. */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

interface ProxyProcess {
  url: string;
  /** RSS once started (enrichment databases loaded), before any ingest. */
  rssAtRest: number;
  /** Peak RSS since start (the kernel's high-water mark). */
  peak(): number;
  stop(): Promise<void>;
}

async function startProxy(databaseUrl: string, single: boolean): Promise<ProxyProcess> {
  const child = fork(PROXY_ENTRY, [databaseUrl, single ? 'single' : 'pool'], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench proxy exited during start (${code})`)));
    child.on('message', (m: { type?: string; url?: string }) => m.type === 'ready' && resolve(m.url!));
  });
  child.removeAllListeners('exit');
  // Let start-up garbage settle, so "at rest" is what the proxy keeps.
  await new Promise((r) => setTimeout(r, 500));
  const rssAtRest = memoryOf(child.pid!).rss;
  return {
    url,
    rssAtRest,
    peak: () => memoryOf(child.pid!).peak,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

interface IngestAnswer {
  rows: number;
  accepted: number;
  rejected: number;
}

async function post(base: string, route: string, source: string, body: string | Readable): Promise<IngestAnswer> {
  const streamed = typeof body !== 'string';
  const response = await fetch(`${base}/api/v1/ingest/${route}?source=${encodeURIComponent(source)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: streamed ? (Readable.toWeb(body) as unknown as BodyInit) : body,
    ...(streamed ? { duplex: 'half' } : {}),
  } as RequestInit);
  const answer = (await response.json()) as IngestAnswer & { message?: string };
  if (!response.ok) throw new Error(`${route} ${source}: HTTP ${response.status} ${answer.message ?? JSON.stringify(answer)}`);
  return answer;
}

// ---- measurements ----------------------------------------------------------------------------

async function main(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    console.log('building dist/ (the proxy is measured as shipped)…');
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
  const db = await openBenchDatabase();
  // The embedded server serves one connection at a time: the proxy and the reference take turns.
  await db.pool.end();
  const single = db.embedded;
  const withPool = async <T>(fn: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> => {
    const pool = createPool(db.url, { embedded: single, statementTimeoutMs: 0 });
    try {
      return await fn(pool);
    } finally {
      await pool.end();
    }
  };
  const reset = () => withPool((p) => p.query('TRUNCATE flows, ingest_records, dead_letters, ingest_batches'));

  const networks = loadNetworkConfig(fileURLToPath(new URL('../config/demo-networks.yaml', import.meta.url)));
  const enricher = new Enricher(networks, sharedGeoLocator(), sharedAsnLocator());
  // COPY does not work through pglite-socket; on a server both are tried and the faster is the floor.
  const writers: FlowWriter[] = single ? [new UnnestFlowWriter()] : [new CopyFlowWriter(), new UnnestFlowWriter()];
  const results: string[] = [];
  console.log(`ingest benchmark: ${fmt(FLOWS)} flows per format, best of ${REPEAT}, on ${db.label}`);

  for (const format of ONLY_BIG ? [] : formats) {
    const bodies = format.bodies();
    const flows = bodies.reduce((s, b) => s + b.flows, 0);
    let parseSeconds = Infinity;
    let enriched: EnrichedFlow[][] = [];
    for (let r = 0; r < REPEAT; r++) {
      const p0 = performance.now();
      const parsed = bodies.map((b) => format.parse(b));
      parseSeconds = Math.min(parseSeconds, (performance.now() - p0) / 1000);
      if (r === 0) enriched = parsed.map((rows) => rows.map((row) => enricher.enrich(row)));
    }
    const bulkRows = enriched.reduce((s, b) => s + b.length, 0);
    const reference = new Map<string, number>();
    let ingestSeconds = Infinity;
    let answer = { rows: 0, rejected: 0 };
    let rest = 0;
    let peak = 0;
    for (let r = 0; r < REPEAT; r++) {
      for (const writer of writers) {
        await reset();
        const seconds = await withPool(async (pool) => {
          const t0 = performance.now();
          for (const batch of enriched) await withTransaction(pool, (client) => writeRows(writer, client, batch, null));
          return (performance.now() - t0) / 1000;
        });
        reference.set(writer.method, Math.max(reference.get(writer.method) ?? 0, bulkRows / seconds));
      }
      await reset();
      const proxy = await startProxy(db.url, single);
      const t0 = performance.now();
      let rows = 0;
      let rejected = 0;
      for (const body of bodies) {
        const a = await post(proxy.url, format.route, body.source, body.text);
        rows += a.rows;
        rejected += a.rejected;
      }
      const seconds = (performance.now() - t0) / 1000;
      peak = Math.max(peak, proxy.peak());
      rest = Math.max(rest, proxy.rssAtRest);
      await proxy.stop();
      if (seconds < ingestSeconds) {
        ingestSeconds = seconds;
        answer = { rows, rejected };
      }
    }
    const [bestMethod, bestRate] = [...reference].sort((a, b) => b[1] - a[1])[0]!;
    const others = [...reference].filter(([m]) => m !== bestMethod).map(([m, v]) => `${m} ${fmt(v)}`);
    const line = `| ${format.name} | ${fmt(flows)} | ${fmt(answer.rows)} | ${answer.rejected} | ${fmt(flows / ingestSeconds)} | ${fmt(answer.rows / ingestSeconds)} | ${fmt(flows / parseSeconds)} | ${fmt(bestRate)} (${bestMethod}${others.length ? `; ${others.join(', ')}` : ''}) | ${fmt((answer.rows / ingestSeconds / bestRate) * 100)} % | ${fmt(rest / 2 ** 20)} → ${fmt(peak / 2 ** 20)} MiB |`;
    console.log(line);
    results.push(line);
  }

  const big: string[] = [];
  if (BIG_MB > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'flowatlas-bench-big-'));
    try {
      const kinds: { name: string; route: string; make: () => BigBody; ext: string }[] = [
        { name: 'Azure NSG v2 PT1H.json', route: 'azure-nsg', make: () => nsgBigBody(BIG_MB * 2 ** 20, now), ext: 'json' },
        { name: 'AWS default', route: 'aws-vpc', make: () => awsDefaultBigBody(BIG_MB * 2 ** 20, now), ext: 'log' },
        { name: 'Azure VNet PT1H.json', route: 'azure-vnet', make: () => vnetBigBody(BIG_MB * 2 ** 20, now), ext: 'json' },
        { name: 'GCP NDJSON', route: 'gcp-vpc', make: () => gcpBigBody(BIG_MB * 2 ** 20, now), ext: 'ndjson' },
      ].filter((k) => !BIG_FORMATS || BIG_FORMATS.includes(k.route));
      for (const kind of kinds) {
        // Written to files first: generating and compressing must not compete with the proxy for CPU.
        const plain = join(dir, `big.${kind.ext}`);
        const body = kind.make();
        await pipeline(Readable.from(body.chunks), createWriteStream(plain));
        const gz = `${plain}.gz`;
        await pipeline(createReadStream(plain), createGzip(), createWriteStream(gz));
        for (const file of [plain, gz]) {
          await reset();
          const proxy = await startProxy(db.url, single);
          const t0 = performance.now();
          let a: IngestAnswer;
          let peak: number;
          try {
            a = await post(proxy.url, kind.route, file.split('/').pop()!, createReadStream(file, { highWaterMark: 256 * 1024 }));
          } finally {
            // Even when the request fails (e.g. the proxy's request time limit), report the memory and stop the proxy.
            peak = proxy.peak();
            console.log(`${kind.name} ${file.endsWith('.gz') ? 'gzip' : 'plain'}: proxy peak RSS ${fmt(peak / 2 ** 20)} MiB after ${fmt((performance.now() - t0) / 1000)} s`);
            await proxy.stop();
          }
          const seconds = (performance.now() - t0) / 1000;
          const line = `| ${kind.name}${file.endsWith('.gz') ? ', gzip' : ''} | ${fmt(statSync(file).size / 2 ** 20)} MiB | ${fmt(body.flows())} | ${fmt(a.rows)} | ${a.rejected} | ${fmt(body.flows() / seconds)} | ${fmt(proxy.rssAtRest / 2 ** 20)} MiB | ${fmt(peak / 2 ** 20)} MiB |`;
          console.log(line);
          big.push(line);
        }
        rmSync(plain);
        rmSync(gz);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  await db.close();

  const kind = single ? 'embedded' : 'server';
  const section = `## Ingest (${kind}): \`npm run bench:ingest\`

${machineLine(db.label)} ${fmt(FLOWS)} flows per format (BENCH_FLOWS), sent as object-sized bodies
(≈20k records) one after another to POST /api/v1/ingest/<format> on loopback, the proxy running as
shipped (dist/, plain node) in a process of its own. Best of ${REPEAT} runs (BENCH_REPEAT), ingest and
reference alternating, on a CPU shared with other work. The reference is the floor the issue names:
the same rows, already parsed and enriched, bulk-loaded one transaction per body by the fastest
path this database takes (${single ? 'batched INSERT … SELECT FROM unnest(…); COPY does not work through pglite-socket' : 'COPY FROM STDIN (text) and unnest batches both measured; the faster is the reference'}).
"Parse-only" is the format parser alone on one core. RSS is the proxy process's own (VmRSS once
started → VmHWM peak), enrichment databases included.

| format | records | rows | rejected | ingest records/s | ingest rows/s | parse-only records/s | reference rows/s | ingest / reference | proxy RSS at rest → peak |
|---|---|---|---|---|---|---|---|---|---|
${results.join('\n')}
${
  big.length
    ? `
One object of ${BIG_MB} MiB per format, streamed from a file (plain, then gzip of the same file) in one request:

| object | size sent | records | rows | rejected | ingest records/s | proxy RSS at rest | proxy peak RSS |
|---|---|---|---|---|---|---|---|
${big.join('\n')}
`
    : ''
}`;
  if (ONLY_BIG) {
    writeSection(
      `ingest-${kind}-big`,
      `## Ingest (${kind}), one big object: \`BENCH_ONLY_BIG=1 npm run bench:ingest\`\n\n${machineLine(db.label)} One object of ${BIG_MB} MiB per format, streamed from a file (plain, then gzip of the same file) in one request to the proxy as shipped (dist/, plain node, its own process):\n\n| object | size sent | records | rows | rejected | ingest records/s | proxy RSS at rest | proxy peak RSS |\n|---|---|---|---|---|---|---|---|\n${big.join('\n')}\n`,
    );
  } else writeSection(`ingest-${kind}`, section);
  console.log('written to docs/benchmarks.md');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
