import { areaPath, linePath, runs } from './paths';

const id = (v: number) => v;

describe('paths', () => {
  it('breaks lines at gaps', () => {
    expect(runs([0, 1, 2, 3], [1, null, 2, 3])).toEqual([[[0, 1]], [[2, 2], [3, 3]]]);
    expect(linePath([0, 1, 2, 3], [1, null, 2, 3], id, id)).toBe('M0,1M2,2L3,3');
  });

  it('closes areas on the baseline', () => {
    expect(areaPath([0, 1], [5, 6], id, id, 0)).toBe('M0,0L0,5L1,6L1,0Z');
    expect(areaPath([], [], id, id, 0)).toBe('');
  });
});
