import { jointSpikeWindows, median, medianAbsoluteDeviation, spikeMask, spikeThreshold, windowIndices } from './spikes';

describe('median and MAD', () => {
  it('takes the middle value or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('computes the MAD by hand: [1,1,2,2,4,6,9] → median 2, deviations [1,1,0,0,2,4,7] → 1', () => {
    expect(medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9])).toBe(1);
  });
});

describe('spikeThreshold', () => {
  it('is median + k · 1.4826 · MAD', () => {
    const t = spikeThreshold([1, 1, 2, 2, 4, 6, 9], 3);
    expect(t?.median).toBe(2);
    expect(t?.spread).toBeCloseTo(1.4826, 12);
    expect(t?.threshold).toBeCloseTo(6.4478, 12);
    expect(spikeMask([1, 1, 2, 2, 4, 6, 9], t)).toEqual([false, false, false, false, false, false, true]);
  });

  it('falls back to the mean absolute deviation when the MAD is 0 (idle traffic)', () => {
    const values = [0, 0, 0, 0, 0, 0, 10, 0];
    const t = spikeThreshold(values, 3);
    // mean |x − 0| = 10 / 8 = 1.25; spread = 1.2533 · 1.25 = 1.566625; threshold = 4.699875
    expect(t?.spread).toBeCloseTo(1.566625, 12);
    expect(t?.threshold).toBeCloseTo(4.699875, 12);
    expect(spikeMask(values, t)).toEqual([false, false, false, false, false, false, true, false]);
  });

  it('never flags a flat series and ignores gaps', () => {
    const t = spikeThreshold([5, 5, null, 5], 3);
    expect(t?.spread).toBe(0);
    expect(spikeMask([5, 5, null, 5], t)).toEqual([false, false, false, false]);
    expect(spikeThreshold([null, null], 3)).toBeNull();
  });
});

describe('jointSpikeWindows', () => {
  it('merges consecutive buckets where both series spike', () => {
    const times = [0, 60, 120, 180, 240, 300];
    const a = [false, true, true, true, false, true];
    const b = [false, false, true, true, false, true];
    const windows = jointSpikeWindows(times, 60, a, b);
    expect(windows).toEqual([
      { startIndex: 2, endIndex: 3, from: 120, to: 240 },
      { startIndex: 5, endIndex: 5, from: 300, to: 360 },
    ]);
    expect(windowIndices(windows)).toEqual([2, 3, 5]);
  });

  it('is empty when the spikes do not coincide', () => {
    expect(jointSpikeWindows([0, 1, 2], 1, [true, false, false], [false, false, true])).toEqual([]);
  });
});

describe('jointSpikeWindows at a lag', () => {
  it('pairs A’s spike with B’s spike lag buckets later, in A’s time', () => {
    const a = [false, true, true, false, false];
    const b = [false, false, false, true, true];
    expect(jointSpikeWindows([0, 1, 2, 3, 4], 1, a, b, 2)).toEqual([{ startIndex: 1, endIndex: 2, from: 1, to: 3 }]);
  });
});
