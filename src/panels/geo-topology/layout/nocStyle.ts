/**
 * NOC wall mode: what "legible at 4 m on a 1080p screen" means in pixels and colours, in one place.
 *
 * Type: a wall screen is 55–65" (1080 px over 685–810 mm: 0.63–0.75 mm a pixel). Legibility
 * guidance for signage and control rooms asks a capital letter to subtend 10–20′ of arc; at 4 m
 * 14′ is 16 mm, 22 px of cap height on a 65" screen, a ≥ 30 px font (caps are ~0.7 em). Place
 * labels use 32 px bold (14′ on 65", 12′ on 55"); card and tooltip 30 px, legend 28 px (≥ 10′
 * on a 55" screen).
 *
 * Colour: contrast ratios by WCAG 2's formula. Country outlines carry the map's shape (≥ 4.5:1 on
 * the black background); land is a visible but quiet fill (≥ 1.7:1, was 1.2:1) dark enough that
 * every threshold colour an arc may take keeps ≥ 3:1 against it (WCAG's bar for graphics).
 */
import { MapColors } from './draw';

export const NOC_FONT = {
  label: 32,
  card: 30,
  legend: 28,
  tooltip: 30,
  clusterCount: 28,
} as const;

export const NOC_MAP: MapColors = { background: '#000000', land: '#2f3542', borders: '#8b95a7', borderWidth: 1.4 };

/** Visual angle (arc minutes) of a capital letter of `fontPx` on a screen, from a distance. */
export function capHeightArcMinutes(fontPx: number, screen: { diagonalInches: number; verticalPixels: number }, distanceM: number): number {
  // 16:9 panel: height = diagonal × 9 / √(16² + 9²).
  const heightMm = screen.diagonalInches * 25.4 * (9 / Math.hypot(16, 9));
  const capMm = fontPx * 0.7 * (heightMm / screen.verticalPixels);
  return ((2 * Math.atan(capMm / 2 / (distanceM * 1000))) * 180 * 60) / Math.PI;
}

function channel(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
}

/** WCAG relative luminance of a #rrggbb colour. */
export function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!m) {
    throw new Error(`not a #rrggbb colour: ${hex}`);
  }
  const [r, g, b] = m.slice(1).map((h) => channel(parseInt(h, 16)));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #rrggbb colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
