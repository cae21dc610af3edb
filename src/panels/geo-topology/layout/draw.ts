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
  /** Dash offset in px; undefined draws solid lines (animation off or reduced motion). */
  dashOffset?: number;
  /** Arcs to emphasise (hover, selection); the rest are dimmed when any is given. */
  highlight?: ReadonlySet<string>;
  /** Path2D constructor (the browser's by default; the benchmark passes Skia's). */
  Path?: typeof Path2D;
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
 * call instead of two per arc; that matters once a few thousand arcs are redrawn every frame.
 */
function strokeArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], Path: typeof Path2D | undefined) {
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

function fillPolygons(ctx: CanvasRenderingContext2D, triangles: Point[][], Path: typeof Path2D | undefined) {
  if (Path) {
    let d = '';
    for (const t of triangles) {
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
  for (const t of triangles) {
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

/**
 * All arcs, batched: arcs sharing colour, (rounded) width and emphasis are traced into one path and
 * stroked once; every subpath restarts the dash pattern, so each arc's dashes still start at its
 * source. Crossing arcs get a halo in the border colour underneath and a diamond at their middle, so
 * "this left the country" reads even where thresholds colour the line.
 */
export function drawArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], width: number, height: number, dpr: number, style: ArcStyle) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.lineCap = 'round';
  const Path = style.Path ?? globalThis.Path2D;
  // Zoomed in, most arcs are off screen: skip them before any path is built.
  arcs = arcs.filter((a) => a.bbox.x1 >= -10 && a.bbox.y1 >= -10 && a.bbox.x0 <= width + 10 && a.bbox.y0 <= height + 10);
  const dimmed = !!style.highlight && style.highlight.size > 0;
  const alphaOf = (a: SceneArc) => (!dimmed || style.highlight!.has(a.key) ? 0.9 : 0.25);

  if (style.markBorderCrossing) {
    ctx.setLineDash([]);
    ctx.strokeStyle = style.borderColor;
    const crossing = arcs.filter((a) => a.crossesBorder);
    for (const g of groupArcs(crossing, (a) => `${widthBucket(a.width)}|${alphaOf(a)}`, (a) => ({ color: style.borderColor, width: widthBucket(a.width) + 4, alpha: alphaOf(a) * 0.6 }))) {
      ctx.globalAlpha = g.alpha;
      ctx.lineWidth = g.width;
      strokeArcs(ctx, g.arcs, Path);
    }
  }

  const groups = groupArcs(arcs, (a) => `${a.color}|${widthBucket(a.width)}|${alphaOf(a)}`, (a) => ({ color: a.color, width: widthBucket(a.width), alpha: alphaOf(a) }));
  for (const g of groups) {
    ctx.globalAlpha = g.alpha;
    ctx.strokeStyle = g.color;
    ctx.lineWidth = g.width;
    if (style.dashOffset !== undefined) {
      const dash = Math.max(6, g.width * 3);
      ctx.setLineDash([dash, dash * 0.8]);
      // A negative offset moves the dashes from p0 towards p1: the direction of traffic.
      ctx.lineDashOffset = -style.dashOffset;
    } else {
      ctx.setLineDash([]);
    }
    strokeArcs(ctx, g.arcs, Path);
    ctx.setLineDash([]);
    ctx.fillStyle = g.color;
    fillPolygons(
      ctx,
      g.arcs.map((a) => arrowHead(a.arc, 0.75, Math.max(6, a.width * 2.2))),
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
        const s = Math.max(4, a.width);
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
