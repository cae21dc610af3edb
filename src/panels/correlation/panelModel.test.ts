import { createDataFrame, FieldType } from '@grafana/data';

import { buildBidirectionalFrames, buildTwoQueryFrames, DEFAULT_FIXTURE } from './fixtures/correlationFixtures';
import { buildPanelModel, selectionFor } from './panelModel';
import { DEFAULT_OPTIONS, SeriesSource } from './types';

const range = { from: DEFAULT_FIXTURE.start, to: DEFAULT_FIXTURE.start + 60 * 60_000 };

describe('panel model', () => {
  it('auto mode picks directions when a reverse series is present, queries otherwise', () => {
    expect(selectionFor(buildBidirectionalFrames(), DEFAULT_OPTIONS).kind).toBe('directions');
    expect(selectionFor(buildTwoQueryFrames(), DEFAULT_OPTIONS).kind).toBe('queries');
    expect(selectionFor(buildBidirectionalFrames(), { ...DEFAULT_OPTIONS, source: SeriesSource.Queries }).kind).toBe('queries');
  });

  it('passes the option thresholds and lag window to the statistics', () => {
    const m = buildPanelModel(buildTwoQueryFrames(), { ...DEFAULT_OPTIONS, maxLag: 2, strongR: 0.999999 }, range);
    expect(m.result?.byLag.map((l) => l.lag)).toEqual([-2, -1, 0, 1, 2]);
    expect(m.result?.verdict.level).toBe('weak');
  });

  it('averages rate series when merging buckets, so the volume ratio stays right', () => {
    const rate = (refId: string, times: number[], values: number[]) =>
      createDataFrame({
        refId,
        fields: [
          { name: 'time', type: FieldType.time, values: times },
          { name: 'v', type: FieldType.number, values, config: { unit: 'bps' } },
        ],
      });
    const MIN = 60_000;
    const fine = rate('A', [0, 1, 2, 3, 4, 5, 6, 7].map((m) => m * MIN), [1, 3, 2, 2, 5, 7, 1, 1]);
    const coarse = rate('B', [0, 2, 4, 6].map((m) => m * MIN), [2, 2, 6, 1]);
    const m = buildPanelModel([fine, coarse], DEFAULT_OPTIONS, { from: 0, to: 8 * MIN });
    expect(m.result?.aligned.a).toEqual([2, 2, 6, 1]);
    expect(m.result?.volumes.overall?.ratio).toBe(1);
  });

  it('does not compare the volumes of series in different units (bytes against bits/s)', () => {
    // a query added beside the step-4 one starts on Bits/s: its numbers are no volume of bytes
    const frames = buildTwoQueryFrames();
    frames[1].fields[1].config = { ...frames[1].fields[1].config, unit: 'b/s' };
    const m = buildPanelModel(frames, DEFAULT_OPTIONS, range);
    expect(m.result?.r).toBeGreaterThan(0.9);
    expect(m.result?.volumes).toEqual({ overall: null, spikes: null });
    expect(m.result?.verdict.level).toBe('correlated');
    expect(m.result?.verdict.text).toMatch(/^B follows A at lag 0, r = \S+, volumes not compared: A and B are in different units$/);
    // the same units compare as before
    expect(buildPanelModel(buildTwoQueryFrames(), DEFAULT_OPTIONS, range).result?.verdict.level).toBe('same-event');
  });

  it('carries the extraction message when a series is missing', () => {
    const m = buildPanelModel([], DEFAULT_OPTIONS, range);
    expect(m.result).toBeNull();
    expect(m.extraction).toMatchObject({ ok: false, message: 'No data for query A and query B' });
  });
});
