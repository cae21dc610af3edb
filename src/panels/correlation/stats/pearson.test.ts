import { completePairs, pearson } from './pearson';

describe('pearson', () => {
  it('is 1 for perfectly correlated series (y = 2x + 1)', () => {
    expect(pearson([1, 2, 3, 4, 5], [3, 5, 7, 9, 11])).toBeCloseTo(1, 12);
  });

  it('is -1 for anti-correlated series', () => {
    expect(pearson([1, 2, 3, 4, 5], [10, 8, 6, 4, 2])).toBeCloseTo(-1, 12);
  });

  it('matches a hand computation: sxy = 3, sxx = syy = 5 gives 0.6', () => {
    expect(pearson([1, 2, 3, 4], [2, 1, 4, 3])).toBeCloseTo(0.6, 12);
  });

  it('is undefined (null) when one side is constant', () => {
    expect(pearson([1, 2, 3, 4], [7, 7, 7, 7])).toBeNull();
    expect(pearson([1e12, 1e12, 1e12, 1e12], [1, 2, 3, 4])).toBeNull();
  });

  it('drops pairs with a gap on either side', () => {
    expect(completePairs([1, null, 3, NaN, 5], [2, 100, 6, 8, null])).toEqual({ xs: [1, 3], ys: [2, 6] });
    expect(pearson([1, null, 3, 4, 5], [2, 100, 6, 8, 10])).toBeCloseTo(1, 12);
  });

  it('needs at least minPairs complete pairs', () => {
    expect(pearson([1, 2], [2, 4], 3)).toBeNull();
    expect(pearson([1, 2, 3], [2, 4, 5], 3)).not.toBeNull();
    expect(pearson([], [])).toBeNull();
  });

  it('stays exact for byte counts in the billions', () => {
    const base = 5e9;
    expect(pearson([base, base + 1, base + 2, base + 3], [base, base + 2, base + 4, base + 6])).toBeCloseTo(1, 9);
  });
});
