/**
 * Development server for the playground when the proxy does not serve it: the built page from
 * playground/dist, and /api/* forwarded to a running FlowAtlas proxy.
 * Usage: FLOWATLAS_URL=http://127.0.0.1:8080 node playground/serve.mjs [port]
 */
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf' };

export function startPlaygroundServer({ proxyUrl, port = 0, dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'dist') }) {
  const root = path.resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname.startsWith('/api/')) {
        const chunks = [];
        for await (const c of req) chunks.push(c);
        const upstream = await fetch(new URL(url.pathname + url.search, proxyUrl), {
          method: req.method,
          headers: { 'content-type': req.headers['content-type'] ?? 'application/json', accept: 'application/json' },
          body: chunks.length ? Buffer.concat(chunks) : undefined,
        });
        res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
        res.end(Buffer.from(await upstream.arrayBuffer()));
        return;
      }
      if (url.pathname === '/' || url.pathname === '/playground') {
        res.writeHead(302, { location: '/playground/' }).end();
        return;
      }
      const relative = decodeURIComponent(url.pathname.replace(/^\/playground\/?/, '')) || 'index.html';
      const file = path.resolve(root, relative);
      const type = TYPES[path.extname(file)];
      if (!file.startsWith(root + path.sep) || !type || !(await stat(file).catch(() => null))?.isFile()) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' }).end(await readFile(file));
    } catch (err) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}` })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await startPlaygroundServer({ proxyUrl: process.env.FLOWATLAS_URL ?? 'http://127.0.0.1:8080', port: Number(process.argv[2] ?? 8688) });
  console.log(`playground: ${url}/playground/`);
}
