import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Content types of what the playground build emits. */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
};

/**
 * Serves the built playground page (`npm run build:playground`) under /playground/ from `dir`.
 * Only regular files inside `dir` are served: decoded paths that climb out of it (`..`, encoded
 * slashes, absolute paths) and unknown extensions get a 404, as does everything when not built.
 */
export function playgroundRoutes(app: FastifyInstance, dir: string): void {
  const root = path.resolve(dir);

  const sendFile = async (reply: FastifyReply, relative: string) => {
    const file = path.resolve(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'not found' });
    }
    const type = TYPES[path.extname(file).toLowerCase()];
    const info = type ? await stat(file).catch(() => null) : null;
    if (!info?.isFile()) {
      const hint = relative === 'index.html' ? ' (the playground is not built: run `npm run build:playground`)' : '';
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: `playground file not found${hint}` });
    }
    // index.html must be re-read after a rebuild; the bundle names are stable, so no long caching either.
    return reply.header('content-type', type).header('cache-control', 'no-cache').header('content-length', info.size).send(createReadStream(file));
  };

  app.get('/playground', async (_request, reply) => reply.redirect('/playground/'));
  app.get('/playground/', async (_request, reply) => sendFile(reply, 'index.html'));
  app.get('/playground/*', async (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'];
    let relative: string;
    try {
      relative = decodeURIComponent(wildcard);
    } catch {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'not found' });
    }
    if (relative.includes('\0') || relative.includes('\\') || path.isAbsolute(relative)) {
      return reply.status(404).send({ statusCode: 404, error: 'Not Found', message: 'not found' });
    }
    return sendFile(reply, relative === '' ? 'index.html' : relative);
  });
}
