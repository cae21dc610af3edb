import { placeLabels, PlacedLabel } from './labels';

describe('placeLabels', () => {
  it('puts a lone label to the right of its glyph', () => {
    const [label] = placeLabels([{ id: 'a', text: 'azure-eastus', x: 100, y: 100, r: 8, priority: 1 }], [{ x: 100, y: 100, r: 8 }], 12, 800, 400);
    expect(label.anchor).toBe('start');
    expect(label.x).toBeGreaterThan(108);
    expect(label.y).toBe(100);
  });

  it('moves a colliding label to another side instead of overlapping', () => {
    const reqs = [
      { id: 'big', text: 'dc-chicago', x: 100, y: 100, r: 8, priority: 10 },
      { id: 'small', text: 'branch-x', x: 100, y: 112, r: 4, priority: 1 },
    ];
    const glyphs = reqs.map(({ x, y, r }) => ({ x, y, r }));
    const placed = placeLabels(reqs, glyphs, 12, 800, 400);
    expect(placed).toHaveLength(2);
    const [a, b] = placed;
    const disjoint = a.box.x1 <= b.box.x0 || b.box.x1 <= a.box.x0 || a.box.y1 <= b.box.y0 || b.box.y1 <= a.box.y0;
    expect(disjoint).toBe(true);
    expect(placed.find((p) => p.id === 'big')!.anchor).toBe('start');
  });

  it('drops the lowest-priority labels when there is no room, and never leaves the panel', () => {
    const reqs = Array.from({ length: 30 }, (_, i) => ({ id: `n${i}`, text: `node-${i}`, x: 50, y: 50, r: 4, priority: i }));
    const placed = placeLabels(reqs, [{ x: 50, y: 50, r: 4 }], 12, 200, 100);
    expect(placed.length).toBeGreaterThan(0);
    expect(placed.length).toBeLessThan(30);
    expect(placed[0].id).toBe('n29');
    for (const p of placed) {
      expect(p.box.x0).toBeGreaterThanOrEqual(0);
      expect(p.box.x1).toBeLessThanOrEqual(200);
    }
  });

  it('flips to the left at the right edge of the panel', () => {
    const [label] = placeLabels([{ id: 'a', text: 'aws-us-west-2', x: 390, y: 50, r: 5, priority: 1 }], [], 12, 400, 100);
    expect(label.anchor).toBe('end');
  });

  it('tries the corners when the four sides are taken', () => {
    // Glyphs sit just right, left, below and above, leaving the diagonals open.
    const reqs = [{ id: 'a', text: 'node-a', x: 200, y: 100, r: 6, priority: 1 }];
    const glyphs = [
      { x: 200, y: 100, r: 6 },
      { x: 215, y: 100, r: 5 },
      { x: 185, y: 100, r: 5 },
      { x: 200, y: 120, r: 6 },
      { x: 200, y: 80, r: 6 },
    ];
    const [label] = placeLabels(reqs, glyphs, 12, 800, 400);
    expect(label).toBeDefined();
    expect(label.box.x0 > 206 || label.box.x1 < 194).toBe(true);
    expect(label.box.y1 <= 100 || label.box.y0 >= 100).toBe(true);
  });

  it('the busiest place keeps its name when small neighbours ring its glyph; a small place never covers a bigger one', () => {
    // A cloud region (NOC wall type size) with its small sites on every side of it.
    const ring = [0, 45, 90, 135, 180, 225, 270, 315].map((deg, i) => ({
      id: `site-${i}`,
      text: `s${i}`,
      x: 400 + Math.cos((deg * Math.PI) / 180) * 30,
      y: 200 + Math.sin((deg * Math.PI) / 180) * 30,
      r: 8,
      priority: 1,
    }));
    const big = { id: 'azure-eastus', text: 'azure-eastus', x: 400, y: 200, r: 16, priority: 100 };
    const reqs = [big, ...ring];
    const glyphs = reqs.map(({ x, y, r, priority }) => ({ x, y, r, priority }));
    const placed = placeLabels(reqs, glyphs, 32, 1920, 1080);
    const bigLabel = placed.find((p) => p.id === 'azure-eastus');
    expect(bigLabel).toBeDefined();
    // It covers no glyph but the small sites', and no other label.
    const overlapsBox = (a: PlacedLabel['box'], b: PlacedLabel['box']) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    const bigGlyph = { x0: 384, y0: 184, x1: 416, y1: 216 };
    expect(overlapsBox(bigLabel!.box, bigGlyph)).toBe(false);
    for (const p of placed) {
      if (p.id !== 'azure-eastus') {
        expect(overlapsBox(p.box, bigLabel!.box)).toBe(false);
        expect(overlapsBox(p.box, bigGlyph)).toBe(false);
      }
    }
  });
});

