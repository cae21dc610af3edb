import { analyzeCorrelation } from './analyze';

const MIN = 60_000;
const grid = (n: number, step = MIN) => Array.from({ length: n }, (_, i) => i * step);
// Background with a little variation and one burst at buckets 8–9.
const backgroundA = [3, 4, 3, 5, 4, 3, 4, 5, 80, 90, 4, 3, 5, 4, 3, 4];

describe('analyzeCorrelation', () => {
  it('recognises one event: same spike, volumes within 3%', () => {
    const b = backgroundA.map((v) => v * 1.02);
    const res = analyzeCorrelation({ times: grid(16), values: backgroundA }, { times: grid(16), values: b });
    expect(res.r).toBeCloseTo(1, 9);
    expect(res.peak).toEqual({ lag: 0, r: expect.closeTo(1, 9) });
    expect(res.windows).toEqual([{ startIndex: 8, endIndex: 9, from: 8 * MIN, to: 10 * MIN }]);
    expect(res.volumes.spikes?.ratio).toBeCloseTo(1.02, 9);
    expect(res.verdict).toEqual({ level: 'same-event', text: 'B follows A at lag 0, r = 1.00, volumes within 2% in the spikes' });
  });

  it('finds a lag of k buckets and r = 1 there', () => {
    const k = 3;
    const b = [...Array(k).fill(3), ...backgroundA.slice(0, backgroundA.length - k)];
    const res = analyzeCorrelation({ times: grid(16), values: backgroundA }, { times: grid(16), values: b }, { maxLag: 5 });
    expect(res.peak?.lag).toBe(k);
    expect(res.peak?.r).toBeCloseTo(1, 9);
    expect(res.r).toBeLessThan(0.5);
    expect(res.windows).toEqual([]);
    // the burst of B (3 buckets later) is compared with A's burst: identical volumes
    expect(res.volumes.spikes).toMatchObject({ buckets: 2, sumA: 170, sumB: 170, ratio: 1 });
    expect(res.verdict.text).toBe('B follows A at lag 3 (3m), r = 1.00, volumes within 1% in the spikes');
  });

  it('calls anti-correlated series opposite', () => {
    const b = backgroundA.map((v) => 100 - v);
    const res = analyzeCorrelation({ times: grid(16), values: backgroundA }, { times: grid(16), values: b }, { maxLag: 0 });
    expect(res.r).toBeCloseTo(-1, 9);
    expect(res.verdict.level).toBe('anti-correlated');
  });

  it('withholds every number for a constant series', () => {
    const res = analyzeCorrelation({ times: grid(16), values: backgroundA }, { times: grid(16), values: Array(16).fill(7) });
    expect(res.problem).toEqual({ series: 'B', reason: 'flat' });
    expect(res.r).toBeNull();
    expect(res.peak).toBeNull();
    expect(res.volumes.overall).toBeNull();
    expect(res.verdict.text).toBe('Not enough data: B is flat');
  });

  it('reports an empty series as empty, even when missing buckets count as zero', () => {
    const res = analyzeCorrelation({ times: grid(16), values: backgroundA }, { times: [], values: [] });
    expect(res.verdict.text).toBe('Not enough data: B has no data');
  });

  it('reports a too-short series', () => {
    const res = analyzeCorrelation({ times: grid(3), values: [1, 5, 2] }, { times: grid(3), values: [1, 6, 2] });
    expect(res.problem).toEqual({ series: 'both', reason: 'too-short' });
  });

  it('counts missing buckets as zero traffic by default and as gaps on request', () => {
    // B has no rows where it carried nothing: with zeros filled in it equals A exactly.
    const a = [0, 0, 7, 9, 0, 0, 3, 0];
    const bTimes = grid(8).filter((_, i) => a[i] !== 0);
    const bValues = a.filter((v) => v !== 0);
    const asZero = analyzeCorrelation({ times: grid(8), values: a }, { times: bTimes, values: bValues }, { missing: 'zero' });
    expect(asZero.aligned.b).toEqual(a);
    expect(asZero.r).toBeCloseTo(1, 12);
    const asGap = analyzeCorrelation({ times: grid(8), values: a }, { times: bTimes, values: bValues }, { missing: 'gap' });
    expect(asGap.aligned.b).toEqual([null, null, 7, 9, null, null, 3, null]);
    expect(asGap.problem).toEqual({ series: 'B', reason: 'too-short' });
  });

  it('aligns a 1-minute and a 5-minute series before correlating', () => {
    const fine = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 9, 9, 9, 9, 9, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4];
    const coarse = [5, 10, 45, 5, 20];
    const res = analyzeCorrelation({ times: grid(25), values: fine }, { times: grid(5, 5 * MIN), values: coarse });
    expect(res.aligned.stepMs).toBe(5 * MIN);
    expect(res.aligned.a).toEqual(coarse);
    expect(res.r).toBeCloseTo(1, 12);
    expect(res.volumes.overall?.ratio).toBeCloseTo(1, 12);
  });

  it('limits the statistics to the visible range', () => {
    const a = [...backgroundA, 500, 1];
    const b = [...backgroundA, 1, 500];
    const res = analyzeCorrelation({ times: grid(18), values: a }, { times: grid(18), values: b }, {}, { from: 0, to: 16 * MIN });
    expect(res.aligned.times).toHaveLength(16);
    expect(res.r).toBeCloseTo(1, 12);
  });
});
