import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance } from 'fastify';
import { isQueryTimeout } from '../db/pool.js';

/** Extra, safe-to-show detail a client error may carry (where in the request it went wrong). */
const DETAIL_KEYS = ['field', 'line', 'column', 'expected', 'offset'] as const;

/**
 * One error handler: 4xx answers say what and where; 5xx answers are generic, and the details
 * (never the SQL parameters) go to the log only.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError & Record<string, unknown>, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) {
      if (!isQueryTimeout(err)) request.log.error({ err }, 'request failed');
      // A query stopped by the time limit is something the client can act on, not a crash.
      if (isQueryTimeout(err)) {
        return reply.status(503).send({ statusCode: 503, error: 'Service Unavailable', message: 'the query took longer than the configured time limit and was cancelled' });
      }
      return reply.status(status).send({ statusCode: status, error: 'Internal Server Error', message: 'internal error; see the proxy log' });
    }
    const body: Record<string, unknown> = { statusCode: status, error: STATUS_CODES[status] ?? 'Bad Request', message: err.message };
    for (const key of DETAIL_KEYS) if (err[key] !== undefined && err[key] !== null) body[key] = err[key];
    return reply.status(status).send(body);
  });
}

/** An error with an HTTP status and optional location detail, for routes to throw. */
export function httpError(statusCode: number, message: string, detail: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { statusCode, ...detail });
}
