import { createCanvas, Path2D as SkiaPath2D } from '@napi-rs/canvas';
import { directionalArc, pointAt } from './arcs';
import { animatedArcs, drawArcs, drawFlowDashes } from './draw';
import { SceneArc } from './scene';

type Op = { op: 'stroke' | 'fill' | 'fillRect'; style: string; width: number; alpha: number; dash: number[]; offset: number; segments: number; corners?: Array<[number, number]> };

/** Records what would reach a canvas: each stroke/fill with the style in force and the arcs traced. */
function recordingContext() {
  const ops: Op[] = [];
  let segments = 0;
  let dash: number[] = [];
  let m = [1, 0, 0, 1, 0, 0];
  const apply = (x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
  const ctx = {
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    lineCap: 'butt',
    lineDashOffset: 0,
    setTransform: (...t: number[]) => (m = t),
    clearRect: () => undefined,
    setLineDash: (d: number[]) => (dash = d),
    beginPath: () => (segments = 0),
    moveTo: () => segments++,
    quadraticCurveTo: () => undefined,
    lineTo: () => undefined,
    closePath: () => undefined,
    stroke(path?: { segments: number }) {
      ops.push({ op: 'stroke', style: this.strokeStyle, width: this.lineWidth, alpha: this.globalAlpha, dash, offset: this.lineDashOffset, segments: path ? path.segments : segments });
    },
    fill() {
      ops.push({ op: 'fill', style: this.fillStyle, width: this.lineWidth, alpha: this.globalAlpha, dash, offset: this.lineDashOffset, segments });
    },
    fillRect(x: number, y: number, w: number, h: number) {
      const corners = [apply(x, y), apply(x + w, y), apply(x + w, y + h), apply(x, y + h)];
      ops.push({ op: 'fillRect', style: this.fillStyle, width: this.lineWidth, alpha: this.globalAlpha, dash, offset: this.lineDashOffset, segments: 0, corners });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, ops };
}

/** A Path2D stand-in that counts the arcs traced into it. */
class CountingPath {
  segments = 0;
  moveTo() {
    this.segments++;
  }
  quadraticCurveTo() {}
  lineTo() {}
  closePath() {}
}
const Path = CountingPath as unknown as typeof Path2D;

function arc(key: string, from: [number, number], to: [number, number], value: number, crossesBorder: boolean, color = 'green', width = 3): SceneArc {
  const a = directionalArc({ x: from[0], y: from[1] }, { x: to[0], y: to[1] }, 0.2)!;
  return {
    key,
    from: key.split('>')[0],
    to: key.split('>')[1],
    reverseKey: key.split('>').reverse().join('>'),
    links: [],
    value,
    apps: [],
    crossesBorder,
    color,
    width,
    arc: a,
    bbox: { x0: Math.min(from[0], to[0]) - 50, y0: Math.min(from[1], to[1]) - 50, x1: Math.max(from[0], to[0]) + 50, y1: Math.max(from[1], to[1]) + 50 },
  };
}

const exfil = arc('eastus>CN', [100, 100], [500, 120], 48e6, true, 'red', 6);
const local = arc('chicago>eastus', [80, 90], [100, 100], 1e6, false, 'green', 2);
const offscreen = arc('x>y', [5000, 5000], [6000, 5000], 1, false);

describe('drawArcs', () => {
  it('draws a halo in the border colour under crossing arcs, then each arc, arrows and a diamond', () => {
    const { ctx, ops } = recordingContext();
    drawArcs(ctx, [local, exfil, offscreen], 800, 400, 1, { markBorderCrossing: true, borderColor: 'purple', Path: null });
    const halo = ops.find((o) => o.op === 'stroke' && o.style === 'purple')!;
    expect(halo.width).toBe(6 + 3);
    const red = ops.find((o) => o.op === 'stroke' && o.style === 'red')!;
    expect(red.width).toBe(6);
    expect(ops.indexOf(halo)).toBeLessThan(ops.indexOf(red));
    // One ◆ for the one crossing arc: a square turned by 45° centred on the arc's middle.
    const diamonds = ops.filter((o) => o.op === 'fillRect' && o.style === 'purple');
    expect(diamonds).toHaveLength(1);
    const mid = pointAt(exfil.arc, 0.5);
    const [top, right, bottom, left] = diamonds[0].corners!;
    expect((top[0] + bottom[0]) / 2).toBeCloseTo(mid.x);
    expect((top[1] + bottom[1]) / 2).toBeCloseTo(mid.y);
    expect(top[0]).toBeCloseTo(mid.x);
    expect(right[1]).toBeCloseTo(mid.y);
    expect(left[1]).toBeCloseTo(mid.y);
    expect(right[0] - mid.x).toBeCloseTo(6);
    // The off-screen arc is culled: only two coloured arcs were stroked.
    expect(ops.filter((o) => o.op === 'stroke' && o.style !== 'purple').reduce((n, o) => n + o.segments, 0)).toBe(2);
  });

  it('skips the ◆ of an arc whose middle is off screen (zoomed in), still drawing the arc', () => {
    const { ctx, ops } = recordingContext();
    // From inside the panel to far right of it: the bbox touches the panel, the middle does not.
    const long = arc('a>b', [700, 200], [3000, 200], 5, true, 'red', 2);
    drawArcs(ctx, [long], 800, 400, 1, { markBorderCrossing: true, borderColor: 'purple', Path: null });
    expect(ops.some((o) => o.op === 'stroke' && o.style === 'red')).toBe(true);
    expect(ops.filter((o) => o.op === 'fillRect')).toHaveLength(0);
  });

  it('reuses a hairline path for the same arcs only while the same arcs fall into its group', () => {
    const arcs = [local, exfil];
    const strokes = (markBorderCrossing: boolean) => {
      const { ctx, ops } = recordingContext();
      drawArcs(ctx, arcs, 800, 400, 1, { markBorderCrossing, borderColor: 'purple', quality: 'fast', Path });
      return Object.fromEntries(ops.map((o) => [o.style, o.segments]));
    };
    expect(strokes(true)).toEqual({ green: 1, purple: 1 });
    // Marking off: the crossing (red) arc is no longer in the border colour's group.
    expect(strokes(false)).toEqual({ green: 1, red: 1 });
    expect(strokes(true)).toEqual({ green: 1, purple: 1 });
  });

  it('does not mark crossing when marking is off', () => {
    const { ctx, ops } = recordingContext();
    drawArcs(ctx, [exfil], 800, 400, 1, { markBorderCrossing: false, borderColor: 'purple', Path: null });
    expect(ops.some((o) => o.style === 'purple')).toBe(false);
  });

  it('draws only 1 px lines while interacting, crossing arcs in the border colour', () => {
    const { ctx, ops } = recordingContext();
    drawArcs(ctx, [local, exfil], 800, 400, 1, { markBorderCrossing: true, borderColor: 'purple', quality: 'fast', Path: null });
    expect(ops.every((o) => o.op === 'stroke' && o.width === 1)).toBe(true);
    expect(ops.map((o) => o.style).sort()).toEqual(['green', 'purple']);
  });

  it('draws arcs outside the detail budget as hairlines without halo', () => {
    const { ctx, ops } = recordingContext();
    drawArcs(ctx, [local, exfil], 800, 400, 1, { markBorderCrossing: true, borderColor: 'purple', detailLimit: 1, Path: null });
    expect(ops.find((o) => o.op === 'stroke' && o.style === 'green')!.width).toBe(1);
    expect(ops.find((o) => o.op === 'stroke' && o.style === 'red')!.width).toBe(6);
  });

  it('dims arcs that are not highlighted', () => {
    const { ctx, ops } = recordingContext();
    drawArcs(ctx, [local, exfil], 800, 400, 1, { markBorderCrossing: false, borderColor: 'purple', highlight: new Set([exfil.key]), Path: null });
    expect(ops.find((o) => o.op === 'stroke' && o.style === 'red')!.alpha).toBeGreaterThan(ops.find((o) => o.op === 'stroke' && o.style === 'green')!.alpha);
  });
});

describe('drawArcs on a real (Skia) canvas', () => {
  it('paints the ◆ as a diamond at the middle of the crossing arc, at any pixel ratio', () => {
    for (const dpr of [1, 2]) {
      const canvas = createCanvas(800 * dpr, 400 * dpr);
      const ctx = canvas.getContext('2d') as unknown as CanvasRenderingContext2D;
      // Outside the detail budget: a hairline and a ◆ of half-diagonal 3, no halo around it.
      drawArcs(ctx, [exfil], 800, 400, dpr, { markBorderCrossing: true, borderColor: '#ff00ff', detailLimit: 0, Path: SkiaPath2D as unknown as typeof Path2D });
      const mid = pointAt(exfil.arc, 0.5);
      const pixel = (x: number, y: number) => Array.from(ctx.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data);
      const magenta = (p: number[]) => p[0] > 200 && p[1] < 40 && p[2] > 200 && p[3] > 200;
      // Filled along both axes up to near the tips, empty in the corners of its bounding square.
      for (const [dx, dy] of [[0, 0], [1.8, 0], [-1.8, 0], [0, 1.8], [0, -1.8]]) {
        expect(magenta(pixel(mid.x + dx, mid.y + dy))).toBe(true);
      }
      for (const [dx, dy] of [[2.5, -2.5], [-2.5, -2.5], [2.5, 2.5], [-2.5, 2.5]]) {
        expect(pixel(mid.x + dx, mid.y + dy)[3]).toBe(0);
      }
    }
  });
});

describe('flow dashes', () => {
  it('moves dashes from source to target as time passes (negative dash offset)', () => {
    const { ctx, ops } = recordingContext();
    drawFlowDashes(ctx, [exfil], 800, 400, 1, { offset: 30, color: '#fff', Path: null });
    expect(ops).toHaveLength(1);
    expect(ops[0].offset).toBe(-30);
    expect(ops[0].dash.length).toBe(2);
  });

  it('animates the busiest arcs plus the highlighted ones', () => {
    const arcs = [local, exfil, offscreen];
    expect(animatedArcs(arcs, 1).map((a) => a.key)).toEqual([exfil.key]);
    expect(animatedArcs(arcs, 1, new Set([local.key])).map((a) => a.key).sort()).toEqual([local.key, exfil.key].sort());
  });
});
