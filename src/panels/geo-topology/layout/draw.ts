import { geoPath, GeoPermissibleObjects, GeoProjection } from 'd3-geo';
import { arrowHead, pointAt } from './arcs';
import { SceneArc } from './scene';
import { ViewTransform } from './viewTransform';
import { worldShapes } from './worldShapes';

export interface MapColors {
  background: string;
  land: string;
  borders: string;
  /** Country outline width in CSS px at any zoom (default 0.6; thicker on a wall screen). */
  borderWidth?: number;
}

/** Country fills and borders prepared once per projection; drawing then only replays them. */
export interface BaseMapPaths {
  land?: Path2D;
  borders?: Path2D;
  projection: GeoProjection;
}

/**
 * Path2D objects when the environment has them (browsers, skia-canvas in the benchmark): pan and zoom
 * then redraw the map with one fill and one stroke instead of re-projecting every country.
 */
export function prepareBaseMap(projection: GeoProjection, Path: typeof Path2D | undefined = globalThis.Path2D): BaseMapPaths {
  if (!Path) {
    return { projection };
  }
  const { countries, borders } = worldShapes();
  const toSvg = geoPath(projection);
  const land = countries.map((c) => toSvg(c as GeoPermissibleObjects) ?? '').join('');
  return { land: new Path(land), borders: new Path(toSvg(borders as GeoPermissibleObjects) ?? ''), projection };
}

export function drawBaseMap(
  ctx: CanvasRenderingContext2D,
  paths: BaseMapPaths,
  t: ViewTransform,
  width: number,
  height: number,
  dpr: number,
  colors: MapColors
) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, width, height);
  ctx.setTransform(dpr * t.k, 0, 0, dpr * t.k, dpr * t.x, dpr * t.y);
  ctx.fillStyle = colors.land;
  ctx.strokeStyle = colors.borders;
  ctx.lineWidth = (colors.borderWidth ?? 0.6) / t.k;
  if (paths.land && paths.borders) {
    ctx.fill(paths.land);
    ctx.stroke(paths.borders);
  } else {
    const { countries, borders } = worldShapes();
    const path = geoPath(paths.projection, ctx);
    ctx.beginPath();
    countries.forEach((c) => path(c as GeoPermissibleObjects));
    ctx.fill();
    ctx.beginPath();
    path(borders as GeoPermissibleObjects);
    ctx.stroke();
  }
  ctx.setTransform(1, 0, 0, 1, 0, 0);
}

export interface ArcStyle {
  markBorderCrossing: boolean;
  borderColor: string;
  /** Arcs to emphasise (hover, selection); the rest are dimmed when any is given. */
  highlight?: ReadonlySet<string>;
  /**
   * `full`: halos, arrowheads and border diamonds. `fast`: 1 px lines, crossing arcs in the border
   * colour, nothing else; drawn while the user drags or zooms, then replaced by `full` once still.
   */
  quality?: 'full' | 'fast';
  /**
   * How many of the busiest arcs get their width, halo and arrowhead (highlighted ones always do); the
   * rest are hairlines. Wide strokes cost several times a 1 px line to rasterise, and past a few hundred
   * arcs they only add clutter. Every crossing arc keeps its diamond whatever the budget.
   */
  detailLimit?: number;
  /** Path2D constructor (the browser's by default; the benchmark passes Skia's; null: direct path calls). */
  Path?: typeof Path2D | null;
}

interface StrokeGroup {
  color: string;
  width: number;
  alpha: number;
  arcs: SceneArc[];
}

/** Widths are rounded to half pixels so thousands of arcs fall into a few dozen strokes. */
const widthBucket = (w: number) => Math.max(0.5, Math.round(w * 2) / 2);

/**
 * Arcs batched into groups of equal style, thin before thick and dimmed before emphasised so heavy
 * and highlighted arcs end up on top. Numeric keys (colour index, half-pixel width, emphasis) keep
 * the per-arc cost at a Map lookup: no key strings built for thousands of arcs on every draw.
 */
class Groups {
  private readonly colorIndex = new Map<string, number>();
  private readonly groups = new Map<number, StrokeGroup>();

  add(a: SceneArc, color: string, width: number, alpha: number) {
    let ci = this.colorIndex.get(color);
    if (ci === undefined) {
      ci = this.colorIndex.size;
      this.colorIndex.set(color, ci);
    }
    const key = (ci * 4096 + width * 2) * 2 + (alpha < 0.5 ? 0 : 1);
    let g = this.groups.get(key);
    if (!g) {
      g = { color, width, alpha, arcs: [] };
      this.groups.set(key, g);
    }
    g.arcs.push(a);
  }

  sorted(): StrokeGroup[] {
    return [...this.groups.values()].sort((p, q) => p.alpha - q.alpha || p.width - q.width);
  }
}

function traceArcs(target: Path2D | CanvasRenderingContext2D, arcs: SceneArc[]) {
  for (const a of arcs) {
    target.moveTo(a.arc.p0.x, a.arc.p0.y);
    target.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
  }
}

/**
 * Hairline groups' paths, per array of arcs (the scene's, or the highlighted subset) and group:
 * redrawing the same scene (quality back to full after a drag, a resize of the page) only rasterises.
 */
const hairlinePaths = new WeakMap<SceneArc[], Map<string, Path2D>>();

/**
 * Strokes a group. Wide strokes of one huge path make the rasteriser outline and sort everything at
 * once (measured 2x slower than stroking each arc); hairlines take a fast path either way, so only
 * they are merged into one path.
 */
function strokeArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], Path: typeof Path2D | undefined, cache?: { of: SceneArc[]; key: string }) {
  if (ctx.lineWidth > 1) {
    for (const a of arcs) {
      ctx.beginPath();
      ctx.moveTo(a.arc.p0.x, a.arc.p0.y);
      ctx.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
      ctx.stroke();
    }
    return;
  }
  if (!Path) {
    ctx.beginPath();
    traceArcs(ctx, arcs);
    ctx.stroke();
    return;
  }
  let paths = cache && hairlinePaths.get(cache.of);
  let path = cache && paths?.get(cache.key);
  if (!path) {
    path = new Path();
    traceArcs(path, arcs);
    if (cache) {
      if (!paths) {
        paths = new Map();
        hairlinePaths.set(cache.of, paths);
      }
      paths.set(cache.key, path);
    }
  }
  ctx.stroke(path);
}

function fillArrowHeads(ctx: CanvasRenderingContext2D, arcs: SceneArc[], Path: typeof Path2D | undefined) {
  const target: Path2D | CanvasRenderingContext2D = Path ? new Path() : ctx;
  if (!Path) {
    ctx.beginPath();
  }
  for (const a of arcs) {
    const [tip, left, right] = arrowHead(a.arc, 0.75, Math.max(5, a.width * 2.2));
    target.moveTo(tip.x, tip.y);
    target.lineTo(left.x, left.y);
    target.lineTo(right.x, right.y);
    target.closePath();
  }
  if (Path) {
    ctx.fill(target as Path2D);
  } else {
    ctx.fill();
  }
}

/**
 * ◆ markers as squares in a frame turned by 45°: fillRect is the rasteriser's cheapest shape, so
 * thousands of markers cost a third of the same diamonds traced as one path.
 */
function fillDiamonds(ctx: CanvasRenderingContext2D, arcs: SceneArc[], sizeOf: (a: SceneArc) => number, dpr: number, width: number, height: number) {
  const c = Math.SQRT1_2 * dpr;
  ctx.setTransform(c, c, -c, c, 0, 0);
  for (const a of arcs) {
    const m = pointAt(a.arc, 0.5);
    const s = sizeOf(a);
    // Zoomed in, many arcs are on screen but their middle is not.
    if (m.x < -s || m.y < -s || m.x > width + s || m.y > height + s) {
      continue;
    }
    // Half-diagonal s: the turned square's side is s·√2.
    const side = s * Math.SQRT2;
    const u = Math.SQRT1_2 * (m.x + m.y);
    const v = Math.SQRT1_2 * (m.y - m.x);
    ctx.fillRect(u - side / 2, v - side / 2, side, side);
  }
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
}

/**
 * The busiest arcs drawn in full (width, halo, arrowhead); the panel animates the same number. A
 * wide stroke costs about four hairlines on a CPU rasteriser: 250 of them cost 2,000 arcs their
 * 100 ms budget (docs/benchmarks.md, geo-map), and past ~150 they mostly add clutter.
 */
export const DEFAULT_DETAIL_LIMIT = 150;

const onScreen = (a: SceneArc, width: number, height: number) =>
  a.bbox.x1 >= -10 && a.bbox.y1 >= -10 && a.bbox.x0 <= width + 10 && a.bbox.y0 <= height + 10;

/**
 * All arcs, batched by colour, (rounded) width and emphasis: one stroke per group. Crossing arcs get a
 * halo in the border colour underneath and a diamond at their middle, so "this left the country" reads
 * even where thresholds colour the line. Arrowheads show direction (each direction also keeps to the
 * right of its chord).
 */
export function drawArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], width: number, height: number, dpr: number, style: ArcStyle) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.lineCap = 'round';
  ctx.setLineDash([]);
  const Path = style.Path === null ? undefined : (style.Path ?? globalThis.Path2D);
  // Zoomed in, most arcs are off screen: skip them before any path is built.
  const visible = arcs.filter((a) => onScreen(a, width, height));
  const dimmed = !!style.highlight && style.highlight.size > 0;
  const alphaOf = (a: SceneArc) => (!dimmed || style.highlight!.has(a.key) ? 0.9 : 0.25);
  // A cached hairline path is valid for this very array and every input that decides which arcs
  // fall into the group: panel size (culling), detail budget, border marking, colour and emphasis.
  const limit = style.detailLimit ?? DEFAULT_DETAIL_LIMIT;
  const marking = style.markBorderCrossing ? style.borderColor : '-';
  const cacheOf = !dimmed ? arcs : undefined;
  const cacheKey = (g: StrokeGroup, quality: string) =>
    cacheOf && { of: cacheOf, key: `${quality}|${width}x${height}|${limit}|${marking}|${g.color}|${g.alpha}` };

  if (style.quality === 'fast') {
    const groups = new Groups();
    for (const a of visible) {
      groups.add(a, style.markBorderCrossing && a.crossesBorder ? style.borderColor : a.color, 1, alphaOf(a));
    }
    ctx.lineWidth = 1;
    for (const g of groups.sorted()) {
      ctx.globalAlpha = g.alpha;
      ctx.strokeStyle = g.color;
      strokeArcs(ctx, g.arcs, Path, cacheKey(g, 'fast'));
    }
    ctx.globalAlpha = 1;
    return;
  }

  const detailed = busiest(visible, limit, style.highlight);

  if (style.markBorderCrossing) {
    const halos = new Groups();
    for (const a of visible) {
      if (a.crossesBorder && detailed.has(a)) {
        halos.add(a, style.borderColor, widthBucket(a.width) + 3, alphaOf(a) * 0.6);
      }
    }
    ctx.strokeStyle = style.borderColor;
    for (const g of halos.sorted()) {
      ctx.globalAlpha = g.alpha;
      ctx.lineWidth = g.width;
      strokeArcs(ctx, g.arcs, Path);
    }
  }

  // Outside the detail budget arcs are drawn as hairlines: a wider line costs several times more.
  const groups = new Groups();
  for (const a of visible) {
    groups.add(a, a.color, detailed.has(a) ? widthBucket(a.width) : 1, alphaOf(a));
  }
  for (const g of groups.sorted()) {
    ctx.globalAlpha = g.alpha;
    ctx.strokeStyle = g.color;
    ctx.lineWidth = g.width;
    strokeArcs(ctx, g.arcs, Path, g.width === 1 ? cacheKey(g, 'full') : undefined);
    if (g.width > 1 || g.arcs.some((a) => detailed.has(a))) {
      ctx.fillStyle = g.color;
      fillArrowHeads(ctx, g.width > 1 ? g.arcs : g.arcs.filter((a) => detailed.has(a)), Path);
    }
  }

  if (style.markBorderCrossing) {
    ctx.fillStyle = style.borderColor;
    ctx.globalAlpha = 0.95;
    fillDiamonds(
      ctx,
      visible.filter((a) => a.crossesBorder && (!dimmed || style.highlight!.has(a.key))),
      (a) => (detailed.has(a) ? Math.max(3.5, a.width) : 3),
      dpr,
      width,
      height
    );
  }
  ctx.globalAlpha = 1;
}

export interface FlowStyle {
  /** Dash offset in px, growing with time: the dashes move from source to target. */
  offset: number;
  color: string;
  Path?: typeof Path2D | null;
}

/**
 * The moving "traffic" dashes, on their own canvas above the arcs: only this layer is redrawn per
 * animation frame, and only for the arcs given (the panel passes the busiest ones plus the highlighted).
 */
export function drawFlowDashes(ctx: CanvasRenderingContext2D, arcs: SceneArc[], width: number, height: number, dpr: number, style: FlowStyle) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const Path = style.Path === null ? undefined : (style.Path ?? globalThis.Path2D);
  ctx.lineCap = 'round';
  ctx.strokeStyle = style.color;
  ctx.globalAlpha = 0.85;
  // A negative offset moves the dashes from p0 towards p1: the direction of traffic.
  ctx.lineDashOffset = -style.offset;
  const groups = new Groups();
  for (const a of arcs) {
    if (onScreen(a, width, height)) {
      groups.add(a, style.color, widthBucket(a.width), 1);
    }
  }
  for (const g of groups.sorted()) {
    ctx.lineWidth = Math.max(1, g.width * 0.45);
    ctx.setLineDash([2, Math.max(10, g.width * 4)]);
    strokeArcs(ctx, g.arcs, Path);
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** The arcs worth detail (dashes, halos, arrows): the `limit` busiest, plus every highlighted one. */
export function animatedArcs(arcs: SceneArc[], limit: number, highlight?: ReadonlySet<string>): SceneArc[] {
  return [...busiest(arcs, limit, highlight)];
}

function busiest(arcs: SceneArc[], limit: number, highlight?: ReadonlySet<string>): Set<SceneArc> {
  const chosen = new Set(arcs.length <= limit ? arcs : [...arcs].sort((a, b) => b.value - a.value).slice(0, limit));
  if (highlight && highlight.size > 0) {
    for (const a of arcs) {
      if (highlight.has(a.key)) {
        chosen.add(a);
      }
    }
  }
  return chosen;
}
