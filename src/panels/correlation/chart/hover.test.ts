import { hoverReadout, nearestIndex } from './hover';

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

describe('hoverReadout', () => {
  it('labels each value with its series letter and name', () => {
    expect(hoverReadout({ name: 'bytes', value: '0 B' }, { name: 'bytes (reverse)', value: '0 B' })).toEqual([
      { series: 'A', label: 'A (bytes)', value: '0 B' },
      { series: 'B', label: 'B (bytes (reverse))', value: '0 B' },
    ]);
  });

  it('shortens long names', () => {
    const [row] = hoverReadout({ name: 'x'.repeat(60), value: '1' }, { name: 'b', value: '2' });
    expect(row.label).toBe(`A (${'x'.repeat(27)}…)`);
  });
});
