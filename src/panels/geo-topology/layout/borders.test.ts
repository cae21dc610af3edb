import { crossesBorder, parseBoolean } from './borders';
import { countryAt } from './worldShapes';

const azureEastus = { lat: 37.37, lon: -79.82 };
const dcChicago = { lat: 41.88, lon: -87.63 };
const beijing = { lat: 39.9, lon: 116.4 };
const amsterdam = { lat: 52.37, lon: 4.9 };

describe('border crossing', () => {
  it('trusts the crosses_border field first, even against the countries', () => {
    expect(crossesBorder(true, { ...azureEastus, country: 'US' }, { ...dcChicago, country: 'US' })).toEqual({
      crosses: true,
      known: true,
      source: 'field',
    });
    expect(crossesBorder(false, { ...azureEastus }, { ...beijing }).crosses).toBe(false);
  });

  it('compares ISO country codes when the frame has them', () => {
    expect(crossesBorder(undefined, { ...azureEastus, country: 'US' }, { ...beijing, country: 'cn' })).toMatchObject({
      crosses: true,
      source: 'countries',
    });
    expect(crossesBorder(undefined, { ...azureEastus, country: 'us' }, { ...dcChicago, country: 'US' }).crosses).toBe(false);
  });

  it('falls back to the countries the coordinates lie in on the bundled map', () => {
    expect(countryAt(azureEastus.lon, azureEastus.lat)?.name).toMatch(/United States/);
    expect(countryAt(amsterdam.lon, amsterdam.lat)?.name).toBe('Netherlands');
    expect(crossesBorder(undefined, azureEastus, beijing)).toMatchObject({ crosses: true, source: 'coordinates' });
    expect(crossesBorder(undefined, azureEastus, dcChicago)).toMatchObject({ crosses: false, known: true, source: 'coordinates' });
  });

  it('says unknown (and not crossing) in the middle of the ocean', () => {
    expect(countryAt(-40, 30)).toBeUndefined();
    expect(crossesBorder(undefined, { lat: 30, lon: -40 }, beijing)).toEqual({ crosses: false, known: false, source: 'unknown' });
  });

  it('reads booleans in the shapes frames carry them', () => {
    expect([true, 1, 'true', 'Yes', '1'].map(parseBoolean)).toEqual([true, true, true, true, true]);
    expect([false, 0, 'false', 'no'].map(parseBoolean)).toEqual([false, false, false, false]);
    expect([null, undefined, 'maybe', NaN].map(parseBoolean)).toEqual([undefined, undefined, undefined, undefined]);
  });
});
