import { linearScale, niceCeil, timeTickFormat, timeTicks } from './scales';

describe('niceCeil', () => {
  it('rounds up to 1, 2, 2.5 or 5 × 10^k', () => {
    expect(niceCeil(0.7)).toBe(1);
    expect(niceCeil(1)).toBe(1);
    expect(niceCeil(1.3)).toBe(2);
    expect(niceCeil(2.2)).toBe(2.5);
    expect(niceCeil(420_000_000)).toBe(500_000_000);
    expect(niceCeil(0)).toBe(1);
  });
});

describe('linearScale', () => {
  it('maps and inverts linearly', () => {
    const s = linearScale([0, 10], [100, 200]);
    expect(s(5)).toBe(150);
    expect(linearScale([100, 200], [0, 10])(150)).toBe(5);
  });
});

describe('timeTicks', () => {
  const MIN = 60_000;
  it('picks the finest interval that leaves room for labels, on round times', () => {
    const { interval, ticks } = timeTicks(30_000, 60 * MIN, 600);
    expect(interval).toBe(10 * MIN);
    expect(ticks).toEqual([10, 20, 30, 40, 50, 60].map((m) => m * MIN));
  });

  it('aligns on the dashboard zone, not on UTC', () => {
    // zone = UTC+05:30: local round hours are UTC :30
    const HOUR = 60 * MIN;
    const { ticks } = timeTicks(0, 6 * HOUR, 300, 5.5 * HOUR);
    expect(ticks[0] % HOUR).toBe(30 * MIN);
  });

  it('formats by interval and span', () => {
    expect(timeTickFormat(10_000, MIN * 5)).toBe('HH:mm:ss');
    expect(timeTickFormat(10 * MIN, 60 * MIN)).toBe('HH:mm');
    expect(timeTickFormat(6 * 60 * MIN, 3 * 24 * 60 * MIN)).toBe('MM/DD HH:mm');
    expect(timeTickFormat(24 * 60 * MIN, 30 * 24 * 60 * MIN)).toBe('MM/DD');
  });
});
