/**
 * Redraw benchmark for the geo-topology panel (not a test: timings depend on the machine and its load).
 * Builds the deterministic fixture with 2,000 links (≈4,000 directional arcs) and times, per frame,
 * on a real Skia raster canvas (@napi-rs/canvas; a pixel is read back so lazy rasterisation is counted):
 *   - full redraw after a zoom step: scene layout + country map + arcs at full quality (what the
 *     panel draws once the map is still; the "2,000 edges redraw in under 100 ms");
 *   - interactive redraw while dragging/zooming: layout + map + 1 px arcs;
 *   - hover redraw: only the highlight layer (the arcs of the hovered node), the rest stays drawn;
 *   - animation frame: the moving dashes on the busiest arcs (the only layer redrawn per frame);
 *   - reference: map + every arc as one 1 px path, the least any drawing of these arcs costs on this
 *     rasteriser; "full / reference" is the overhead of halos, widths, arrows and ◆ markers.
 * CPU time (process.cpuUsage) is the work itself; wall time also counts waiting for a CPU that other
 * jobs share. Each pass zooms in 15 steps and out 15 steps; BENCH_REPEAT passes (default 5), p50 and
 * p95 per pass, and the median over passes reported.
 *
 *   npm run bench:map                      (all passes, then writes the geo-map section of docs/benchmarks.md)
 *   npx tsx src/panels/geo-topology/bench.ts [links=2000] [frames=30] [width=1920] [height=1080]   (prints only)
 */
import './benchGlobals';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import { cpus, loadavg, totalmem } from 'os';
import path from 'path';
import { createCanvas, Path2D as SkiaPath2D } from '@napi-rs/canvas';
import { buildTopologyFixture } from './fixtures/topologyFrames';
import { animatedArcs, drawArcs, drawBaseMap, drawFlowDashes, prepareBaseMap } from './layout/draw';
import { parseTopologyFrames } from './layout/parseFrames';
import { fitProjection } from './layout/projection';
import { buildScene, Scene } from './layout/scene';
import { Thresholds } from './layout/thresholds';
import { IDENTITY, zoomAround } from './layout/viewTransform';
import { DEFAULT_OPTIONS, FitMode, ProjectionKind } from './types';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RECORD = process.argv.includes('--record');
const LINKS = Number(args[0] ?? 2000);
const FRAMES = Number(args[1] ?? 30);
const WIDTH = Number(args[2] ?? 1920);
const HEIGHT = Number(args[3] ?? 1080);
const PASSES = Number(process.env.BENCH_REPEAT ?? 5);
const TARGET_MS = 100;
const Path = SkiaPath2D as unknown as typeof Path2D;

interface Sample {
  wall: number;
  cpu: number;
}

function measure(fn: () => void): Sample {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const used = process.cpuUsage(cpu0);
  return { wall: performance.now() - t0, cpu: (used.user + used.system) / 1000 };
}

const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
};
const median = (xs: number[]) => percentile(xs, 0.5);

const fixture = buildTopologyFixture({ seed: 7, extraNodes: 150, extraLinks: LINKS });
const parsed = parseTopologyFrames(fixture.frames);
const projection = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: WIDTH, height: HEIGHT, padding: 12 });
// Stable functions for the whole run, as the panel memoises them (per projection, per theme).
const project = (c: [number, number]) => projection(c);
const resolveColor = (name: string) => name;
const canvas = createCanvas(WIDTH, HEIGHT);
const ctx = canvas.getContext('2d') as unknown as CanvasRenderingContext2D;
const paths = prepareBaseMap(projection, Path);
const thresholds = parsed.rateFieldAB?.config.thresholds as Thresholds | undefined;
const colors = { background: '#111217', land: '#262a33', borders: '#3d4250' };
const style = { markBorderCrossing: true, borderColor: 'purple', Path };
const flush = () => ctx.getImageData(0, 0, 1, 1);

const sceneAt = (transform: typeof IDENTITY): Scene =>
  buildScene({
    model: parsed.model,
    project,
    transform,
    width: WIDTH,
    height: HEIGHT,
    options: DEFAULT_OPTIONS,
    expanded: new Set(),
    thresholds,
    resolveColor,
    fontSize: 12,
  });

const KINDS = ['full', 'fast', 'hover', 'layout', 'flow', 'reference'] as const;
type Kind = (typeof KINDS)[number];

function runPass(): Record<Kind, Sample[]> {
  const samples = Object.fromEntries(KINDS.map((k) => [k, [] as Sample[]])) as Record<Kind, Sample[]>;
  let transform = IDENTITY;
  for (let frame = 0; frame < FRAMES; frame++) {
    // Each frame is one zoom step, as while scrolling: the whole layout is recomputed.
    transform = zoomAround(transform, { x: WIDTH * 0.3, y: HEIGHT * 0.4 }, frame < FRAMES / 2 ? 1.08 : 1 / 1.08, WIDTH, HEIGHT);
    let scene = sceneAt(transform);
    samples.full.push(
      measure(() => {
        scene = sceneAt(transform);
        drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
        drawArcs(ctx, scene.arcs, WIDTH, HEIGHT, 1, style);
        flush();
      })
    );
    samples.fast.push(
      measure(() => {
        scene = sceneAt(transform);
        drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
        drawArcs(ctx, scene.arcs, WIDTH, HEIGHT, 1, { ...style, quality: 'fast' });
        flush();
      })
    );
    samples.reference.push(
      measure(() => {
        drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
        ctx.lineWidth = 1;
        ctx.strokeStyle = '#73bf69';
        const all = new Path();
        for (const a of scene.arcs) {
          all.moveTo(a.arc.p0.x, a.arc.p0.y);
          all.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
        }
        ctx.stroke(all);
        flush();
      })
    );
    samples.layout.push(measure(() => (scene = sceneAt(transform))));
    // Hovering the busiest place: only its arcs are drawn again, on the highlight layer.
    const hub = scene.nodes.reduce((a, b) => (b.total > a.total ? b : a));
    const highlighted = scene.arcs.filter((a) => a.from === hub.id || a.to === hub.id);
    samples.hover.push(
      measure(() => {
        drawArcs(ctx, highlighted, WIDTH, HEIGHT, 1, style);
        flush();
      })
    );
    const moving = animatedArcs(scene.arcs, 150);
    samples.flow.push(
      measure(() => {
        drawFlowDashes(ctx, moving, WIDTH, HEIGHT, 1, { offset: frame * 2, color: '#ffffff', Path });
        flush();
      })
    );
  }
  return samples;
}

const LABELS: Record<Kind, string> = {
  full: 'full redraw (layout + map + full arcs)',
  fast: 'interactive redraw (layout + map + 1 px arcs)',
  hover: 'hover redraw (highlight layer only)',
  layout: 'scene layout only',
  flow: 'animation frame (dashes on 150 busiest)',
  reference: 'reference: map + all arcs as one 1 px path',
};

const loadBefore = loadavg();
const arcsPerFrame = sceneAt(IDENTITY).arcs.length;
console.log(`load average: ${loadBefore.map((l) => l.toFixed(1)).join(' ')} (${cpus().length} cores, shared with other jobs)`);
console.log(`${parsed.model.nodes.length} nodes, ${parsed.model.links.length} links, ${arcsPerFrame} directional arcs, ${WIDTH}x${HEIGHT}, ${PASSES} passes x ${FRAMES} frames`);
runPass(); // warm-up: JIT, glyph caches, the scene cache
const passes: Array<Record<Kind, Sample[]>> = [];
for (let p = 0; p < PASSES; p++) {
  passes.push(runPass());
  process.stdout.write(`pass ${p + 1}/${PASSES}: full redraw cpu p50 ${median(passes[p].full.map((s) => s.cpu)).toFixed(1)} ms\n`);
}
const loadAfter = loadavg();

interface Row {
  kind: Kind;
  cpuP50: number;
  cpuP50Range: [number, number];
  cpuP95: number;
  wallP50: number;
  wallP95: number;
}
const rows: Row[] = KINDS.map((kind) => {
  const cpuP50s = passes.map((p) => median(p[kind].map((s) => s.cpu)));
  return {
    kind,
    cpuP50: median(cpuP50s),
    cpuP50Range: [Math.min(...cpuP50s), Math.max(...cpuP50s)],
    cpuP95: median(passes.map((p) => percentile(p[kind].map((s) => s.cpu), 0.95))),
    wallP50: median(passes.map((p) => median(p[kind].map((s) => s.wall)))),
    wallP95: median(passes.map((p) => percentile(p[kind].map((s) => s.wall), 0.95))),
  };
});
const byKind = Object.fromEntries(rows.map((r) => [r.kind, r])) as Record<Kind, Row>;
const f1 = (n: number) => n.toFixed(1);
for (const r of rows) {
  console.log(
    `${LABELS[r.kind].padEnd(48)} cpu p50 ${f1(r.cpuP50).padStart(6)} ms (${f1(r.cpuP50Range[0])}–${f1(r.cpuP50Range[1])})  p95 ${f1(r.cpuP95).padStart(6)} ms   wall p50 ${f1(r.wallP50).padStart(6)} ms  p95 ${f1(r.wallP95).padStart(6)} ms`
  );
}
const ratio = byKind.full.cpuP50 / byKind.reference.cpuP50;
/** The target judged on the work (CPU) at p50 and p95, and on wall time, which a busy machine inflates. */
function verdict(r: Row): string {
  const mark = (v: number) => (v < TARGET_MS ? 'met' : 'missed');
  return `< ${TARGET_MS} ms: CPU p50 ${mark(r.cpuP50)}, CPU p95 ${mark(r.cpuP95)}, wall p50 ${mark(r.wallP50)}`;
}
console.log(`full / reference (cpu p50): ${ratio.toFixed(2)}x; target full redraw ${verdict(byKind.full)}`);

if (RECORD) {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const table = rows
    .map(
      (r) =>
        `| ${LABELS[r.kind]} | ${f1(r.cpuP50)} (${f1(r.cpuP50Range[0])}–${f1(r.cpuP50Range[1])}) | ${f1(r.cpuP95)} | ${f1(r.wallP50)} | ${f1(r.wallP95)} | ${
          r.kind === 'full' ? verdict(r) : '—'
        } |`
    )
    .join('\n');
  writeSection(
    'geo-map',
    `## Geo-topology map redraw: \`npm run bench:map\`

Measured ${when} UTC on ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Skia raster canvas (@napi-rs/canvas).
${parsed.model.nodes.length} places, ${parsed.model.links.length} links = ${arcsPerFrame} directional arcs (seeded fixture, most of them crossing a border: the
costliest case for halos and ◆ markers), ${WIDTH}×${HEIGHT}. One warm-up pass, then ${PASSES} passes of ${FRAMES} zoom steps (15 in, 15 out);
p50 = median over passes of each pass's p50 (range over passes in brackets), p95 = median of the passes' p95; times in ms.
CPU time is the work itself; wall time also counts waiting for a CPU shared with other jobs (load average
${loadBefore.map((l) => l.toFixed(1)).join(' ')} before, ${loadAfter.map((l) => l.toFixed(1)).join(' ')} after, on ${cpus().length} cores): expect noise.
Full redraw / reference (map + all arcs as one 1 px path) = **${ratio.toFixed(2)}×** (CPU p50).

| frame | CPU p50 | CPU p95 | wall p50 | wall p95 | target |
|---|---|---|---|---|---|
${table}`
  );
  console.log('docs/benchmarks.md: section geo-map written');
}

/** Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` in docs/benchmarks.md. */
function writeSection(name: string, markdown: string) {
  const doc = path.resolve(__dirname, '../../../docs/benchmarks.md');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(doc) ? readFileSync(doc, 'utf8') : '# FlowAtlas benchmarks\n';
  const block = `${start}\n${markdown.trim()}\n${end}`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  writeFileSync(doc, a >= 0 && b > a ? text.slice(0, a) + block + text.slice(b + end.length) : `${text.trimEnd()}\n\n${block}\n`);
}
