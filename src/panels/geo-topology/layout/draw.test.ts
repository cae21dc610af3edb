import { directionalArc } from './arcs';
import { animatedArcs, drawArcs, drawFlowDashes } from './draw';
import { SceneArc } from './scene';

/** Records what would reach a canvas: each stroke/fill with the style in force and the arcs traced. */
function recordingContext() {
  const ops: Array<{ op: 'stroke' | 'fill'; style: string; width: number; alpha: number; dash: number[]; offset: number; segments: number }> = [];
  let segments = 0;
  let dash: number[] = [];
  const ctx = {
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    lineCap: 'butt',
    lineDashOffset: 0,
    setTransform: () => undefined,
    clearRect: () => undefined,
    setLineDash: (d: number[]) => (dash = d),
    beginPath: () => (segments = 0),
    moveTo: () => segments++,
    quadraticCurveTo: () => undefined,
    lineTo: () => undefined,
    closePath: () => undefined,
    stroke() {
      ops.push({ op: 'stroke', style: this.strokeStyle, width: this.lineWidth, alpha: this.globalAlpha, dash, offset: this.lineDashOffset, segments });
    },
    fill() {
      ops.push({ op: 'fill', style: this.fillStyle, width: this.lineWidth, alpha: this.globalAlpha, dash, offset: this.lineDashOffset, segments });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, ops };
}

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
    expect(ops.filter((o) => o.op === 'fill' && o.style === 'purple')).toHaveLength(1);
    // The off-screen arc is culled: only two coloured arcs were stroked.
    expect(ops.filter((o) => o.op === 'stroke' && o.style !== 'purple').reduce((n, o) => n + o.segments, 0)).toBe(2);
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
