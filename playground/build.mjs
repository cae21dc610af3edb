/**
 * Builds the playground page with esbuild: playground/src → playground/dist (git-ignored through
 * `dist/`). Also copies @grafana/ui's icon SVGs, which its <Icon> fetches at run time, and the fonts
 * its GlobalStyles declare.
 * Usage: node playground/build.mjs [--dev]
 */
import { build } from 'esbuild';
import { cp, mkdir, readFile, rm, copyFile } from 'node:fs/promises';
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
await shipGrafanaFonts();
console.log(`[playground] built ${path.relative(process.cwd(), out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);

/**
 * GlobalStyles declares Grafana's fonts (Inter for text, Roboto Mono for code such as Show SQL)
 * under public/fonts/; Grafana core ships those files, @fontsource has the same fonts (latin
 * subset). The list is read from @grafana/ui itself, so an upgrade that asks for a font not
 * shipped here fails the build instead of a 404 in the browser.
 */
async function shipGrafanaFonts() {
  const files = (pkg) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'files');
  const SOURCES = {
    'inter/Inter-Regular.woff2': path.join(files('@fontsource/inter'), 'inter-latin-400-normal.woff2'),
    'inter/Inter-Medium.woff2': path.join(files('@fontsource/inter'), 'inter-latin-500-normal.woff2'),
    // Grafana serves Google's latin Roboto Mono subset under its Google file name for weights 400 and 500
    'roboto/L0xTDF4xlVMF-BfR8bXMIhJHg45mwgGEFl0_3vrtSM1J-gEPT5Ese6hmHSh0mQ.woff2': path.join(files('@fontsource/roboto-mono'), 'roboto-mono-latin-400-normal.woff2'),
  };
  const declared = path.join(path.dirname(require.resolve('@grafana/ui/package.json')), 'dist', 'esm', 'themes', 'GlobalStyles', 'fonts.mjs');
  const wanted = [...new Set([...(await readFile(declared, 'utf8')).matchAll(/\$\{fontRoot\}([^'"`)]+)/g)].map((m) => m[1]))];
  if (wanted.length === 0) throw new Error(`no font URLs found in ${declared}: update shipGrafanaFonts`);
  for (const font of wanted) {
    if (!SOURCES[font]) throw new Error(`@grafana/ui asks for public/fonts/${font}, which the playground does not ship: add it to shipGrafanaFonts`);
    await mkdir(path.join(out, 'public', 'fonts', path.dirname(font)), { recursive: true });
    await copyFile(SOURCES[font], path.join(out, 'public', 'fonts', font));
  }
}
