import { createReadStream, readdirSync, statSync } from 'node:fs';
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

/** Files under the given paths (folders recursively), hidden files left out, in name order. */
export function listFiles(paths: string[]): { path: string; source: string }[] {
  const out: { path: string; source: string }[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    const st = statSync(abs);
    if (st.isFile()) {
      out.push({ path: abs, source: p });
      continue;
    }
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir).sort()) {
        if (name.startsWith('.')) continue;
        const full = join(dir, name);
        if (statSync(full).isDirectory()) walk(full);
        else out.push({ path: full, source: relative(abs, full) });
      }
    };
    walk(abs);
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
