import { Scale } from './scales';

/** Runs of consecutive points with a value: a gap (null) breaks the line instead of bridging it. */
export function runs(times: number[], values: Array<number | null>): Array<Array<[number, number]>> {
  const out: Array<Array<[number, number]>> = [];
  let current: Array<[number, number]> = [];
  for (let i = 0; i < Math.min(times.length, values.length); i++) {
    const v = values[i];
    if (typeof v === 'number' && Number.isFinite(v)) {
      current.push([times[i], v]);
    } else if (current.length > 0) {
      out.push(current);
      current = [];
    }
  }
  if (current.length > 0) {
    out.push(current);
  }
  return out;
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/** SVG path of the series line. */
export function linePath(times: number[], values: Array<number | null>, x: Scale, y: Scale): string {
  return runs(times, values)
    .map((run) => run.map(([t, v], i) => `${i === 0 ? 'M' : 'L'}${r1(x(t))},${r1(y(v))}`).join(''))
    .join('');
}

/** SVG path of the area between the series and its baseline (the time axis). */
export function areaPath(times: number[], values: Array<number | null>, x: Scale, y: Scale, baselineY: number): string {
  return runs(times, values)
    .map((run) => {
      const first = r1(x(run[0][0]));
      const last = r1(x(run[run.length - 1][0]));
      const top = run.map(([t, v]) => `L${r1(x(t))},${r1(y(v))}`).join('');
      return `M${first},${r1(baselineY)}${top}L${last},${r1(baselineY)}Z`;
    })
    .join('');
}
