import { formatDuration, formatR, formatRatio, percentCeil } from './format';

describe('format', () => {
  it('writes compact durations', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(7_200_000)).toBe('2h');
    expect(formatDuration(-300_000)).toBe('-5m');
    expect(formatDuration(86_400_000 + 60_000)).toBe('1d1m');
  });

  it('writes r with two decimals and a real minus', () => {
    expect(formatR(0.9712)).toBe('0.97');
    expect(formatR(-0.5)).toBe('−0.50');
  });

  it('rounds percentages up, never below 1%', () => {
    expect(percentCeil(0.0291)).toBe(3);
    expect(percentCeil(0.03)).toBe(3);
    expect(percentCeil(0)).toBe(1);
  });

  it('keeps ratios readable at any size, never in exponent notation', () => {
    expect(formatRatio(1.0333)).toBe('1.03');
    expect(formatRatio(0.25)).toBe('0.25');
    // The audit's "2.5e-3": B is a 400th of A.
    expect(formatRatio(0.0025)).toBe('1/400');
    expect(formatRatio(0.05)).toBe('1/20');
    expect(formatRatio(1 / 12_345)).toBe('1/12,000');
    expect(formatRatio(9.99)).toBe('9.99');
    expect(formatRatio(12.3)).toBe('12');
    expect(formatRatio(250)).toBe('250');
    expect(formatRatio(12_345)).toBe('12,000');
    expect(formatRatio(0)).toBe('0');
    expect(formatRatio(Infinity)).toBe('∞');
    for (const r of [1e-6, 3.3e-4, 0.0951, 0.5, 7.2, 99.5, 4.2e7]) {
      expect(formatRatio(r)).not.toMatch(/e/);
    }
  });
});
