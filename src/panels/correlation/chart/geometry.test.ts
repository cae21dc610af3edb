import { ChartLayout } from '../types';
import { chartGeometry, ChartInput } from './geometry';

const MIN = 60_000;
const input: ChartInput = {
  width: 476,
  height: 234,
  range: { from: 0, to: 10 * MIN },
  layout: ChartLayout.Mirrored,
  a: { times: [0, 5 * MIN, 10 * MIN], values: [0, 80, 40], unit: 'bytes' },
  b: { times: [0, 5 * MIN, 10 * MIN], values: [0, 100, 20], unit: 'bytes' },
  windows: [{ from: 5 * MIN, to: 6 * MIN }],
};

describe('chartGeometry', () => {
  it('mirrors B below the axis on one shared scale when units match', () => {
    const g = chartGeometry(input);
    // plot: left 64, width 400, top 8, height 200 → baseline at 108, half height 100, max 100
    expect(g.plot).toEqual({ left: 64, top: 8, width: 400, height: 200 });
    expect(g.baselineY).toBe(108);
    expect(g.sharedScale).toBe(true);
    expect(g.paths.a.line).toBe('M64,108L264,28L464,68');
    expect(g.paths.b.line).toBe('M64,108L264,208L464,128');
    expect(g.windows).toEqual([{ x: 264, width: 40, from: 5 * MIN, to: 6 * MIN }]);
    expect(g.invertX(264)).toBe(5 * MIN);
  });

  it('overlays both above the axis, each on its own scale and axis when units differ', () => {
    const g = chartGeometry({ ...input, layout: ChartLayout.Overlaid, b: { ...input.b, unit: 'pps' } });
    expect(g.sharedScale).toBe(false);
    expect(g.plot.width).toBe(476 - 64 - 64);
    expect(g.baselineY).toBe(208);
    // plot width 348: the peak bucket sits at 64 + 174; A max 80 → nice 100, B max 100 → 100
    expect(g.paths.a.line).toContain('L238,48');
    expect(g.paths.b.line).toContain('L238,8');
    expect(g.yTicks.some((t) => t.side === 'right' && t.series === 'B')).toBe(true);
  });

  it('clips shaded windows to the plot and drops those outside it', () => {
    const g = chartGeometry({ ...input, windows: [{ from: -5 * MIN, to: MIN }, { from: 20 * MIN, to: 21 * MIN }] });
    expect(g.windows).toEqual([{ x: 64, width: 40, from: -5 * MIN, to: MIN }]);
  });
});
