import { buildCorrelationSeries, DEFAULT_FIXTURE } from '../fixtures/correlationFixtures';
import { analyzeCorrelation } from '../stats/analyze';
import { correlationResultFrames } from './resultFrames';

const value = (frame: ReturnType<typeof correlationResultFrames>[0], name: string) => frame.fields.find((f) => f.name === name)?.values[0];

describe('correlationResultFrames', () => {
  it('exposes the numbers and the windows as fields', () => {
    const { a, b } = buildCorrelationSeries({ lag: 1 });
    const result = analyzeCorrelation(a, b);
    const [summary, windows] = correlationResultFrames(result, { a: 'MySQL inside', b: 'ssh out' });
    expect(value(summary, 'a')).toBe('MySQL inside');
    expect(value(summary, 'r')).toBe(result.r);
    expect(value(summary, 'lag_buckets')).toBe(1);
    expect(value(summary, 'lag')).toBe(DEFAULT_FIXTURE.stepMs);
    expect(value(summary, 'r_at_lag')).toBe(result.peak?.r);
    expect(value(summary, 'verdict')).toBe(result.verdict.text);
    expect(windows.length).toBe(result.windows.length);
    expect(windows.fields[0].values).toEqual(result.windows.map((w) => w.from));
  });

  it('carries nulls, not zeros, when there is not enough data', () => {
    const result = analyzeCorrelation({ times: [0, 1, 2, 3], values: [1, 2, 3, 4] }, { times: [0, 1, 2, 3], values: [5, 5, 5, 5] });
    const [summary, windows] = correlationResultFrames(result, { a: 'a', b: 'b' });
    expect(value(summary, 'r')).toBeNull();
    expect(value(summary, 'lag')).toBeNull();
    expect(value(summary, 'volume_ratio_overall')).toBeNull();
    expect(value(summary, 'level')).toBe('not-enough-data');
    expect(windows.length).toBe(0);
  });
});
