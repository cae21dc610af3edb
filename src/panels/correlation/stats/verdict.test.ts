import { buildVerdict, DEFAULT_THRESHOLDS, VerdictInput } from './verdict';

const MIN = 60_000;
const base: VerdictInput = {
  problem: null,
  r: 0.97,
  peak: { lag: 0, r: 0.97 },
  stepMs: MIN,
  volumes: { buckets: 3, sumA: 100, sumB: 97, ratio: 0.97, difference: 0.03 },
  volumeScope: 'overall',
};

describe('buildVerdict', () => {
  it('reads like the issue: same event when r is strong and volumes close', () => {
    expect(buildVerdict(base)).toEqual({ level: 'same-event', text: 'B follows A at lag 0, r = 0.97, volumes within 3%' });
  });

  it('says where the volumes were compared', () => {
    expect(buildVerdict({ ...base, volumeScope: 'spikes' }).text).toBe('B follows A at lag 0, r = 0.97, volumes within 3% in the spikes');
  });

  it('gives the lag in buckets and time, in either direction', () => {
    expect(buildVerdict({ ...base, r: 0.2, peak: { lag: 2, r: 0.95 }, stepMs: 5 * MIN }).text).toBe(
      'B follows A at lag 2 (10m), r = 0.95, volumes within 3%'
    );
    expect(buildVerdict({ ...base, r: 0.2, peak: { lag: -1, r: 0.95 } }).text).toMatch(/^A follows B at lag 1 \(1m\)/);
  });

  it('keeps correlated but different volumes apart from the same event', () => {
    const v = buildVerdict({ ...base, volumes: { buckets: 3, sumA: 100, sumB: 55, ratio: 0.55, difference: 0.45 } });
    expect(v).toEqual({ level: 'correlated', text: 'B follows A at lag 0, r = 0.97, but volumes differ by 45%' });
  });

  it('uses the thresholds from the options', () => {
    expect(buildVerdict(base, { ...DEFAULT_THRESHOLDS, strongR: 0.98 }).level).toBe('weak');
    expect(buildVerdict(base, { ...DEFAULT_THRESHOLDS, volumeTolerance: 0.02 }).level).toBe('correlated');
  });

  it('names weak, opposite and absent relations', () => {
    expect(buildVerdict({ ...base, r: 0.6, peak: { lag: 0, r: 0.6 } })).toEqual({ level: 'weak', text: 'B loosely follows A at lag 0, r = 0.60' });
    expect(buildVerdict({ ...base, r: -0.99, peak: { lag: 3, r: 0.1 } })).toEqual({
      level: 'anti-correlated',
      text: 'A and B move in opposite directions, r = −0.99',
    });
    expect(buildVerdict({ ...base, r: 0.1, peak: { lag: 4, r: 0.3 } })).toEqual({ level: 'unrelated', text: 'No clear relation: best r = 0.30 at lag 4' });
  });

  it('says "not enough data" instead of a number', () => {
    expect(buildVerdict({ ...base, problem: { series: 'B', reason: 'flat' } })).toEqual({ level: 'not-enough-data', text: 'Not enough data: B is flat' });
    expect(buildVerdict({ ...base, problem: { series: 'both', reason: 'empty' } }).text).toBe('Not enough data: A and B have no data');
    expect(buildVerdict({ ...base, peak: null }).level).toBe('not-enough-data');
  });
});
