import { ChartLayout } from '../types';
import { areaPath, linePath } from './paths';
import { linearScale, niceCeil, Scale, timeTicks } from './scales';

export interface ChartSeries {
  times: number[];
  values: Array<number | null>;
  unit?: string;
}

export interface ChartInput {
  width: number;
  height: number;
  range: { from: number; to: number };
  layout: ChartLayout;
  a: ChartSeries;
  b: ChartSeries;
  windows: Array<{ from: number; to: number }>;
  /** Dashboard zone minus UTC, for ticks on round local times. */
  tzOffsetMs?: number;
}

export interface YTick {
  y: number;
  value: number;
  series: 'A' | 'B';
  side: 'left' | 'right';
}

export interface ChartGeometry {
  plot: { left: number; top: number; width: number; height: number };
  baselineY: number;
  x: Scale;
  /** Pixel x → time, for drag-to-zoom. */
  invertX: (px: number) => number;
  paths: { a: { line: string; area: string }; b: { line: string; area: string } };
  xTicks: { interval: number; ticks: Array<{ x: number; time: number }> };
  yTicks: YTick[];
  windows: Array<{ x: number; width: number; from: number; to: number }>;
  /** True when A and B share one value scale (same unit): heights compare directly. */
  sharedScale: boolean;
}

const MARGIN = { left: 64, right: 12, top: 8, bottom: 26 };
const RIGHT_AXIS = 64;

function maxValue(values: Array<number | null>, times: number[], range: { from: number; to: number }): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v) && times[i] >= range.from && times[i] <= range.to) {
      m = Math.max(m, Math.abs(v));
    }
  }
  return m;
}

/**
 * Pixel geometry of the chart: A above the axis and B below it (mirrored) or both above
 * (overlaid). With the same unit both share one scale so equal volumes look equal; otherwise
 * each gets its own (and, overlaid, its own axis on the right).
 */
export function chartGeometry(input: ChartInput): ChartGeometry {
  const sharedScale = (input.a.unit ?? '') === (input.b.unit ?? '');
  const twoAxes = input.layout === ChartLayout.Overlaid && !sharedScale;
  const left = MARGIN.left;
  const top = MARGIN.top;
  const width = Math.max(10, input.width - MARGIN.left - (twoAxes ? RIGHT_AXIS : MARGIN.right));
  const height = Math.max(10, input.height - MARGIN.top - MARGIN.bottom);
  const { from, to } = input.range;
  const x = linearScale([from, to], [left, left + width]);
  const invertX = linearScale([left, left + width], [from, to]);

  const rawA = maxValue(input.a.values, input.a.times, input.range);
  const rawB = maxValue(input.b.values, input.b.times, input.range);
  const maxA = niceCeil(sharedScale ? Math.max(rawA, rawB) : rawA);
  const maxB = niceCeil(sharedScale ? Math.max(rawA, rawB) : rawB);

  const mirrored = input.layout === ChartLayout.Mirrored;
  const baselineY = mirrored ? top + height / 2 : top + height;
  const span = mirrored ? height / 2 : height;
  const yA = linearScale([0, maxA], [baselineY, baselineY - span]);
  const yB = mirrored ? linearScale([0, maxB], [baselineY, baselineY + span]) : linearScale([0, maxB], [baselineY, baselineY - span]);

  const yTicks: YTick[] = [];
  const fractions = mirrored ? [0.5, 1] : [0.25, 0.5, 0.75, 1];
  yTicks.push({ y: baselineY, value: 0, series: 'A', side: 'left' });
  for (const f of fractions) {
    yTicks.push({ y: yA(maxA * f), value: maxA * f, series: 'A', side: 'left' });
    if (mirrored) {
      yTicks.push({ y: yB(maxB * f), value: maxB * f, series: 'B', side: 'left' });
    } else if (twoAxes) {
      yTicks.push({ y: yB(maxB * f), value: maxB * f, series: 'B', side: 'right' });
    }
  }

  const ticks = timeTicks(from, to, width, input.tzOffsetMs ?? 0);
  const windows = input.windows
    .map((w) => {
      const x0 = Math.max(left, x(w.from));
      const x1 = Math.min(left + width, x(w.to));
      return { x: x0, width: x1 - x0, from: w.from, to: w.to };
    })
    .filter((w) => w.width > 0);

  return {
    plot: { left, top, width, height },
    baselineY,
    x,
    invertX,
    paths: {
      a: { line: linePath(input.a.times, input.a.values, x, yA), area: areaPath(input.a.times, input.a.values, x, yA, baselineY) },
      b: { line: linePath(input.b.times, input.b.values, x, yB), area: areaPath(input.b.times, input.b.values, x, yB, baselineY) },
    },
    xTicks: { interval: ticks.interval, ticks: ticks.ticks.map((t) => ({ x: x(t), time: t })) },
    yTicks,
    windows,
    sharedScale,
  };
}
