import { crossCorrelation, peakLag } from './crossCorrelation';

const pulseAt = (i: number, n = 8) => Array.from({ length: n }, (_, j) => (j === i ? 5 : 0));

describe('crossCorrelation', () => {
  it('finds B lagging A by 2 buckets with r = 1 there', () => {
    const byLag = crossCorrelation(pulseAt(2), pulseAt(4), 3);
    expect(byLag.map((l) => l.lag)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    expect(peakLag(byLag)).toEqual({ lag: 2, r: 1 });
  });

  it('reports a negative lag when B leads A', () => {
    expect(peakLag(crossCorrelation(pulseAt(5), pulseAt(2), 4))).toEqual({ lag: -3, r: 1 });
  });

  it('gives r = -1/7 at lag 0 for two non-overlapping single pulses (hand computed)', () => {
    // mean 5/8; sxy = -2·(4.375·0.625) + 6·0.625² = -3.125; sxx = syy = 4.375² + 7·0.625² = 21.875
    const lag0 = crossCorrelation(pulseAt(2), pulseAt(4), 3).find((l) => l.lag === 0);
    expect(lag0?.r).toBeCloseTo(-1 / 7, 12);
  });

  it('only searches inside the window', () => {
    const byLag = crossCorrelation(pulseAt(1), pulseAt(5), 2);
    expect(byLag).toHaveLength(5);
    expect(peakLag(byLag)?.lag).not.toBe(4);
  });

  it('uses only the overlap: too few pairs at the window edge give null, not a padded value', () => {
    const byLag = crossCorrelation([1, 2, 3, 4], [1, 2, 3, 4], 3, 3);
    expect(byLag.find((l) => l.lag === 3)?.r).toBeNull();
    expect(byLag.find((l) => l.lag === -2)?.r).toBeNull();
    expect(byLag.find((l) => l.lag === 1)?.r).toBeCloseTo(1, 12);
  });

  it('prefers the smallest |lag| among equal peaks', () => {
    const periodic = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
    expect(peakLag(crossCorrelation(periodic, periodic, 4))).toEqual({ lag: 0, r: 1 });
  });

  it('has no peak when every lag is undefined', () => {
    expect(peakLag(crossCorrelation([3, 3, 3, 3], [1, 2, 3, 4], 1))).toBeNull();
  });
});
