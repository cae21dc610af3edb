import { createReadStream, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Readable } from 'node:stream';

export interface ImportTarget {
  url: string;
  token: string | null;
  format: string | null;
  awsFormat: string | null;
  /** GCP: 'all' keeps both reports of a VM-to-VM flow (the route's `reporters` parameter). */
  gcpReporters?: string | null;
}

export interface FileResult {
  file: string;
  ok: boolean;
  accepted: number;
  rejected: number;
  skipped: number;
  rows: number;
  alreadyIngested: boolean;
  message?: string;
  errors?: { record: number; tuple?: number; field?: string; reason: string }[];
}

/** A path that could not be listed (missing, a dangling link, unreadable, not a regular file). */
export interface ListProblem {
  path: string;
  message: string;
}

/**
 * Files under the given paths (folders recursively), hidden files left out, in name order. A path
 * that cannot be listed goes to `problems` and the others are still listed: one dangling link, a
 * file removed while listing or a symbolic link back up the tree (listed again and again until
 * ELOOP) once stopped the whole import, and a watcher for good.
 */
export function listFiles(paths: string[], problems: ListProblem[] = []): { path: string; source: string }[] {
  const out: { path: string; source: string }[] = [];
  // Directories already walked, by real path: a link back up the tree is not walked again.
  const walked = new Set<string>();
  const stat = (path: string): Stats | null => {
    try {
      return statSync(path);
    } catch (err) {
      problems.push({ path, message: (err as Error).message });
      return null;
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    const walk = (dir: string): void => {
      let names: string[];
      try {
        const real = realpathSync(dir);
        if (walked.has(real)) return;
        walked.add(real);
        names = readdirSync(dir).sort();
      } catch (err) {
        problems.push({ path: dir, message: (err as Error).message });
        return;
      }
      for (const name of names) {
        if (name.startsWith('.')) continue;
        const full = join(dir, name);
        const st = stat(full);
        if (st?.isDirectory()) walk(full);
        else if (st) add(full, relative(abs, full), st);
      }
    };
    // A FIFO or device would hang the upload (or never end): only regular files are sent.
    const add = (path: string, source: string, st: Stats): void => {
      if (st.isFile()) out.push({ path, source });
      else problems.push({ path, message: 'not a regular file' });
    };
    const st = stat(abs);
    if (st?.isDirectory()) walk(abs);
    else if (st) add(abs, p, st);
  }
  return out;
}

/** Streams one file to the proxy's ingest route (never read whole into memory here); `onSent` sees the bytes sent so far. */
export async function importFile(file: { path: string; source: string }, target: ImportTarget, onSent?: (bytes: number) => void): Promise<FileResult> {
  const route = target.format ? `/api/v1/ingest/${encodeURIComponent(target.format)}` : '/api/v1/ingest';
  const query = new URLSearchParams({ source: file.source });
  if (target.awsFormat) query.set('format', target.awsFormat);
  if (target.gcpReporters) query.set('reporters', target.gcpReporters);
  try {
    const stream = createReadStream(file.path);
    let sent = 0;
    if (onSent) stream.on('data', (chunk) => onSent((sent += chunk.length)));
    const response = await fetch(`${target.url}${route}?${query}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...(target.token ? { authorization: `Bearer ${target.token}` } : {}) },
      body: Readable.toWeb(stream) as unknown as BodyInit,
      // Node's fetch needs this to send a streamed body.
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) return { file: file.source, ok: false, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: false, message: `HTTP ${response.status}: ${String(body.message ?? '')}` };
    return {
      file: file.source,
      ok: true,
      accepted: Number(body.accepted ?? 0),
      rejected: Number(body.rejected ?? 0),
      skipped: Number(body.skipped ?? 0),
      rows: Number(body.rows ?? 0),
      alreadyIngested: Boolean(body.alreadyIngested),
      errors: body.errors as FileResult['errors'],
    };
  } catch (err) {
    return { file: file.source, ok: false, accepted: 0, rejected: 0, skipped: 0, rows: 0, alreadyIngested: false, message: (err as Error).message };
  }
}
