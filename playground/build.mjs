/**
 * Builds the playground page with esbuild: playground/src → playground/dist (git-ignored through
 * `dist/`). Also copies @grafana/ui's icon SVGs, which its <Icon> fetches at run time.
 * Usage: node playground/build.mjs [--dev]
 */
import { build } from 'esbuild';
import { cp, mkdir, rm, copyFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, 'dist');
const dev = process.argv.includes('--dev');
const require = createRequire(import.meta.url);

const started = Date.now();
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [path.join(here, 'src', 'main.tsx')],
  outfile: path.join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110'],
  jsx: 'automatic',
  minify: !dev,
  sourcemap: dev ? 'inline' : false,
  logLevel: 'warning',
  define: {
    'process.env.NODE_ENV': JSON.stringify(dev ? 'development' : 'production'),
    global: 'globalThis',
  },
  loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file', '.gif': 'file' },
  assetNames: 'assets/[name]-[hash]',
  // @grafana/ui references a few Node built-ins in code paths a browser never takes.
  external: [],
});
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
const uiPublic = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');
await cp(uiPublic, path.join(out, 'public', 'img', 'icons'), { recursive: true });
console.log(`[playground] built ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
