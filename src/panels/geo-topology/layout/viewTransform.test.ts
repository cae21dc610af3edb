import { applyTransform, clampTransform, IDENTITY, invertTransform, panBy, wheelFactor, zoomAround } from './viewTransform';

describe('viewTransform', () => {
  it('applies and inverts a transform', () => {
    const t = { k: 2, x: -50, y: 10 };
    const p = applyTransform(t, { x: 30, y: 40 });
    expect(p).toEqual({ x: 10, y: 90 });
    expect(invertTransform(t, p)).toEqual({ x: 30, y: 40 });
  });

  it('keeps the point under the cursor fixed when zooming', () => {
    const at = { x: 200, y: 120 };
    const before = invertTransform(IDENTITY, at);
    const t = zoomAround(IDENTITY, at, 3, 800, 400);
    expect(t.k).toBe(3);
    const after = applyTransform(t, before);
    expect(after.x).toBeCloseTo(at.x);
    expect(after.y).toBeCloseTo(at.y);
  });

  it('clamps zoom to the limits and never zooms out past the fitted map', () => {
    expect(zoomAround(IDENTITY, { x: 0, y: 0 }, 0.1, 800, 400).k).toBe(1);
    expect(zoomAround(IDENTITY, { x: 0, y: 0 }, 1000, 800, 400).k).toBe(32);
  });

  it('does not let the map be dragged out of the viewport', () => {
    expect(panBy(IDENTITY, 100, 100, 800, 400)).toEqual({ k: 1, x: 0, y: 0 });
    const zoomed = { k: 2, x: -400, y: -200 };
    expect(panBy(zoomed, -1000, -1000, 800, 400)).toEqual({ k: 2, x: -800, y: -400 });
    expect(panBy(zoomed, 50, 20, 800, 400)).toEqual({ k: 2, x: -350, y: -180 });
    expect(clampTransform({ k: 2, x: 10, y: 10 }, 800, 400)).toEqual({ k: 2, x: 0, y: 0 });
  });

  it('turns wheel deltas into zoom factors: down zooms out, up zooms in', () => {
    expect(wheelFactor(-300)).toBeCloseTo(2);
    expect(wheelFactor(300)).toBeCloseTo(0.5);
    expect(wheelFactor(-3, 1)).toBeGreaterThan(1);
  });
});
