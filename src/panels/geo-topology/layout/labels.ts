export interface LabelRequest {
  id: string;
  text: string;
  x: number;
  y: number;
  /** Radius of the glyph the label belongs to: the label sits just outside it. */
  r: number;
  /** Higher first: the biggest sites keep their labels when space runs out. */
  priority: number;
}

export interface PlacedLabel {
  id: string;
  text: string;
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
  /** Box in screen space, for tests and debugging. */
  box: Box;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Text width without a canvas (jsdom has none): average glyph width of a sans-serif face. */
export const estimateTextWidth = (text: string, fontSize: number) => text.length * fontSize * 0.58;

/** Space between a glyph and its label. */
export const LABEL_GAP = 3;
/** A label's box height, as a multiple of the font size. */
export const LABEL_LINE_HEIGHT = 1.2;

const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/**
 * Greedy label placement: by priority, try right, left, below and above the glyph; take the first
 * spot that overlaps no placed label, no glyph and stays inside the panel; otherwise drop the label.
 */
export function placeLabels(
  requests: LabelRequest[],
  glyphs: Array<{ x: number; y: number; r: number }>,
  fontSize: number,
  width: number,
  height: number
): PlacedLabel[] {
  const glyphBoxes = glyphs.map((g) => ({ x0: g.x - g.r, y0: g.y - g.r, x1: g.x + g.r, y1: g.y + g.r }));
  const placed: PlacedLabel[] = [];
  const gap = LABEL_GAP;
  const sorted = [...requests].sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  for (const req of sorted) {
    const w = estimateTextWidth(req.text, fontSize);
    const h = fontSize * LABEL_LINE_HEIGHT;
    const candidates: Array<{ x: number; y: number; anchor: PlacedLabel['anchor']; box: Box }> = [
      { x: req.x + req.r + gap, y: req.y, anchor: 'start', box: { x0: req.x + req.r + gap, y0: req.y - h / 2, x1: req.x + req.r + gap + w, y1: req.y + h / 2 } },
      { x: req.x - req.r - gap, y: req.y, anchor: 'end', box: { x0: req.x - req.r - gap - w, y0: req.y - h / 2, x1: req.x - req.r - gap, y1: req.y + h / 2 } },
      { x: req.x, y: req.y + req.r + gap + h / 2, anchor: 'middle', box: { x0: req.x - w / 2, y0: req.y + req.r + gap, x1: req.x + w / 2, y1: req.y + req.r + gap + h } },
      { x: req.x, y: req.y - req.r - gap - h / 2, anchor: 'middle', box: { x0: req.x - w / 2, y0: req.y - req.r - gap - h, x1: req.x + w / 2, y1: req.y - req.r - gap } },
    ];
    const spot = candidates.find(
      (c) =>
        c.box.x0 >= 0 &&
        c.box.y0 >= 0 &&
        c.box.x1 <= width &&
        c.box.y1 <= height &&
        !placed.some((p) => overlaps(p.box, c.box)) &&
        !glyphBoxes.some((g) => overlaps(g, c.box))
    );
    if (spot) {
      placed.push({ id: req.id, text: req.text, ...spot });
    }
  }
  return placed;
}
