import { geoPath, GeoPermissibleObjects, GeoProjection } from 'd3-geo';
import { Point } from '../types';
import { arrowHead, pointAt } from './arcs';
import { SceneArc } from './scene';
import { ViewTransform } from './viewTransform';
import { worldShapes } from './worldShapes';

export interface MapColors {
  background: string;
  land: string;
  borders: string;
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
  ctx.lineWidth = 0.6 / t.k;
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

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * One path for many arcs. With Path2D the whole group crosses into the canvas as one SVG string, one
 * call instead of two per arc (cheap in browsers, and it keeps the Node benchmark honest).
 */
function strokeArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], Path: typeof Path2D | undefined) {
  // Wide strokes of one huge path make the rasteriser outline and sort everything at once (measured 2x
  // slower than stroking each arc); hairlines take a fast path either way, so only they are merged.
  if (ctx.lineWidth > 1) {
    for (const a of arcs) {
      ctx.beginPath();
      ctx.moveTo(a.arc.p0.x, a.arc.p0.y);
      ctx.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
      ctx.stroke();
    }
    return;
  }
  if (Path) {
    let d = '';
    for (const a of arcs) {
      d += `M${r1(a.arc.p0.x)} ${r1(a.arc.p0.y)}Q${r1(a.arc.c.x)} ${r1(a.arc.c.y)} ${r1(a.arc.p1.x)} ${r1(a.arc.p1.y)}`;
    }
    ctx.stroke(new Path(d));
    return;
  }
  ctx.beginPath();
  for (const a of arcs) {
    ctx.moveTo(a.arc.p0.x, a.arc.p0.y);
    ctx.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
  }
  ctx.stroke();
}

function fillPolygons(ctx: CanvasRenderingContext2D, polygons: Point[][], Path: typeof Path2D | undefined) {
  if (Path) {
    let d = '';
    for (const t of polygons) {
      d += `M${r1(t[0].x)} ${r1(t[0].y)}`;
      for (let i = 1; i < t.length; i++) {
        d += `L${r1(t[i].x)} ${r1(t[i].y)}`;
      }
      d += 'Z';
    }
    ctx.fill(new Path(d));
    return;
  }
  ctx.beginPath();
  for (const t of polygons) {
    ctx.moveTo(t[0].x, t[0].y);
    for (let i = 1; i < t.length; i++) {
      ctx.lineTo(t[i].x, t[i].y);
    }
    ctx.closePath();
  }
  ctx.fill();
}

function groupArcs(arcs: SceneArc[], key: (a: SceneArc) => string, make: (a: SceneArc) => Omit<StrokeGroup, 'arcs'>): StrokeGroup[] {
  const groups = new Map<string, StrokeGroup>();
  for (const a of arcs) {
    const k = key(a);
    let g = groups.get(k);
    if (!g) {
      g = { ...make(a), arcs: [] };
      groups.set(k, g);
    }
    g.arcs.push(a);
  }
  // Thin before thick and dimmed before emphasised, so heavy and highlighted arcs end up on top.
  return [...groups.values()].sort((p, q) => p.alpha - q.alpha || p.width - q.width);
}

export const DEFAULT_DETAIL_LIMIT = 250;

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
  arcs = arcs.filter((a) => onScreen(a, width, height));
  const dimmed = !!style.highlight && style.highlight.size > 0;
  const alphaOf = (a: SceneArc) => (!dimmed || style.highlight!.has(a.key) ? 0.9 : 0.25);

  if (style.quality === 'fast') {
    const colorOf = (a: SceneArc) => (style.markBorderCrossing && a.crossesBorder ? style.borderColor : a.color);
    ctx.lineWidth = 1;
    for (const g of groupArcs(arcs, (a) => `${colorOf(a)}|${alphaOf(a)}`, (a) => ({ color: colorOf(a), width: 1, alpha: alphaOf(a) }))) {
      ctx.globalAlpha = g.alpha;
      ctx.strokeStyle = g.color;
      strokeArcs(ctx, g.arcs, Path);
    }
    ctx.globalAlpha = 1;
    return;
  }

  const detailed = new Set(animatedArcs(arcs, style.detailLimit ?? DEFAULT_DETAIL_LIMIT, style.highlight));

  if (style.markBorderCrossing) {
    ctx.strokeStyle = style.borderColor;
    const crossing = arcs.filter((a) => a.crossesBorder && detailed.has(a));
    for (const g of groupArcs(crossing, (a) => `${widthBucket(a.width)}|${alphaOf(a)}`, (a) => ({ color: style.borderColor, width: widthBucket(a.width) + 3, alpha: alphaOf(a) * 0.6 }))) {
      ctx.globalAlpha = g.alpha;
      ctx.lineWidth = g.width;
      strokeArcs(ctx, g.arcs, Path);
    }
  }

  // Outside the detail budget arcs are drawn as hairlines: a wider line costs several times more.
  const widthOf = (a: SceneArc) => (detailed.has(a) ? widthBucket(a.width) : 1);
  const groups = groupArcs(arcs, (a) => `${a.color}|${widthOf(a)}|${alphaOf(a)}`, (a) => ({ color: a.color, width: widthOf(a), alpha: alphaOf(a) }));
  for (const g of groups) {
    ctx.globalAlpha = g.alpha;
    ctx.strokeStyle = g.color;
    ctx.lineWidth = g.width;
    strokeArcs(ctx, g.arcs, Path);
    ctx.fillStyle = g.color;
    fillPolygons(
      ctx,
      g.arcs.filter((a) => detailed.has(a)).map((a) => arrowHead(a.arc, 0.75, Math.max(5, a.width * 2.2))),
      Path
    );
  }

  if (style.markBorderCrossing) {
    ctx.fillStyle = style.borderColor;
    ctx.globalAlpha = 0.95;
    const diamonds = arcs
      .filter((a) => a.crossesBorder && (!dimmed || style.highlight!.has(a.key)))
      .map((a) => {
        const m = pointAt(a.arc, 0.5);
        const s = detailed.has(a) ? Math.max(3.5, a.width) : 3;
        return [
          { x: m.x, y: m.y - s },
          { x: m.x + s, y: m.y },
          { x: m.x, y: m.y + s },
          { x: m.x - s, y: m.y },
        ];
      });
    fillPolygons(ctx, diamonds, Path);
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
  for (const g of groupArcs(arcs.filter((a) => onScreen(a, width, height)), (a) => `${widthBucket(a.width)}`, (a) => ({ color: style.color, width: widthBucket(a.width), alpha: 1 }))) {
    ctx.lineWidth = Math.max(1, g.width * 0.45);
    ctx.setLineDash([2, Math.max(10, g.width * 4)]);
    strokeArcs(ctx, g.arcs, Path);
  }
  ctx.setLineDash([]);
  ctx.globalAlpha = 1;
}

/** The arcs worth detail (dashes, halos, arrows): the `limit` busiest, plus every highlighted one. */
export function animatedArcs(arcs: SceneArc[], limit: number, highlight?: ReadonlySet<string>): SceneArc[] {
  const byValue = [...arcs].sort((a, b) => b.value - a.value);
  const chosen = new Set(byValue.slice(0, limit));
  if (highlight) {
    arcs.filter((a) => highlight.has(a.key)).forEach((a) => chosen.add(a));
  }
  return [...chosen];
}
