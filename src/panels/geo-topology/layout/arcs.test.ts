import { arcLength, arrowHead, directionalArc, distanceToPolyline, pointAt, sampleArc, subArc, svgPath, trimArc, trimmedDirectionalArc } from './arcs';

/** Signed side of point p relative to the directed chord a→b (positive = right of travel on screen). */
const side = (a: { x: number; y: number }, b: { x: number; y: number }, p: { x: number; y: number }) =>
  -((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x));

describe('directional arcs', () => {
  const A = { x: 100, y: 200 };
  const B = { x: 500, y: 200 };

  it('bends the two directions of a link to opposite sides of the chord', () => {
    const ab = directionalArc(A, B, 0.2)!;
    const ba = directionalArc(B, A, 0.2)!;
    const midAB = pointAt(ab, 0.5);
    const midBA = pointAt(ba, 0.5);
    // Both measured against the same chord A→B: one on each side.
    expect(Math.sign(side(A, B, midAB))).toBe(-Math.sign(side(A, B, midBA)));
    // Symmetric: same bend, mirrored.
    expect(midAB.x).toBeCloseTo(300);
    expect(midBA.x).toBeCloseTo(300);
    expect(midAB.y - 200).toBeCloseTo(-(midBA.y - 200));
    expect(Math.abs(midAB.y - 200)).toBeCloseTo(0.2 * 400 * 0.5);
  });

  it('starts at the source and ends at the target, so direction is kept', () => {
    const ab = directionalArc(A, B, 0.2)!;
    expect(pointAt(ab, 0)).toEqual(A);
    expect(pointAt(ab, 1)).toEqual(B);
    const [tip, left, right] = arrowHead(ab, 1, 10);
    expect(tip).toEqual(B);
    expect(left.x).toBeLessThan(B.x);
    expect(right.x).toBeLessThan(B.x);
  });

  it('keeps opposite sides for any chord orientation', () => {
    for (const [p, q] of [
      [{ x: 0, y: 0 }, { x: 0, y: 300 }],
      [{ x: 50, y: 400 }, { x: 300, y: 20 }],
    ]) {
      const m1 = pointAt(directionalArc(p, q, 0.3)!, 0.5);
      const m2 = pointAt(directionalArc(q, p, 0.3)!, 0.5);
      expect(side(p, q, m1) * side(p, q, m2)).toBeLessThan(0);
    }
  });

  it('returns null when both ends coincide', () => {
    expect(directionalArc(A, A, 0.2)).toBeNull();
  });

  it('trims ends to node rims along the curve', () => {
    const ab = directionalArc(A, B, 0.2)!;
    const trimmed = trimArc(ab, 10, 20);
    expect(Math.hypot(trimmed.p0.x - A.x, trimmed.p0.y - A.y)).toBeCloseTo(10, 0);
    expect(Math.hypot(trimmed.p1.x - B.x, trimmed.p1.y - B.y)).toBeCloseTo(20, 0);
    // The sub-arc lies on the original curve.
    const onCurve = pointAt(subArc(ab, 0.25, 0.75), 0.5);
    expect(distanceToPolyline(onCurve, sampleArc(ab, 200))).toBeLessThan(0.5);
    expect(arcLength(trimmed)).toBeLessThan(arcLength(ab));
  });

  it('builds the trimmed directional arc in one go exactly as directionalArc + trimArc do', () => {
    for (const [p, q, r0, r1] of [
      [A, B, 10, 20],
      [{ x: 50, y: 400 }, { x: 300, y: 20 }, 5, 5],
      [{ x: 0, y: 0 }, { x: 10, y: 0 }, 8, 8],
      [A, B, 0, 0],
    ] as const) {
      const expected = trimArc(directionalArc(p, q, 0.18)!, r0, r1);
      const got = trimmedDirectionalArc(p, q, 0.18, r0, r1)!;
      for (const k of ['p0', 'c', 'p1'] as const) {
        expect(got[k].x).toBeCloseTo(expected[k].x, 9);
        expect(got[k].y).toBeCloseTo(expected[k].y, 9);
      }
    }
    expect(trimmedDirectionalArc(A, A, 0.18, 1, 1)).toBeNull();
  });

  it('measures distance to the drawn curve for hit-testing', () => {
    const ab = directionalArc(A, B, 0.2)!;
    const pts = sampleArc(ab);
    expect(distanceToPolyline(pointAt(ab, 0.5), pts)).toBeLessThan(1);
    expect(distanceToPolyline({ x: 300, y: 200 }, pts)).toBeGreaterThan(30);
  });

  it('prints an SVG path', () => {
    expect(svgPath(directionalArc(A, B, 0)!)).toBe('M100.0,200.0 Q300.0,200.0 500.0,200.0');
  });
});
