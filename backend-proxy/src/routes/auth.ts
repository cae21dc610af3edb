import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { httpError } from './errors.js';

/** When a token is configured, every /api/v1 call must present it as a Bearer token. */
export function installAuth(app: FastifyInstance, token: string | null): void {
  if (!token) return;
  const expected = Buffer.from(token);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1')) return;
    const header = request.headers.authorization ?? '';
    const presented = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
    // Constant-time comparison: response timing must not leak how much of the token matched.
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
      throw httpError(401, 'missing or wrong bearer token');
    }
  });
}
