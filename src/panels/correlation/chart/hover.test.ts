import { nearestIndex } from './hover';

describe('nearestIndex', () => {
  it('finds the closest time, ties to the earlier one', () => {
    const times = [0, 60, 120, 180];
    expect(nearestIndex(times, -10)).toBe(0);
    expect(nearestIndex(times, 89)).toBe(1);
    expect(nearestIndex(times, 90)).toBe(1);
    expect(nearestIndex(times, 91)).toBe(2);
    expect(nearestIndex(times, 1000)).toBe(3);
    expect(nearestIndex([], 5)).toBe(-1);
    expect(nearestIndex([7], 5)).toBe(0);
  });
});
