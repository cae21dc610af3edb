import { geoPath, GeoPermissibleObjects, GeoProjection } from 'd3-geo';
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
}

/**
 * All arcs in one pass, thin to thick. Crossing arcs get a halo in the border colour underneath and
 * a diamond at their middle, so "this left the country" reads even where thresholds colour the line.
 */
export function drawArcs(ctx: CanvasRenderingContext2D, arcs: SceneArc[], width: number, height: number, dpr: number, style: ArcStyle) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.lineCap = 'round';
  const dimmed = style.highlight && style.highlight.size > 0;
  for (const a of arcs) {
    const emphasised = !dimmed || style.highlight!.has(a.key);
    ctx.globalAlpha = emphasised ? 0.9 : 0.25;
    ctx.beginPath();
    ctx.moveTo(a.arc.p0.x, a.arc.p0.y);
    ctx.quadraticCurveTo(a.arc.c.x, a.arc.c.y, a.arc.p1.x, a.arc.p1.y);
    if (style.markBorderCrossing && a.crossesBorder) {
      ctx.setLineDash([]);
      ctx.strokeStyle = style.borderColor;
      ctx.lineWidth = a.width + 4;
      ctx.globalAlpha = emphasised ? 0.55 : 0.15;
      ctx.stroke();
      ctx.globalAlpha = emphasised ? 0.9 : 0.25;
    }
    ctx.strokeStyle = a.color;
    ctx.lineWidth = a.width;
    if (style.dashOffset !== undefined) {
      const dash = Math.max(6, a.width * 3);
      ctx.setLineDash([dash, dash * 0.8]);
      // A negative offset moves the dashes from p0 towards p1: the direction of traffic.
      ctx.lineDashOffset = -style.dashOffset;
    } else {
      ctx.setLineDash([]);
    }
    ctx.stroke();
    ctx.setLineDash([]);
    const [tip, left, right] = arrowHead(a.arc, 0.75, Math.max(6, a.width * 2.2));
    ctx.fillStyle = a.color;
    ctx.beginPath();
    ctx.moveTo(tip.x, tip.y);
    ctx.lineTo(left.x, left.y);
    ctx.lineTo(right.x, right.y);
    ctx.closePath();
    ctx.fill();
    if (style.markBorderCrossing && a.crossesBorder) {
      const m = pointAt(a.arc, 0.5);
      const s = Math.max(4, a.width);
      ctx.fillStyle = style.borderColor;
      ctx.beginPath();
      ctx.moveTo(m.x, m.y - s);
      ctx.lineTo(m.x + s, m.y);
      ctx.lineTo(m.x, m.y + s);
      ctx.lineTo(m.x - s, m.y);
      ctx.closePath();
      ctx.fill();
    }
  }
  ctx.globalAlpha = 1;
}
