import { sqrtScale } from './scales';

describe('sqrtScale (node size by total traffic, arc width by rate)', () => {
  it('maps zero to the minimum and the maximum to the maximum', () => {
    const r = sqrtScale(10000, 4, 20);
    expect(r(0)).toBe(4);
    expect(r(10000)).toBe(20);
    expect(r(2500)).toBe(12);
  });

  it('grows with traffic and caps at the maximum', () => {
    const r = sqrtScale(100, 2, 10);
    expect(r(10)).toBeLessThan(r(50));
    expect(r(1e9)).toBe(10);
  });

  it('copes with no traffic and bad values', () => {
    expect(sqrtScale(0, 3, 9)(5)).toBe(3);
    expect(sqrtScale(10, 3, 9)(NaN)).toBe(3);
    expect(sqrtScale(10, 3, 9)(-4)).toBe(3);
  });
});
