import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { httpError } from './errors.js';

/**
 * What a token may do. A log shipper needs `ingest` only and Grafana `query` only, so a leaked
 * shipper credential cannot read flow data and a dashboard credential cannot write or replay it.
 */
export type Scope = 'ingest' | 'query';

export interface ApiTokens {
  /** FLOWATLAS_TOKEN: every scope. */
  all: string | null;
  /** FLOWATLAS_INGEST_TOKEN: ingest routes and dead letters. */
  ingest: string | null;
  /** FLOWATLAS_QUERY_TOKEN: queries, dimensions, filter validation. */
  query: string | null;
}

export function anyToken(tokens: ApiTokens): boolean {
  return Boolean(tokens.all || tokens.ingest || tokens.query);
}

/** The scope an /api/v1 route needs: writing flows or dead letters is ingest, everything else reads. */
export function scopeOf(url: string): Scope {
  const path = url.split('?')[0]!;
  return path.startsWith('/api/v1/ingest') || path.startsWith('/api/v1/dead-letters') ? 'ingest' : 'query';
}

function sameToken(presented: Buffer, expected: string | null): boolean {
  if (!expected) return false;
  const wanted = Buffer.from(expected);
  // Constant-time comparison: response timing must not leak how much of the token matched.
  return presented.length === wanted.length && timingSafeEqual(presented, wanted);
}

/**
 * When any token is configured, every /api/v1 call must present, as a Bearer token, the
 * all-scope token or the token of the route's scope: 401 without a known token, 403 with a token
 * of the other scope. /api/health and the playground stay open (no flow data in them).
 */
export function installAuth(app: FastifyInstance, tokens: ApiTokens): void {
  if (!anyToken(tokens)) return;
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1')) return;
    const header = request.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const scope = scopeOf(request.url);
    if (sameToken(presented, tokens.all) || sameToken(presented, tokens[scope])) return;
    const other: Scope = scope === 'ingest' ? 'query' : 'ingest';
    if (sameToken(presented, tokens[other])) throw httpError(403, `this token may only ${other === 'ingest' ? 'ingest' : 'query'}; ${request.url.split('?')[0]} needs the ${scope} scope`);
    throw httpError(401, 'missing or wrong bearer token');
  });
}
