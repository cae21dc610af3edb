import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import { playgroundRoutes } from './playground.js';

describe('playground routes', () => {
  let dir: string;
  let outside: string;
  const app = Fastify();

  before(async () => {
    const base = await mkdtemp(path.join(tmpdir(), 'flowatlas-playground-'));
    dir = path.join(base, 'dist');
    outside = path.join(base, 'secret.js');
    await mkdir(path.join(dir, 'public', 'img'), { recursive: true });
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>pg</title>');
    await writeFile(path.join(dir, 'app.js'), 'console.log(1)');
    await writeFile(path.join(dir, 'public', 'img', 'a.svg'), '<svg/>');
    await writeFile(outside, 'must not leak');
    playgroundRoutes(app, dir);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('redirects /playground to the folder and serves index.html there', async () => {
    const redirect = await app.inject({ url: '/playground' });
    assert.equal(redirect.statusCode, 302);
    assert.equal(redirect.headers.location, '/playground/');
    const page = await app.inject({ url: '/playground/' });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.equal(page.body, '<!doctype html><title>pg</title>');
  });

  it('serves assets with their content type', async () => {
    const js = await app.inject({ url: '/playground/app.js' });
    assert.equal(js.statusCode, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.equal(js.body, 'console.log(1)');
    const svg = await app.inject({ url: '/playground/public/img/a.svg' });
    assert.equal(svg.headers['content-type'], 'image/svg+xml');
  });

  it('never serves a file outside the folder', async () => {
    for (const url of ['/playground/../secret.js', '/playground/%2e%2e/secret.js', '/playground/%2E%2E%2Fsecret.js', '/playground/public/..%2f..%2fsecret.js', '/playground/%252e%252e%252fsecret.js', '/playground/..%5csecret.js']) {
      const res = await app.inject({ url });
      assert.notEqual(res.statusCode, 200, url);
      assert.doesNotMatch(res.body, /must not leak/, url);
    }
  });

  it('answers 404 for missing files, directories and unknown types', async () => {
    assert.equal((await app.inject({ url: '/playground/nope.js' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/playground/public' })).statusCode, 404);
    assert.equal((await app.inject({ url: '/playground/public/img/a.exe' })).statusCode, 404);
  });

  it('says how to build when the page is not built', async () => {
    const empty = Fastify();
    playgroundRoutes(empty, path.join(dir, 'does-not-exist'));
    const res = await empty.inject({ url: '/playground/' });
    assert.equal(res.statusCode, 404);
    assert.match(res.json().message, /npm run build:playground/);
    await empty.close();
  });
});
