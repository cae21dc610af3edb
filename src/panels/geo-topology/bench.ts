/**
 * Redraw benchmark for the geo-topology panel (not a test: timings depend on the machine).
 * Builds the deterministic fixture with 2,000 links, then times, per frame: scene layout
 * (projection, clustering, arcs, labels) and drawing the map and all arcs on a real Skia canvas
 * (@napi-rs/canvas, the same rasteriser family as Chromium's canvas).
 *
 *   npx tsx src/panels/geo-topology/bench.ts [links=2000] [frames=30]
 */
import './benchGlobals';
import { loadavg } from 'os';
import { createCanvas, Path2D as SkiaPath2D } from '@napi-rs/canvas';
import { buildTopologyFixture } from './fixtures/topologyFrames';
import { drawArcs, drawBaseMap, prepareBaseMap } from './layout/draw';
import { parseTopologyFrames } from './layout/parseFrames';
import { fitProjection } from './layout/projection';
import { buildScene } from './layout/scene';
import { Thresholds } from './layout/thresholds';
import { zoomAround } from './layout/viewTransform';
import { DEFAULT_OPTIONS, FitMode, ProjectionKind } from './types';

const LINKS = Number(process.argv[2] ?? 2000);
const FRAMES = Number(process.argv[3] ?? 30);
const WIDTH = 1920;
const HEIGHT = 1080;

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function stats(name: string, samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  console.log(`${name.padEnd(34)} p50 ${percentile(s, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(s, 95).toFixed(1).padStart(6)} ms   max ${s[s.length - 1].toFixed(1).padStart(6)} ms`);
}

const t0 = performance.now();
const fixture = buildTopologyFixture({ seed: 7, extraNodes: 150, extraLinks: LINKS });
const parsed = parseTopologyFrames(fixture.frames);
const tParse = performance.now() - t0;
console.log(`fixture: ${parsed.model.nodes.length} nodes, ${parsed.model.links.length} links (${LINKS} requested), built+parsed in ${tParse.toFixed(0)} ms`);

const projection = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: WIDTH, height: HEIGHT, padding: 12 });
const canvas = createCanvas(WIDTH, HEIGHT);
const ctx = canvas.getContext('2d') as unknown as CanvasRenderingContext2D;
const tPrep = performance.now();
const paths = prepareBaseMap(projection, SkiaPath2D as unknown as typeof Path2D);
console.log(`base map Path2D prepared once per resize in ${(performance.now() - tPrep).toFixed(1)} ms`);

const thresholds = parsed.rateFieldAB?.config.thresholds as Thresholds | undefined;
const colors = { background: '#111217', land: '#262a33', borders: '#3d4250' };
const layout: number[] = [];
const base: number[] = [];
const arcsOnly: number[] = [];
const total: number[] = [];
const cpu: number[] = [];
let transform = { k: 1, x: 0, y: 0 };
let arcCount = 0;
for (let frame = 0; frame < FRAMES; frame++) {
  // Every frame is a zoom step, as while the user scrolls: layout and both layers are redone.
  transform = zoomAround(transform, { x: WIDTH * 0.3, y: HEIGHT * 0.4 }, frame < FRAMES / 2 ? 1.08 : 1 / 1.08, WIDTH, HEIGHT);
  const cpu0 = process.cpuUsage();
  const a = performance.now();
  const scene = buildScene({
    model: parsed.model,
    project: (c) => projection(c),
    transform,
    width: WIDTH,
    height: HEIGHT,
    options: DEFAULT_OPTIONS,
    expanded: new Set(),
    thresholds,
    resolveColor: (c) => c,
    fontSize: 12,
  });
  const b = performance.now();
  drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
  const c = performance.now();
  drawArcs(ctx, scene.arcs, WIDTH, HEIGHT, 1, { markBorderCrossing: true, borderColor: 'purple', dashOffset: frame * 2, Path: SkiaPath2D as unknown as typeof Path2D });
  const d = performance.now();
  const used = process.cpuUsage(cpu0);
  cpu.push((used.user + used.system) / 1000);
  arcCount = scene.arcs.length;
  layout.push(b - a);
  base.push(c - b);
  arcsOnly.push(d - c);
  total.push(d - a);
}
console.log(`load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (2 cores: above ~2 the numbers include waiting for the CPU)`);
console.log(`${FRAMES} frames at ${WIDTH}x${HEIGHT}, ${arcCount} arcs drawn per frame (both directions of every link)`);
stats('scene layout', layout);
stats('base map (countries)', base);
stats('arcs (animation frame)', arcsOnly);
stats('full redraw (layout + map + arcs)', total);
// CPU time is what the redraw costs this process, without the time spent waiting for a busy core.
stats('full redraw, CPU time', cpu);
