import { compareVolumes } from './volume';

describe('compareVolumes', () => {
  it('sums only buckets where both series have a value', () => {
    const v = compareVolumes([10, 20, null, 30], [11, 18, 5, 33]);
    expect(v.buckets).toBe(3);
    expect(v.sumA).toBe(60);
    expect(v.sumB).toBe(62);
    expect(v.ratio).toBeCloseTo(62 / 60, 12);
    expect(v.difference).toBeCloseTo(2 / 62, 12);
  });

  it('restricts to the given buckets', () => {
    const v = compareVolumes([10, 20, null, 30], [11, 18, 5, 33], [0, 1]);
    expect(v).toEqual({ buckets: 2, sumA: 30, sumB: 29, ratio: 29 / 30, difference: 1 / 30 });
  });

  it('has no ratio when A carries nothing', () => {
    const v = compareVolumes([0, 0], [1, 2]);
    expect(v.ratio).toBeNull();
    expect(v.difference).toBe(1);
    expect(compareVolumes([], []).difference).toBeNull();
  });
});

describe('compareVolumes at a lag', () => {
  it('pairs A’s bucket i with B’s bucket i + lag', () => {
    const a = [1, 10, 20, 1, 1];
    const b = [1, 1, 1, 11, 19];
    expect(compareVolumes(a, b, [1, 2], 2)).toEqual({ buckets: 2, sumA: 30, sumB: 30, ratio: 1, difference: 0 });
  });

  it('skips pairs that fall off the end of B', () => {
    expect(compareVolumes([1, 2, 3], [4, 5, 6], undefined, 2)).toMatchObject({ buckets: 1, sumA: 1, sumB: 6 });
  });
});
