/**
 * Redraw benchmark for the geo-topology panel (not a test: timings depend on the machine and its load).
 * Builds the deterministic fixture with 2,000 links (4,000 directional arcs) and times, per frame,
 * on a real Skia raster canvas (@napi-rs/canvas; a pixel is read back so lazy rasterisation is counted):
 *   - full redraw after a pan/zoom step: scene layout + country map + arcs at full quality;
 *   - interactive redraw while dragging/zooming: layout + map + 1 px arcs (what the panel draws then);
 *   - animation frame: the moving dashes on the busiest arcs (the only layer redrawn per frame).
 * Wall time includes waiting for a busy CPU; CPU time is the work itself.
 *
 *   npx tsx src/panels/geo-topology/bench.ts [links=2000] [frames=20] [width=1920] [height=1080]
 */
import './benchGlobals';
import { loadavg } from 'os';
import { createCanvas, Path2D as SkiaPath2D } from '@napi-rs/canvas';
import { buildTopologyFixture } from './fixtures/topologyFrames';
import { animatedArcs, drawArcs, drawBaseMap, drawFlowDashes, prepareBaseMap } from './layout/draw';
import { parseTopologyFrames } from './layout/parseFrames';
import { fitProjection } from './layout/projection';
import { buildScene } from './layout/scene';
import { Thresholds } from './layout/thresholds';
import { zoomAround } from './layout/viewTransform';
import { DEFAULT_OPTIONS, FitMode, ProjectionKind } from './types';

const LINKS = Number(process.argv[2] ?? 2000);
const FRAMES = Number(process.argv[3] ?? 20);
const WIDTH = Number(process.argv[4] ?? 1920);
const HEIGHT = Number(process.argv[5] ?? 1080);
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

function report(name: string, samples: Sample[]) {
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const wall = samples.map((s) => s.wall);
  const cpu = samples.map((s) => s.cpu);
  console.log(
    `${name.padEnd(44)} wall p50 ${pct(wall, 50).toFixed(0).padStart(5)} ms  p95 ${pct(wall, 95).toFixed(0).padStart(5)} ms   cpu p50 ${pct(cpu, 50)
      .toFixed(0)
      .padStart(5)} ms  p95 ${pct(cpu, 95).toFixed(0).padStart(5)} ms`
  );
}

const fixture = buildTopologyFixture({ seed: 7, extraNodes: 150, extraLinks: LINKS });
const parsed = parseTopologyFrames(fixture.frames);
const projection = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: WIDTH, height: HEIGHT, padding: 12 });
const canvas = createCanvas(WIDTH, HEIGHT);
const ctx = canvas.getContext('2d') as unknown as CanvasRenderingContext2D;
const paths = prepareBaseMap(projection, Path);
const thresholds = parsed.rateFieldAB?.config.thresholds as Thresholds | undefined;
const colors = { background: '#111217', land: '#262a33', borders: '#3d4250' };
const flush = () => ctx.getImageData(0, 0, 1, 1);

console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (this machine has 2 cores)`);
console.log(`${parsed.model.nodes.length} nodes, ${parsed.model.links.length} links, ${WIDTH}x${HEIGHT}, ${FRAMES} frames each`);

let transform = { k: 1, x: 0, y: 0 };
const scenes = () => {
  // Each frame is one zoom step, as while scrolling: the whole layout is recomputed.
  return buildScene({
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
};
const step = (frame: number) =>
  (transform = zoomAround(transform, { x: WIDTH * 0.3, y: HEIGHT * 0.4 }, frame < FRAMES / 2 ? 1.08 : 1 / 1.08, WIDTH, HEIGHT));

const layout: Sample[] = [];
const full: Sample[] = [];
const fast: Sample[] = [];
const flow: Sample[] = [];
let arcs = 0;
for (let frame = 0; frame < FRAMES; frame++) {
  step(frame);
  let scene = scenes();
  layout.push(measure(() => (scene = scenes())));
  arcs = scene.arcs.length;
  full.push(
    measure(() => {
      scene = scenes();
      drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
      drawArcs(ctx, scene.arcs, WIDTH, HEIGHT, 1, { markBorderCrossing: true, borderColor: 'purple', Path });
      flush();
    })
  );
  fast.push(
    measure(() => {
      scene = scenes();
      drawBaseMap(ctx, paths, transform, WIDTH, HEIGHT, 1, colors);
      drawArcs(ctx, scene.arcs, WIDTH, HEIGHT, 1, { markBorderCrossing: true, borderColor: 'purple', Path, quality: 'fast' });
      flush();
    })
  );
  const moving = animatedArcs(scene.arcs, 150);
  flow.push(
    measure(() => {
      drawFlowDashes(ctx, moving, WIDTH, HEIGHT, 1, { offset: frame * 2, color: '#ffffff', Path });
      flush();
    })
  );
}
console.log(`${arcs} directional arcs per frame`);
report('scene layout only', layout);
report('full redraw (layout + map + full arcs)', full);
report('interactive redraw (layout + map + 1px arcs)', fast);
report('animation frame (dashes on 150 busiest)', flow);
