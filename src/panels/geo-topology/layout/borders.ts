import { countryAt } from './worldShapes';

export interface BorderEnd {
  /** ISO-2 code from the frame, if any. */
  country?: string;
  lat: number;
  lon: number;
}

export interface BorderVerdict {
  crosses: boolean;
  /** False when nothing could tell (no field, no country on either end): drawn as not crossing. */
  known: boolean;
  source: 'field' | 'countries' | 'coordinates' | 'unknown';
}

/**
 * Whether traffic between two places crosses an international boundary. The data source's
 * crosses_border wins; otherwise the ends' country codes; otherwise the countries their
 * coordinates fall in on the bundled map (so Node Graph frames without country fields still work).
 */
export function crossesBorder(explicit: boolean | undefined, a: BorderEnd, b: BorderEnd): BorderVerdict {
  if (explicit !== undefined) {
    return { crosses: explicit, known: true, source: 'field' };
  }
  if (a.country && b.country) {
    return { crosses: a.country.toUpperCase() !== b.country.toUpperCase(), known: true, source: 'countries' };
  }
  const ca = countryAt(a.lon, a.lat);
  const cb = countryAt(b.lon, b.lat);
  if (ca && cb) {
    return { crosses: ca.id !== cb.id, known: true, source: 'coordinates' };
  }
  return { crosses: false, known: false, source: 'unknown' };
}

/** Reads booleans the way frames carry them: true/false, 1/0, "true"/"yes". Undefined when absent or unreadable. */
export function parseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value !== 0 : undefined;
  }
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', 't', 'yes', 'y', '1'].includes(v)) {
      return true;
    }
    if (['false', 'f', 'no', 'n', '0'].includes(v)) {
      return false;
    }
  }
  return undefined;
}
