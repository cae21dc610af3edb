import { Point } from '../types';

/** A quadratic Bézier from p0 to p1 bent through control point c. */
export interface QuadArc {
  p0: Point;
  c: Point;
  p1: Point;
}

/**
 * The arc for one direction of a link. The bend goes to the right of the direction of travel,
 * so A→B and B→A (same call with the ends swapped) fall on opposite sides of the chord and never
 * overlap, like two lanes of a road. Returns null when both ends are at the same spot.
 */
export function directionalArc(from: Point, to: Point, curvature: number): QuadArc | null {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length < 1e-6) {
    return null;
  }
  // Screen y grows downwards, so (-dy, dx) points to the right of travel.
  const nx = -dy / length;
  const ny = dx / length;
  const bend = curvature * length;
  return {
    p0: from,
    c: { x: (from.x + to.x) / 2 + nx * bend, y: (from.y + to.y) / 2 + ny * bend },
    p1: to,
  };
}

export function pointAt(arc: QuadArc, t: number): Point {
  const u = 1 - t;
  return {
    x: u * u * arc.p0.x + 2 * u * t * arc.c.x + t * t * arc.p1.x,
    y: u * u * arc.p0.y + 2 * u * t * arc.c.y + t * t * arc.p1.y,
  };
}

/** Direction of travel at t (not normalised). */
export function tangentAt(arc: QuadArc, t: number): Point {
  return {
    x: 2 * (1 - t) * (arc.c.x - arc.p0.x) + 2 * t * (arc.p1.x - arc.c.x),
    y: 2 * (1 - t) * (arc.c.y - arc.p0.y) + 2 * t * (arc.p1.y - arc.c.y),
  };
}

const lerp = (a: number, b: number, t: number) => a + (b - a) * t;
/** One coordinate of a quadratic Bézier at t. */
const bezier = (t: number, a: number, c: number, b: number) => (1 - t) * (1 - t) * a + 2 * (1 - t) * t * c + t * t * b;

/** The part of the arc between t0 and t1, itself a quadratic (de Casteljau / blossoming). */
export function subArc(arc: QuadArc, t0: number, t1: number): QuadArc {
  const p0 = pointAt(arc, t0);
  const p1 = pointAt(arc, t1);
  // Blossom B(t0, t1): the control point of the restricted curve.
  const c = {
    x: lerp(lerp(arc.p0.x, arc.c.x, t0), lerp(arc.c.x, arc.p1.x, t0), t1),
    y: lerp(lerp(arc.p0.y, arc.c.y, t0), lerp(arc.c.y, arc.p1.y, t0), t1),
  };
  return { p0, c, p1 };
}

export function sampleArc(arc: QuadArc, segments = 16): Point[] {
  const points: Point[] = [];
  for (let i = 0; i <= segments; i++) {
    points.push(pointAt(arc, i / segments));
  }
  return points;
}

export function arcLength(arc: QuadArc, segments = 16): number {
  const pts = sampleArc(arc, segments);
  let length = 0;
  for (let i = 1; i < pts.length; i++) {
    length += Math.hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
  }
  return length;
}

/**
 * The t at which the curve through (x0,y0), (cx,cy), (x1,y1) is `radius` away from its end `end`
 * (0 or 1). Starts from the end's speed (|B'(0)| = 2|c - p0|) and refines by the secant ratio twice:
 * plain numbers, no objects, as it runs for thousands of arcs on every zoom step.
 */
function tAtDistance(x0: number, y0: number, cx: number, cy: number, x1: number, y1: number, end: 0 | 1, radius: number): number {
  const ox = end === 0 ? x0 : x1;
  const oy = end === 0 ? y0 : y1;
  const speed = 2 * Math.hypot(cx - ox, cy - oy);
  let dt = speed > 0 ? radius / speed : 0;
  for (let i = 0; i < 2 && dt > 0; i++) {
    const t = end === 0 ? dt : 1 - dt;
    const u = 1 - t;
    const px = u * u * x0 + 2 * u * t * cx + t * t * x1;
    const py = u * u * y0 + 2 * u * t * cy + t * t * y1;
    const reached = Math.hypot(px - ox, py - oy);
    dt = reached > 0 ? (dt * radius) / reached : dt;
  }
  return end === 0 ? dt : 1 - dt;
}

/**
 * Cuts the ends off so the arc starts and stops at the node glyphs' rims instead of their centres,
 * leaving the arrow and dash visible. Falls back to the whole arc when the nodes overlap.
 */
export function trimArc(arc: QuadArc, startRadius: number, endRadius: number): QuadArc {
  return trimmedQuad(arc.p0.x, arc.p0.y, arc.c.x, arc.c.y, arc.p1.x, arc.p1.y, startRadius, endRadius) ?? arc;
}

/** trimArc on plain numbers; null when nothing is cut (the caller keeps its arc). */
function trimmedQuad(x0: number, y0: number, cx: number, cy: number, x1: number, y1: number, startRadius: number, endRadius: number): QuadArc | null {
  const chord = Math.hypot(x1 - x0, y1 - y0);
  if (startRadius + endRadius >= chord) {
    return null;
  }
  const t0 = startRadius > 0 ? tAtDistance(x0, y0, cx, cy, x1, y1, 0, startRadius) : 0;
  const t1 = endRadius > 0 ? tAtDistance(x0, y0, cx, cy, x1, y1, 1, endRadius) : 1;
  if (!(t0 < t1)) {
    return null;
  }
  return {
    p0: { x: bezier(t0, x0, cx, x1), y: bezier(t0, y0, cy, y1) },
    // Blossom B(t0, t1): the control point of the restricted curve.
    c: { x: lerp(lerp(x0, cx, t0), lerp(cx, x1, t0), t1), y: lerp(lerp(y0, cy, t0), lerp(cy, y1, t0), t1) },
    p1: { x: bezier(t1, x0, cx, x1), y: bezier(t1, y0, cy, y1) },
  };
}

/**
 * directionalArc then trimArc in one go, without the intermediate objects: what the scene builds for
 * every drawn direction on every zoom step. Null when both ends are at the same spot.
 */
export function trimmedDirectionalArc(from: Point, to: Point, curvature: number, startRadius: number, endRadius: number): QuadArc | null {
  const dx = to.x - from.x;
  const dy = to.y - from.y;
  const length = Math.hypot(dx, dy);
  if (length < 1e-6) {
    return null;
  }
  const bend = curvature * length;
  const cx = (from.x + to.x) / 2 + (-dy / length) * bend;
  const cy = (from.y + to.y) / 2 + (dx / length) * bend;
  return (
    trimmedQuad(from.x, from.y, cx, cy, to.x, to.y, startRadius, endRadius) ?? {
      p0: { x: from.x, y: from.y },
      c: { x: cx, y: cy },
      p1: { x: to.x, y: to.y },
    }
  );
}

/** Bounding box of the control polygon, which contains the whole curve (convex hull property). */
export function arcBounds(arc: QuadArc): { x0: number; y0: number; x1: number; y1: number } {
  return {
    x0: Math.min(arc.p0.x, arc.c.x, arc.p1.x),
    y0: Math.min(arc.p0.y, arc.c.y, arc.p1.y),
    x1: Math.max(arc.p0.x, arc.c.x, arc.p1.x),
    y1: Math.max(arc.p0.y, arc.c.y, arc.p1.y),
  };
}

function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

export function distanceToPolyline(p: Point, points: Point[]): number {
  let best = Infinity;
  for (let i = 1; i < points.length; i++) {
    best = Math.min(best, distanceToSegment(p, points[i - 1], points[i]));
  }
  return best;
}

export function svgPath(arc: QuadArc): string {
  const f = (n: number) => n.toFixed(1);
  return `M${f(arc.p0.x)},${f(arc.p0.y)} Q${f(arc.c.x)},${f(arc.c.y)} ${f(arc.p1.x)},${f(arc.p1.y)}`;
}

/** A small arrowhead at t, pointing in the direction of travel: [tip, left, right]. */
export function arrowHead(arc: QuadArc, t: number, size: number): [Point, Point, Point] {
  const tip = pointAt(arc, t);
  const d = tangentAt(arc, t);
  const len = Math.hypot(d.x, d.y) || 1;
  const ux = d.x / len;
  const uy = d.y / len;
  const back = { x: tip.x - ux * size, y: tip.y - uy * size };
  return [
    tip,
    { x: back.x - uy * size * 0.5, y: back.y + ux * size * 0.5 },
    { x: back.x + uy * size * 0.5, y: back.y - ux * size * 0.5 },
  ];
}
