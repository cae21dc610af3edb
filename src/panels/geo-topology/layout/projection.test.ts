import { geoPath } from 'd3-geo';
import { FitMode, ProjectionKind } from '../types';
import { fitPadding, fitProjection } from './projection';

describe('fitProjection', () => {
  const sphere = { type: 'Sphere' } as const;

  it.each([ProjectionKind.NaturalEarth, ProjectionKind.Equirectangular])('fits the whole world (%s) inside the padded panel', (kind) => {
    const p = fitProjection({ kind, fit: FitMode.World, width: 800, height: 400, padding: 10 });
    const [[x0, y0], [x1, y1]] = geoPath(p).bounds(sphere as never);
    expect(x0).toBeGreaterThanOrEqual(10 - 0.5);
    expect(y0).toBeGreaterThanOrEqual(10 - 0.5);
    expect(x1).toBeLessThanOrEqual(790 + 0.5);
    expect(y1).toBeLessThanOrEqual(390 + 0.5);
    // It fills one dimension exactly (aspect ratio kept).
    const fillsWidth = Math.abs(x1 - x0 - 780) < 1;
    const fillsHeight = Math.abs(y1 - y0 - 380) < 1;
    expect(fillsWidth || fillsHeight).toBe(true);
  });

  it('puts known places on the right side of each other', () => {
    const p = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: 1000, height: 500, padding: 0 });
    const virginia = p([-79.82, 37.37])!;
    const amsterdam = p([4.9, 52.37])!;
    const sydney = p([151.2, -33.87])!;
    expect(virginia[0]).toBeLessThan(amsterdam[0]);
    expect(amsterdam[1]).toBeLessThan(virginia[1]);
    expect(sydney[1]).toBeGreaterThan(250);
    expect(p([0, 0])![0]).toBeCloseTo(500, 0);
  });

  it('fits to the nodes, keeping all of them inside and filling the panel', () => {
    const coordinates: Array<[number, number]> = [
      [-79.82, 37.37],
      [4.9, 52.37],
      [-119.7, 45.84],
      [-87.63, 41.88],
      [-0.13, 51.51],
    ];
    const p = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.Nodes, width: 600, height: 300, padding: 20, coordinates });
    const xs = coordinates.map((c) => p(c)!);
    for (const [x, y] of xs) {
      expect(x).toBeGreaterThanOrEqual(19);
      expect(x).toBeLessThanOrEqual(581);
      expect(y).toBeGreaterThanOrEqual(19);
      expect(y).toBeLessThanOrEqual(281);
    }
    const spanX = Math.max(...xs.map((q) => q[0])) - Math.min(...xs.map((q) => q[0]));
    expect(spanX).toBeGreaterThan(400);
  });

  it('does not blow a single node up to fill the panel', () => {
    const p = fitProjection({ kind: ProjectionKind.Mercator, fit: FitMode.Nodes, width: 600, height: 300, padding: 0, coordinates: [[4.9, 52.37]] });
    const [x, y] = p([4.9, 52.37])!;
    expect(x).toBeCloseTo(300, 0);
    expect(y).toBeGreaterThan(0);
    // 30 degrees of longitude span at most the panel width.
    expect(Math.abs(p([19.9, 52.37])![0] - p([-10.1, 52.37])![0])).toBeLessThanOrEqual(601);
  });

  it('survives a zero-sized panel', () => {
    const p = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: 0, height: 0, padding: 10 });
    expect(Number.isFinite(p([0, 0])![0])).toBe(true);
  });
});

describe('fitPadding', () => {
  it('keeps the whole-world padding small and pads a fit to places by glyph and label', () => {
    expect(fitPadding({ fit: FitMode.World, maxNodeRadius: 27, fontSize: 32 })).toBe(12);
    // 18 px glyph + 3 px gap + a 12 px label line (14.4 px).
    expect(fitPadding({ fit: FitMode.Nodes, maxNodeRadius: 18, fontSize: 12 })).toBe(36);
  });

  it.each([
    ['desk', 18, 12],
    ['NOC wall', 27, 32],
  ])('fits places so that no glyph or label line is cut at the panel edge (%s)', (_name, r, fontSize) => {
    // The outermost places of the demo: Oregon, Virginia, the Netherlands, China.
    const places: Array<[number, number]> = [
      [-119.7, 45.84],
      [-79.82, 37.37],
      [4.9, 52.37],
      [103.0, 35.0],
    ];
    const [width, height] = [900, 420];
    const padding = fitPadding({ fit: FitMode.Nodes, maxNodeRadius: r, fontSize });
    const p = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.Nodes, width, height, padding, coordinates: places });
    for (const place of places) {
      const [x, y] = p(place)!;
      expect(x - r).toBeGreaterThanOrEqual(0);
      expect(x + r).toBeLessThanOrEqual(width);
      // A label above or below the glyph fits between it and the edge.
      expect(y - r - 3 - fontSize * 1.2).toBeGreaterThanOrEqual(-0.5);
      expect(y + r + 3 + fontSize * 1.2).toBeLessThanOrEqual(height + 0.5);
    }
  });
});
