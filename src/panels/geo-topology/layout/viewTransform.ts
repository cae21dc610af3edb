import { Point } from '../types';

/** Pan/zoom state: screen = base * k + (x, y), where base is the fitted projection's output. */
export interface ViewTransform {
  k: number;
  x: number;
  y: number;
}

export interface ZoomLimits {
  minK: number;
  maxK: number;
}

export const IDENTITY: ViewTransform = { k: 1, x: 0, y: 0 };
export const DEFAULT_LIMITS: ZoomLimits = { minK: 1, maxK: 32 };

export function applyTransform(t: ViewTransform, p: Point): Point {
  return { x: p.x * t.k + t.x, y: p.y * t.k + t.y };
}

export function invertTransform(t: ViewTransform, p: Point): Point {
  return { x: (p.x - t.x) / t.k, y: (p.y - t.y) / t.k };
}

/** Keeps the fitted map covering the viewport, so the world can never be dragged out of sight. */
export function clampTransform(t: ViewTransform, width: number, height: number, limits = DEFAULT_LIMITS): ViewTransform {
  const k = Math.min(limits.maxK, Math.max(limits.minK, t.k));
  const minX = Math.min(0, width - width * k);
  const minY = Math.min(0, height - height * k);
  return {
    k,
    x: Math.min(Math.max(t.x, minX), Math.max(0, width - width * k)),
    y: Math.min(Math.max(t.y, minY), Math.max(0, height - height * k)),
  };
}

/** Zooms by `factor` keeping the screen point `at` fixed (the cursor stays over the same place). */
export function zoomAround(
  t: ViewTransform,
  at: Point,
  factor: number,
  width: number,
  height: number,
  limits = DEFAULT_LIMITS
): ViewTransform {
  const k = Math.min(limits.maxK, Math.max(limits.minK, t.k * factor));
  const base = invertTransform(t, at);
  return clampTransform({ k, x: at.x - base.x * k, y: at.y - base.y * k }, width, height, limits);
}

export function panBy(t: ViewTransform, dx: number, dy: number, width: number, height: number, limits = DEFAULT_LIMITS) {
  return clampTransform({ k: t.k, x: t.x + dx, y: t.y + dy }, width, height, limits);
}

/** Wheel delta to zoom factor; exponential so trackpads and mouse wheels feel alike. */
export function wheelFactor(deltaY: number, deltaMode = 0): number {
  const pixels = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  return Math.pow(2, -pixels / 300);
}
