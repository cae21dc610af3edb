import type { DemoPlan } from './generate.js';

export interface LoadProgress {
  bodies: number;
  tuples: number;
  accepted: number;
  rejected: number;
  rows: number;
  elapsedMs: number;
}

/**
 * Sends every demo body through the real ingest route (POST /api/v1/ingest/azure-nsg), exactly
 * as a log shipper would; a body already ingested (same source and content) is skipped by the proxy.
 */
export async function loadDemo(baseUrl: string, token: string | null, plan: DemoPlan, onProgress?: (p: LoadProgress) => void): Promise<LoadProgress> {
  const started = Date.now();
  const progress: LoadProgress = { bodies: 0, tuples: 0, accepted: 0, rejected: 0, rows: 0, elapsedMs: 0 };
  for (const body of plan.bodies()) {
    const response = await fetch(`${baseUrl}/api/v1/ingest/azure-nsg?source=${encodeURIComponent(body.source)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body.json,
    });
    if (!response.ok) throw new Error(`demo ingest of ${body.source} failed: HTTP ${response.status} ${await response.text()}`);
    const result = (await response.json()) as { accepted: number; rejected: number; rows: number };
    progress.bodies++;
    progress.tuples += body.tuples;
    progress.accepted += result.accepted;
    progress.rejected += result.rejected;
    progress.rows += result.rows;
    progress.elapsedMs = Date.now() - started;
    onProgress?.({ ...progress });
  }
  return progress;
}
