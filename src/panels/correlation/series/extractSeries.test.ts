import { createDataFrame, FieldType } from '@grafana/data';

import { buildBidirectionalFrames, buildTwoQueryFrames } from '../fixtures/correlationFixtures';
import { extractSeries, hasReverseSeries, isReverseField } from './extractSeries';

const frame = (refId: string, values: number[], extra: { unit?: string; reverse?: 'transform' | 'label'; name?: string; times?: number[] } = {}) =>
  createDataFrame({
    refId,
    fields: [
      { name: 'time', type: FieldType.time, values: extra.times ?? values.map((_, i) => i * 60_000) },
      {
        name: extra.name ?? 'bytes',
        type: FieldType.number,
        values,
        labels: extra.reverse === 'label' ? { direction: 'reverse' } : {},
        config: { unit: extra.unit ?? 'decbytes', ...(extra.reverse === 'transform' ? { custom: { transform: 'negative-Y' } } : {}) },
      },
    ],
  });

describe('isReverseField', () => {
  it('recognises the negative-Y transform and the direction label', () => {
    expect(isReverseField(frame('A', [1], { reverse: 'transform' }).fields[1])).toBe(true);
    expect(isReverseField(frame('A', [1], { reverse: 'label' }).fields[1])).toBe(true);
    expect(isReverseField(frame('A', [1]).fields[1])).toBe(false);
  });
});

describe('extractSeries', () => {
  it('takes A and B from two queries by refId, with names and units', () => {
    const res = extractSeries(buildTwoQueryFrames({ buckets: 5 }), { kind: 'queries', refIdA: 'A', refIdB: 'B' });
    expect(res.ok).toBe(true);
    if (res.ok) {
      expect(res.a.name).toBe('MySQL inside');
      expect(res.b.name).toBe('ssh out');
      expect(res.a.unit).toBe('decbytes');
      expect(res.a.stepMs).toBe(60_000);
      expect(res.a.times).toHaveLength(5);
      expect(res.b.reverse).toBe(false);
    }
  });

  it('takes the forward and reverse directions of one query, reverse made positive', () => {
    const frames = [frame('A', [1, 2, 3]), frame('A', [-4, -5, -6], { reverse: 'transform', name: 'back' })];
    expect(hasReverseSeries(frames)).toBe(true);
    const res = extractSeries(frames, { kind: 'directions' });
    expect(res.ok && res.a.values).toEqual([1, 2, 3]);
    expect(res.ok && res.b.values).toEqual([4, 5, 6]);
    expect(res.ok && res.b.reverse).toBe(true);
    const swapped = extractSeries(frames, { kind: 'directions', aIsReverse: true });
    expect(swapped.ok && swapped.a.values).toEqual([4, 5, 6]);
  });

  it('works on the bidirectional fixture, direction marked by label and transform', () => {
    const res = extractSeries(buildBidirectionalFrames({ buckets: 4 }), { kind: 'directions', refId: 'A' });
    expect(res.ok).toBe(true);
    expect(res.ok && res.b.name).toBe('db → jump host');
  });

  it('sums several groups of a query at equal timestamps and skips other units', () => {
    const frames = [frame('A', [1, 2, 3]), frame('A', [10, 20, 30], { name: 'other' }), frame('A', [7, 7, 7], { unit: 'pps', name: 'packets' }), frame('B', [1, 1, 2])];
    const res = extractSeries(frames, { kind: 'queries', refIdA: 'A', refIdB: 'B' });
    expect(res.ok && res.a.values).toEqual([11, 22, 33]);
    expect(res.ok && res.a.fieldCount).toBe(2);
    expect(res.ok && res.a.name).toBe('A (total)');
  });

  it('keeps only series whose name matches', () => {
    const frames = [frame('A', [1, 2, 3], { name: 'mysql' }), frame('A', [10, 20, 30], { name: 'web' }), frame('B', [1, 1, 2])];
    const res = extractSeries(frames, { kind: 'queries', refIdA: 'A', refIdB: 'B', match: 'MySQL' });
    expect(res.ok).toBe(false);
    const res2 = extractSeries([...frames, frame('B', [5, 6, 7], { name: 'mysql back' })], { kind: 'queries', refIdA: 'A', refIdB: 'B', match: 'mysql' });
    expect(res2.ok && res2.a.values).toEqual([1, 2, 3]);
    expect(res2.ok && res2.b.values).toEqual([5, 6, 7]);
  });

  it('says what is missing instead of guessing', () => {
    const res = extractSeries([frame('A', [1, 2, 3])], { kind: 'queries', refIdA: 'A', refIdB: 'B' });
    expect(res).toMatchObject({ ok: false, message: 'No data for query B' });
    const dir = extractSeries([frame('A', [1, 2, 3])], { kind: 'directions' });
    expect(dir).toMatchObject({ ok: false, message: 'No data for a reverse (negative-Y) series' });
    expect(extractSeries([], { kind: 'queries', refIdA: 'A', refIdB: 'B' })).toMatchObject({ message: 'No data for query A and query B' });
  });

  it('ignores frames without a time field and non-numeric values', () => {
    const noTime = createDataFrame({ refId: 'A', fields: [{ name: 'v', type: FieldType.number, values: [1] }] });
    const withNulls = createDataFrame({
      refId: 'A',
      fields: [
        { name: 'time', type: FieldType.time, values: [0, 60_000, 120_000] },
        { name: 'v', type: FieldType.number, values: [1, null, NaN] },
      ],
    });
    const res = extractSeries([noTime, withNulls, frame('B', [1, 2, 3])], { kind: 'queries', refIdA: 'A', refIdB: 'B' });
    expect(res.ok && res.a.values).toEqual([1, null, null]);
  });
});
