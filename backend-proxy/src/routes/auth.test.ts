import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import { loadConfig } from '../config.js';
import { installAuth, scopeOf, type ApiTokens } from './auth.js';
import { installErrorHandler } from './errors.js';

/** A bare app with one route per scope, so the hook is tested without a database. */
async function appWith(tokens: ApiTokens) {
  const app = Fastify();
  installErrorHandler(app);
  installAuth(app, tokens);
  app.post('/api/v1/ingest/aws-vpc', async () => ({ ok: 'ingest' }));
  app.get('/api/v1/dead-letters', async () => ({ ok: 'dead letters' }));
  app.post('/api/v1/query', async () => ({ ok: 'query' }));
  app.get('/api/health', async () => ({ ok: 'health' }));
  await app.ready();
  return app;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

test('routes are scoped: writing flows and dead letters is ingest, the rest of /api/v1 is query', () => {
  assert.equal(scopeOf('/api/v1/ingest?source=x'), 'ingest');
  assert.equal(scopeOf('/api/v1/ingest/azure-nsg'), 'ingest');
  assert.equal(scopeOf('/api/v1/dead-letters/replay'), 'ingest');
  assert.equal(scopeOf('/api/v1/query'), 'query');
  assert.equal(scopeOf('/api/v1/dimensions/src_ip/values?prefix=10'), 'query');
  assert.equal(scopeOf('/api/v1/filter/validate'), 'query');
});

test('no token configured: the API is open (the proxy then listens on loopback only)', async () => {
  const app = await appWith({ all: null, ingest: null, query: null });
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/query' })).statusCode, 200);
  assert.equal(loadConfig({ FLOWATLAS_HOST: '0.0.0.0' }).host, '127.0.0.1');
  await app.close();
});

test('FLOWATLAS_TOKEN opens every scope; a missing or wrong token is 401; health stays open', async () => {
  const app = await appWith({ all: 's3cret', ingest: null, query: null });
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/query', headers: bearer('s3cret') })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc', headers: bearer('s3cret') })).statusCode, 200);
  const missing = await app.inject({ method: 'POST', url: '/api/v1/query' });
  assert.equal(missing.statusCode, 401);
  assert.equal(missing.json().error, 'Unauthorized');
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/query', headers: bearer('s3cre') })).statusCode, 401);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/query', headers: { authorization: 's3cret' } })).statusCode, 401);
  assert.equal((await app.inject({ method: 'GET', url: '/api/health' })).statusCode, 200);
  await app.close();
});

test('an ingest token cannot read flows, a query token cannot write them (403 naming the scope)', async () => {
  const app = await appWith({ all: null, ingest: 'shipper-token', query: 'grafana-token' });
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc', headers: bearer('shipper-token') })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/dead-letters', headers: bearer('shipper-token') })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/query', headers: bearer('grafana-token') })).statusCode, 200);

  const read = await app.inject({ method: 'POST', url: '/api/v1/query', headers: bearer('shipper-token') });
  assert.equal(read.statusCode, 403);
  assert.equal(read.json().error, 'Forbidden');
  assert.match(read.json().message, /may only ingest; \/api\/v1\/query needs the query scope/);
  const write = await app.inject({ method: 'POST', url: '/api/v1/ingest/aws-vpc?source=a', headers: bearer('grafana-token') });
  assert.equal(write.statusCode, 403);
  assert.match(write.json().message, /may only query; \/api\/v1\/ingest\/aws-vpc needs the ingest scope/);
  await app.close();
});

test('a scoped token alone secures the API and lets the proxy listen beyond loopback', () => {
  const config = loadConfig({ FLOWATLAS_QUERY_TOKEN: 'grafana-token' });
  assert.equal(config.host, '0.0.0.0');
  assert.deepEqual(config.tokens, { all: null, ingest: null, query: 'grafana-token' });
});

test('percent-escapes in the path (decoded by the router) do not get around the token or its scope', async () => {
  // The hook read the raw URL: /%61pi/v1/query answered flows without any token, and a query token
  // could write through /api/v1/%69ngest/… and /api/v1/dead-letter%73.
  const app = await appWith({ all: null, ingest: 'shipper-token', query: 'grafana-token' });
  for (const url of ['/%61pi/v1/query', '/api/%761/query', '/api/v1/%71uery', '/%61pi/v1/ingest/aws-vpc']) {
    assert.equal((await app.inject({ method: 'POST', url })).statusCode, 401, url);
  }
  assert.equal((await app.inject({ method: 'POST', url: '/%61pi/v1/query', headers: bearer('grafana-token') })).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/%61pi/v1/query', headers: bearer('shipper-token') })).statusCode, 403);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/%69ngest/aws-vpc', headers: bearer('grafana-token') })).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/api/v1/dead-letter%73', headers: bearer('grafana-token') })).statusCode, 403);
  assert.equal((await app.inject({ method: 'POST', url: '/api/v1/%69ngest/aws-vpc', headers: bearer('shipper-token') })).statusCode, 200);
  assert.equal((await app.inject({ method: 'GET', url: '/api/healt%68' })).statusCode, 200);
  await app.close();
});
