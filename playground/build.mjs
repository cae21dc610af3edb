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

/**
 * @grafana/ui's ESM build re-exports type-only names as values ("No matching export"), which
 * webpack tolerates and esbuild rejects; their CommonJS builds are complete. All @grafana
 * packages go through CommonJS together so that there is one @grafana/data (one ThemeContext).
 */
const grafanaAsCommonJs = {
  name: 'grafana-cjs',
  setup(b) {
    b.onResolve({ filter: /^@grafana\/(data|ui|runtime|schema|e2e-selectors)(\/.*)?$/ }, async (args) => {
      if (args.pluginData === 'grafana-cjs') return undefined;
      const result = await b.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: 'grafana-cjs' });
      return result.errors.length ? { errors: result.errors } : { path: result.path };
    });
  },
};

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
  plugins: [grafanaAsCommonJs],
});
await copyFile(path.join(here, 'index.html'), path.join(out, 'index.html'));
const uiPublic = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'public', 'img', 'icons');
await cp(uiPublic, path.join(out, 'public', 'img', 'icons'), { recursive: true });
// Grafana serves its spinner icon from core, not from @grafana/ui's package: ship a small one.
await copyFile(path.join(here, 'static', 'spinner.svg'), path.join(out, 'public', 'img', 'icons', 'unicons', 'spinner.svg'));
// GlobalStyles declares Grafana's Inter font under public/fonts/inter/; Grafana core ships those
// files, @fontsource/inter has the same font (latin subset).
const inter = path.join(path.dirname(require.resolve('@fontsource/inter/package.json')), 'files');
await mkdir(path.join(out, 'public', 'fonts', 'inter'), { recursive: true });
await copyFile(path.join(inter, 'inter-latin-400-normal.woff2'), path.join(out, 'public', 'fonts', 'inter', 'Inter-Regular.woff2'));
await copyFile(path.join(inter, 'inter-latin-500-normal.woff2'), path.join(out, 'public', 'fonts', 'inter', 'Inter-Medium.woff2'));
console.log(`[playground] built ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
