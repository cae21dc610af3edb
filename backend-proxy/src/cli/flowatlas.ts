#!/usr/bin/env node
/**
 * flowatlas: the operator's command line.
 *   flowatlas import <files or folders…>   stream flow-log files to the proxy (or straight to the database), with progress
 *   flowatlas watch <folder>               import new and grown files of a drop folder as they come
 *   flowatlas dead-letters [--source s]    list rejected records (id, where, why, raw text)
 *   flowatlas fix <id> <raw | @file>       correct one rejected record's raw text by hand
 *   flowatlas replay --format <f>          re-parse rejected records (dead letters) with today's parsers
 * Options: --url (FLOWATLAS_URL, default http://127.0.0.1:8686), --token (FLOWATLAS_TOKEN),
 * --format <azure-nsg|azure-vnet|aws-vpc|gcp-vpc|ndjson> (default: detected), --aws-format "<fields>",
 * --gcp-reporters all (keep both reports of a GCP VM-to-VM flow),
 * --source <name> (replay), --interval <seconds> (watch).
 * --database-url <url> (or DATABASE_URL when --url is not given): import and watch write straight to
 * that PostgreSQL / TimescaleDB with the proxy's ingest service in this process (migrations,
 * enrichment from FLOWATLAS_NETWORKS, idempotency, dead letters); --database-schema <name> picks a schema.
 * Exit code: 0 all stored, 1 some records were rejected, 2 a file or request failed.
 */
import { readFileSync, statSync, type Stats } from 'node:fs';
import { parseArgs } from 'node:util';
import { importFile, listFiles, type FileResult, type ImportTarget, type ListProblem } from './import-files.js';
import { DirectImporter } from './direct-import.js';
import { GCP_REPORTERS } from '../ingest/formats/gcp-vpc.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    format: { type: 'string' },
    'aws-format': { type: 'string' },
    'gcp-reporters': { type: 'string' },
    source: { type: 'string' },
    interval: { type: 'string' },
    'database-url': { type: 'string' },
    'database-schema': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const target: ImportTarget = {
  url: (values.url ?? process.env.FLOWATLAS_URL ?? 'http://127.0.0.1:8686').replace(/\/$/, ''),
  token: values.token ?? process.env.FLOWATLAS_TOKEN ?? null,
  format: values.format ?? null,
  awsFormat: values['aws-format'] ?? null,
  gcpReporters: values['gcp-reporters'] ?? null,
};

/**
 * The progress line: files done, flows stored, flows/s, errors; while a file is on its way, the
 * share of its bytes sent (a single 500 MB blob must not look stuck).
 */
/** Where import and watch send files: the proxy over HTTP, or the database in this process. */
interface Importer {
  /** Shown at the start so the operator knows where the flows went. */
  readonly where: string;
  importFile(file: { path: string; source: string }, onSent?: (bytes: number) => void): Promise<FileResult>;
  close(): Promise<void>;
}

/** An explicit --url means the proxy even when DATABASE_URL is set in the environment. */
const databaseUrl = values['database-url'] ?? (values.url ? undefined : process.env.DATABASE_URL?.trim() || undefined);

async function openImporter(): Promise<Importer> {
  if (target.gcpReporters && !(GCP_REPORTERS as readonly string[]).includes(target.gcpReporters)) {
    throw new Error(`--gcp-reporters must be one of ${GCP_REPORTERS.join(', ')}, got ${JSON.stringify(target.gcpReporters)}`);
  }
  if (!databaseUrl) return { where: `the proxy at ${target.url}`, importFile: (file, onSent) => importFile(file, target, onSent), close: async () => undefined };
  const direct = await DirectImporter.open({ databaseUrl, schema: values['database-schema'], networksFile: process.env.FLOWATLAS_NETWORKS?.trim() || null });
  return {
    where: `the database (${values['database-url'] ? '--database-url' : 'DATABASE_URL'}${values['database-schema'] ? `, schema ${values['database-schema']}` : ''})`,
    importFile: (file, onSent) => direct.importFile(file, target, onSent),
    close: () => direct.close(),
  };
}

function progressLine(done: number, total: number, flows: number, errors: number, startedMs: number, current?: { sent: number; size: number }): string {
  const seconds = (Date.now() - startedMs) / 1000;
  const rate = seconds > 0 ? Math.round(flows / seconds) : 0;
  const width = 24;
  const fraction = total ? (done + (current && current.size ? Math.min(1, current.sent / current.size) : 0)) / total : 1;
  const filled = Math.round(fraction * width);
  const sending = current && current.size ? `  sending ${Math.floor((100 * current.sent) / current.size)} % of ${(current.size / 2 ** 20).toFixed(1)} MiB` : '';
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files  ${flows.toLocaleString('en')} flows  ${rate.toLocaleString('en')} flows/s  ${errors} errors${sending}`;
}

function report(result: FileResult): void {
  if (!result.ok) console.error(`\n✗ ${result.file}: ${result.message}`);
  else if (result.rejected) {
    console.error(`\n! ${result.file}: ${result.rejected} rejected`);
    for (const e of result.errors?.slice(0, 5) ?? []) console.error(`    record ${e.record}${e.tuple ? ` tuple ${e.tuple}` : ''}${e.field ? ` field ${e.field}` : ''}: ${e.reason}`);
  }
}

async function importAll(paths: string[]): Promise<number> {
  const problems: ListProblem[] = [];
  const files = listFiles(paths, problems);
  // Paths that cannot be read fail on their own (exit 2); the other files are still imported.
  for (const p of problems) console.error(`✗ ${p.path}: ${p.message}`);
  const importer = await openImporter();
  try {
    const code = await importFiles(files, importer);
    return problems.length ? 2 : code;
  } finally {
    await importer.close();
  }
}

async function importFiles(files: { path: string; source: string }[], importer: Importer): Promise<number> {
  console.error(`importing ${files.length} files into ${importer.where}`);
  const started = Date.now();
  const totals = { accepted: 0, rejected: 0, skipped: 0, failed: 0, unchanged: 0 };
  let done = 0;
  const tty = process.stderr.isTTY;
  for (const file of files) {
    // A file removed since it was listed fails in importFile with the reason, not the run here.
    const size = sizeOf(file.path);
    let lastDraw = 0;
    const onSent = (sent: number): void => {
      // Redrawn at most a few times a second, on a terminal only.
      if (!tty || Date.now() - lastDraw < 250) return;
      lastDraw = Date.now();
      process.stderr.write(`\r${progressLine(done, files.length, totals.accepted, totals.rejected + totals.failed, started, { sent, size })}`);
    };
    const result = await importer.importFile(file, onSent);
    done++;
    totals.accepted += result.accepted;
    totals.rejected += result.rejected;
    totals.skipped += result.skipped;
    if (!result.ok) totals.failed++;
    if (result.alreadyIngested) totals.unchanged++;
    report(result);
    const line = progressLine(done, files.length, totals.accepted, totals.rejected + totals.failed, started);
    if (tty) process.stderr.write(`\r${line}`);
    else if (done === files.length || done % 50 === 0) console.error(line);
  }
  if (tty) process.stderr.write('\n');
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`imported ${files.length} files in ${seconds} s: ${totals.accepted} records stored, ${totals.rejected} rejected, ${totals.skipped} skipped, ${totals.unchanged} unchanged, ${totals.failed} failed`);
  return totals.failed ? 2 : totals.rejected ? 1 : 0;
}

async function watchFolder(folder: string): Promise<never> {
  const intervalMs = Math.max(1, Number(values.interval ?? 10)) * 1000;
  const seen = new Map<string, string>();
  const importer = await openImporter();
  // Ctrl-C / a service stop: bring the rollups up to date and disconnect (direct mode) before leaving.
  const stop = (): void => void importer.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`watching ${folder} every ${intervalMs / 1000} s into ${importer.where} (Ctrl-C to stop)`);
  // Each unreadable path is reported once, not at every look.
  const reported = new Set<string>();
  for (;;) {
    const problems: ListProblem[] = [];
    for (const file of listFiles([folder], problems)) {
      const st = statOrNull(file.path);
      // Gone since it was listed (a sync tool's temporary file): looked at again next time.
      if (!st) continue;
      const stamp = `${st.size}:${st.mtimeMs}`;
      if (seen.get(file.path) === stamp) continue;
      // The proxy itself skips objects it has seen and keeps only new records of grown blobs.
      const result = await importer.importFile(file);
      if (result.ok) seen.set(file.path, stamp);
      report(result);
      if (result.ok && !result.alreadyIngested) console.log(`${file.source}: ${result.accepted} stored, ${result.rejected} rejected, ${result.skipped} skipped`);
    }
    for (const p of problems) {
      if (!reported.has(`${p.path}\n${p.message}`)) console.error(`✗ ${p.path}: ${p.message}`);
      reported.add(`${p.path}\n${p.message}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function sizeOf(path: string): number {
  return statOrNull(path)?.size ?? 0;
}

async function replay(): Promise<number> {
  const response = await fetch(`${target.url}/api/v1/dead-letters/replay`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ format: target.format, source: values.source, awsFormat: target.awsFormat }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) {
    console.error(`replay failed: HTTP ${response.status}: ${String(body.message)}`);
    return 2;
  }
  console.log(`replayed ${body.replayed} dead letters: ${body.accepted} stored, ${body.rejected} rejected again${Number(body.notReplayable) ? `, ${body.notReplayable} not replayable as is (fix them first: flowatlas dead-letters)` : ''}`);
  return Number(body.rejected) ? 1 : 0;
}

function authHeaders(): Record<string, string> {
  return target.token ? { authorization: `Bearer ${target.token}` } : {};
}

async function listDeadLetters(): Promise<number> {
  const query = new URLSearchParams();
  if (values.source) query.set('source', values.source);
  if (target.format) query.set('format', target.format);
  const response = await fetch(`${target.url}/api/v1/dead-letters?${query}`, { headers: authHeaders() });
  const body = (await response.json()) as { deadLetters?: { id: number; source: string | null; format: string; record: number | null; tuple: number | null; field: string | null; reason: string; raw: string | null; replayable: boolean }[]; message?: string };
  if (!response.ok) {
    console.error(`dead-letters failed: HTTP ${response.status}: ${String(body.message)}`);
    return 2;
  }
  for (const d of body.deadLetters ?? []) {
    const where = `${d.source ?? '(no source)'} record ${d.record}${d.tuple ? ` tuple ${d.tuple}` : ''}${d.field ? ` field ${d.field}` : ''}`;
    console.log(`#${d.id} ${d.format} ${where}: ${d.reason}${d.replayable ? '' : ' (not replayable as is)'}\n    ${d.raw ?? ''}`);
  }
  console.log(`${body.deadLetters?.length ?? 0} pending dead letters`);
  return 0;
}

async function fixDeadLetter(id: string | undefined, text: string | undefined): Promise<number> {
  if (!id || text === undefined) {
    console.error('fix: flowatlas fix <id> <corrected raw text | @file>');
    return 2;
  }
  const raw = text.startsWith('@') ? readFileSync(text.slice(1), 'utf8').trimEnd() : text;
  const response = await fetch(`${target.url}/api/v1/dead-letters/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', ...authHeaders() },
    body: JSON.stringify({ raw }),
  });
  const body = (await response.json()) as { message?: string; replayable?: boolean; format?: string };
  if (!response.ok) {
    console.error(`fix failed: HTTP ${response.status}: ${String(body.message)}`);
    return 2;
  }
  console.log(`dead letter #${id} corrected${body.replayable ? `; replay it with: flowatlas replay --format ${body.format}` : ' (still not replayable as is)'}`);
  return 0;
}

async function main(): Promise<number> {
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log('usage: flowatlas import <files|folders…> | watch <folder> | dead-letters [--source s] [--format f] | fix <id> <raw|@file> | replay --format <f> [--source s] [--aws-format "…"]   (--url, --token; import and watch: --database-url <url> [--database-schema s] to write straight to the database)');
    return command ? 0 : 2;
  }
  if (command === 'import') return rest.length ? importAll(rest) : (console.error('import: name files or folders'), 2);
  if (command === 'watch') return rest[0] ? watchFolder(rest[0]) : (console.error('watch: name a folder'), 2);
  if (command === 'replay') return replay();
  if (command === 'dead-letters') return listDeadLetters();
  if (command === 'fix') return fixDeadLetter(rest[0], rest[1]);
  console.error(`unknown command ${command}`);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(2);
  },
);
