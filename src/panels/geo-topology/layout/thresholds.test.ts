import { thresholdColor, valueRange } from './thresholds';

describe('threshold colours', () => {
  const absolute = {
    mode: 'absolute',
    steps: [
      { value: null, color: 'green' },
      { value: 1000, color: 'yellow' },
      { value: 5000, color: 'red' },
    ],
  };

  it('picks the highest step at or below the value (absolute)', () => {
    const range = { min: 0, max: 10000 };
    expect(thresholdColor(10, absolute, range, 'gray')).toBe('green');
    expect(thresholdColor(1000, absolute, range, 'gray')).toBe('yellow');
    expect(thresholdColor(4999, absolute, range, 'gray')).toBe('yellow');
    expect(thresholdColor(7000, absolute, range, 'gray')).toBe('red');
  });

  it('places the value within the range in percentage mode', () => {
    const pct = {
      mode: 'percentage',
      steps: [
        { value: -Infinity, color: 'blue' },
        { value: 50, color: 'orange' },
        { value: 90, color: 'red' },
      ],
    };
    const range = valueRange([0, 200, 1000]);
    expect(thresholdColor(100, pct, range, 'gray')).toBe('blue');
    expect(thresholdColor(600, pct, range, 'gray')).toBe('orange');
    expect(thresholdColor(1000, pct, range, 'gray')).toBe('red');
    // Explicit field-config max changes the scale.
    expect(thresholdColor(600, pct, valueRange([0, 1000], null, 10000), 'gray')).toBe('blue');
  });

  it('falls back when there are no thresholds or the value is not a number', () => {
    expect(thresholdColor(5, undefined, { min: 0, max: 1 }, 'gray')).toBe('gray');
    expect(thresholdColor(NaN, absolute, { min: 0, max: 1 }, 'gray')).toBe('green');
  });

  it('computes a range from finite values only', () => {
    expect(valueRange([3, NaN, 9, Infinity])).toEqual({ min: 0, max: 9 });
    expect(valueRange([])).toEqual({ min: 0, max: 0 });
  });
});
