import { placeLabels } from './labels';

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
});
