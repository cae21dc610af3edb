import { alignSeries, inferStepMs } from './timeSeries';

const MIN = 60_000;
const minutes = (...m: number[]) => m.map((x) => x * MIN);

describe('inferStepMs', () => {
  it('takes the smallest gap, so missing buckets do not stretch the step', () => {
    expect(inferStepMs(minutes(0, 1, 3, 5))).toBe(MIN);
    expect(inferStepMs(minutes(5, 0, 10))).toBe(5 * MIN);
    expect(inferStepMs([42])).toBeNull();
  });
});

describe('alignSeries', () => {
  it('sums a 1-minute series into the 5-minute grid of the other (volumes)', () => {
    const a = { times: minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
    const b = { times: minutes(0, 5), values: [15, 40] };
    const p = alignSeries(a, b);
    expect(p.stepMs).toBe(5 * MIN);
    expect(p.times).toEqual(minutes(0, 5));
    expect(p.a).toEqual([15, 40]);
    expect(p.b).toEqual([15, 40]);
  });

  it('averages instead when the fine series is a rate', () => {
    const a = { times: minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };
    const b = { times: minutes(0, 5), values: [3, 8] };
    expect(alignSeries(a, b, { combineA: 'mean' }).a).toEqual([3, 8]);
  });

  it('anchors the grid on the coarse series even when its buckets start off the hour', () => {
    const a = { times: minutes(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), values: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] };
    const b = { times: minutes(2, 7), values: [5, 5] };
    const p = alignSeries(a, b);
    expect(p.times).toEqual(minutes(-3, 2, 7));
    expect(p.a).toEqual([2, 5, 5]);
    expect(p.b).toEqual([null, 5, 5]);
  });

  it('leaves missing buckets as gaps or zeros, as asked', () => {
    const a = { times: minutes(0, 1, 3), values: [1, 2, 4] };
    const b = { times: minutes(0, 1, 2, 3), values: [1, 2, 3, 4] };
    expect(alignSeries(a, b, { missing: 'gap' }).a).toEqual([1, 2, null, 4]);
    expect(alignSeries(a, b, { missing: 'zero' }).a).toEqual([1, 2, 0, 4]);
  });

  it('treats NaN and Infinity as missing, never as numbers', () => {
    const a = { times: minutes(0, 1, 2), values: [1, NaN, Infinity] };
    const b = { times: minutes(0, 1, 2), values: [1, 2, 3] };
    expect(alignSeries(a, b).a).toEqual([1, null, null]);
  });

  it('covers exactly the buckets overlapping the visible range', () => {
    const a = { times: minutes(-2, -1, 0, 1, 2, 3, 4, 5, 6), values: [9, 9, 1, 2, 3, 4, 5, 9, 9] };
    const b = { times: minutes(0, 1, 2, 3, 4), values: [1, 2, 3, 4, 5] };
    const p = alignSeries(a, b, { range: { from: 0.5 * MIN, to: 4.5 * MIN } });
    expect(p.times).toEqual(minutes(0, 1, 2, 3, 4));
    expect(p.a).toEqual([1, 2, 3, 4, 5]);
  });

  it('uses a stated step over the inferred one and yields an empty grid without any step', () => {
    const p = alignSeries({ times: [0], values: [1], stepMs: MIN }, { times: [0], values: [2] });
    expect(p).toEqual({ times: [0], stepMs: MIN, a: [1], b: [2] });
    expect(alignSeries({ times: [], values: [] }, { times: [], values: [] }).times).toEqual([]);
  });
});
