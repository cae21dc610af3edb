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

  it('keeps ratios readable at any size', () => {
    expect(formatRatio(1.0333)).toBe('1.03');
    expect(formatRatio(250)).toBe('2.5e+2');
  });
});
