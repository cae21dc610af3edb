import { createTheme } from '@grafana/data';
import { capHeightArcMinutes, contrastRatio, luminance, NOC_FONT, NOC_MAP } from './nocStyle';

const WALL_55 = { diagonalInches: 55, verticalPixels: 1080 };
const WALL_65 = { diagonalInches: 65, verticalPixels: 1080 };

describe('NOC wall legibility', () => {
  it('computes WCAG contrast like the reference values', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(luminance('#000000')).toBe(0);
    expect(() => luminance('purple')).toThrow(/#rrggbb/);
  });

  it('computes the visual angle of text on a 1080p wall screen', () => {
    // 32 px on a 65" screen: 22.4 px of cap height × 0.75 mm = 16.8 mm, 14.4′ at 4 m.
    expect(capHeightArcMinutes(32, WALL_65, 4)).toBeCloseTo(14.4, 1);
    expect(capHeightArcMinutes(32, WALL_55, 4)).toBeCloseTo(12.2, 1);
  });

  it('sizes every NOC text to be read from 4 m, place labels the largest', () => {
    expect(capHeightArcMinutes(NOC_FONT.label, WALL_65, 4)).toBeGreaterThanOrEqual(14);
    expect(capHeightArcMinutes(NOC_FONT.label, WALL_55, 4)).toBeGreaterThanOrEqual(12);
    for (const [what, px] of Object.entries(NOC_FONT)) {
      expect([what, capHeightArcMinutes(px, WALL_55, 4) >= 10]).toEqual([what, true]);
    }
  });

  it('outlines countries and fills land visibly on black, and keeps every arc colour readable on land', () => {
    // The audit's land (#1b1e24) was 1.2:1 on black: invisible across a room.
    expect(contrastRatio('#1b1e24', NOC_MAP.background)).toBeLessThan(1.3);
    expect(contrastRatio(NOC_MAP.land, NOC_MAP.background)).toBeGreaterThanOrEqual(1.7);
    expect(contrastRatio(NOC_MAP.borders, NOC_MAP.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(NOC_MAP.borders, NOC_MAP.land)).toBeGreaterThanOrEqual(3);
    const theme = createTheme({ colors: { mode: 'dark' } });
    // Threshold colours of the default field config, the palette's others, and the border marker.
    for (const name of ['green', 'yellow', 'red', 'blue', 'orange', 'purple']) {
      const css = theme.visualization.getColorByName(name);
      expect([name, css, contrastRatio(css, NOC_MAP.land) >= 3]).toEqual([name, css, true]);
    }
  });
});
