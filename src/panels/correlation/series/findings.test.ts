import { buildCorrelationSeries, DEFAULT_FIXTURE } from '../fixtures/correlationFixtures';
import { analyzeCorrelation } from '../stats/analyze';
import { findingsText } from './findings';
import { correlationResultFrames } from './resultFrames';

const MIN = 60_000;

describe('findingsText', () => {
  it('spells out the verdict, every number and each joint spike window, in the dashboard zone', () => {
    const { a, b } = buildCorrelationSeries({ lag: 1 });
    const result = analyzeCorrelation(a, b);
    const frames = correlationResultFrames(result, { a: 'MySQL inside', b: 'ssh out' });
    const range = { from: DEFAULT_FIXTURE.start, to: DEFAULT_FIXTURE.start + 60 * MIN };
    const text = findingsText(frames, { timeZone: 'utc', range });
    const lines = text.split('\n');
    expect(lines[0]).toBe('FlowAtlas correlation, 2026-01-15 12:00:00 – 2026-01-15 13:00:00 (utc)');
    expect(lines).toContain('A: MySQL inside');
    expect(lines).toContain('B: ssh out');
    expect(lines).toContain(`Verdict: ${result.verdict.text}`);
    expect(text).toMatch(/Cross-correlation peak: lag 1 bucket\(s\) \(1m, positive = B later\), r = (0\.9\d|1\.00)/);
    expect(text).toMatch(/Volume B\/A: \d\.\d\d in the joint spike windows, \d\.\d\d overall/);
    expect(lines).toContain('Bucket: 1m');
    expect(result.windows.length).toBeGreaterThan(0);
    expect(lines).toContain(`Joint spike windows (both series above their spike threshold): ${result.windows.length}`);
    const w = result.windows[0];
    const hhmm = (t: number) => new Date(t).toISOString().slice(11, 19);
    expect(text).toContain(`  2026-01-15 ${hhmm(w.from)} – 2026-01-15 ${hhmm(w.to)} (${w.endIndex - w.startIndex + 1} bucket(s))`);
    // Another zone moves the clock times, not the findings.
    expect(findingsText(frames, { timeZone: 'Asia/Kolkata', range }).split('\n')[0]).toBe('FlowAtlas correlation, 2026-01-15 17:30:00 – 2026-01-15 18:30:00 (Asia/Kolkata)');
  });

  it('writes dashes, not zeros, when there is not enough data', () => {
    const result = analyzeCorrelation({ times: [0, 1, 2, 3], values: [1, 2, 3, 4] }, { times: [0, 1, 2, 3], values: [5, 5, 5, 5] });
    const text = findingsText(correlationResultFrames(result, { a: 'a', b: 'b' }), { timeZone: 'utc', range: { from: 0, to: 4 } });
    expect(text).toContain('Pearson r at lag 0: —');
    expect(text).toContain('Cross-correlation peak: —');
    expect(text).toContain('Volume B/A: — in the joint spike windows, — overall');
    expect(text).toContain('Joint spike windows (both series above their spike threshold): none');
    expect(text).toContain('Verdict: Not enough data: B is flat');
  });
});
