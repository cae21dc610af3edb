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

/** A glyph labels should avoid; `priority` as in LabelRequest (absent: never covered). */
export interface LabelObstacle {
  x: number;
  y: number;
  r: number;
  priority?: number;
}

/**
 * Greedy label placement: by priority, try right, left, below, above and the four corners of the
 * glyph; take the first spot inside the panel that overlaps no placed label and no glyph. When
 * there is none, a label may cover the glyphs of smaller places (never a bigger one's, never a
 * label): on a crowded map — a cloud region ringed by its own small sites, a NOC wall's large
 * type — the busiest places would otherwise lose their names to their tiny neighbours. Labels
 * left without any spot are dropped, the smallest places first.
 */
export function placeLabels(requests: LabelRequest[], glyphs: LabelObstacle[], fontSize: number, width: number, height: number): PlacedLabel[] {
  const glyphBoxes = glyphs.map((g) => ({ box: { x0: g.x - g.r, y0: g.y - g.r, x1: g.x + g.r, y1: g.y + g.r }, priority: g.priority ?? Infinity }));
  const placed: PlacedLabel[] = [];
  const gap = LABEL_GAP;
  const sorted = [...requests].sort((a, b) => b.priority - a.priority || a.id.localeCompare(b.id));
  for (const req of sorted) {
    const w = estimateTextWidth(req.text, fontSize);
    const h = fontSize * LABEL_LINE_HEIGHT;
    const out = req.r + gap;
    // Corners sit on the glyph's diagonal, so the box just clears the circle.
    const d = req.r * Math.SQRT1_2 + gap;
    const candidates: Array<{ x: number; y: number; anchor: PlacedLabel['anchor']; box: Box }> = [
      { x: req.x + out, y: req.y, anchor: 'start', box: { x0: req.x + out, y0: req.y - h / 2, x1: req.x + out + w, y1: req.y + h / 2 } },
      { x: req.x - out, y: req.y, anchor: 'end', box: { x0: req.x - out - w, y0: req.y - h / 2, x1: req.x - out, y1: req.y + h / 2 } },
      { x: req.x, y: req.y + out + h / 2, anchor: 'middle', box: { x0: req.x - w / 2, y0: req.y + out, x1: req.x + w / 2, y1: req.y + out + h } },
      { x: req.x, y: req.y - out - h / 2, anchor: 'middle', box: { x0: req.x - w / 2, y0: req.y - out - h, x1: req.x + w / 2, y1: req.y - out } },
      { x: req.x + d, y: req.y - d - h / 2, anchor: 'start', box: { x0: req.x + d, y0: req.y - d - h, x1: req.x + d + w, y1: req.y - d } },
      { x: req.x + d, y: req.y + d + h / 2, anchor: 'start', box: { x0: req.x + d, y0: req.y + d, x1: req.x + d + w, y1: req.y + d + h } },
      { x: req.x - d, y: req.y - d - h / 2, anchor: 'end', box: { x0: req.x - d - w, y0: req.y - d - h, x1: req.x - d, y1: req.y - d } },
      { x: req.x - d, y: req.y + d + h / 2, anchor: 'end', box: { x0: req.x - d - w, y0: req.y + d, x1: req.x - d, y1: req.y + d + h } },
    ];
    const free = (c: { box: Box }, mayCover: (glyphPriority: number) => boolean) =>
      c.box.x0 >= 0 &&
      c.box.y0 >= 0 &&
      c.box.x1 <= width &&
      c.box.y1 <= height &&
      !placed.some((p) => overlaps(p.box, c.box)) &&
      !glyphBoxes.some((g) => !mayCover(g.priority) && overlaps(g.box, c.box));
    const spot = candidates.find((c) => free(c, () => false)) ?? candidates.find((c) => free(c, (glyphPriority) => glyphPriority < req.priority));
    if (spot) {
      placed.push({ id: req.id, text: req.text, ...spot });
    }
  }
  return placed;
}
