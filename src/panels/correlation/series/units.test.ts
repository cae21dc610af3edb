import { isRateUnit } from './units';

describe('isRateUnit', () => {
  it('knows per-second units', () => {
    for (const unit of ['bps', 'Bps', 'binBps', 'pps', 'reqps', 'flows/s', 'MBs', 'Gbits']) {
      expect(isRateUnit(unit)).toBe(true);
    }
  });

  it('treats volumes and unknown units as additive', () => {
    for (const unit of ['bytes', 'decbytes', 'short', 'none', '', undefined]) {
      expect(isRateUnit(unit)).toBe(false);
    }
  });
});
