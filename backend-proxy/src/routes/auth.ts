import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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

/**
 * The path the router matched, as its route pattern (/api/v1/ingest/:format); the raw URL for a
 * path no route takes. The router decodes percent-escapes and the raw URL is not decoded:
 * deciding on the raw URL served /%61pi/v1/query without any token, and took
 * /api/v1/%69ngest/… and /api/v1/dead-letter%73/replay for query-scope routes.
 */
export function routedPath(request: FastifyRequest): string {
  return request.routeOptions.url ?? request.url;
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
    const path = routedPath(request);
    if (!path.startsWith('/api/v1')) return;
    const header = request.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    const scope = scopeOf(path);
    if (sameToken(presented, tokens.all) || sameToken(presented, tokens[scope])) return;
    const other: Scope = scope === 'ingest' ? 'query' : 'ingest';
    if (sameToken(presented, tokens[other])) throw httpError(403, `this token may only ${other === 'ingest' ? 'ingest' : 'query'}; ${request.url.split('?')[0]} needs the ${scope} scope`);
    throw httpError(401, 'missing or wrong bearer token');
  });
}
