import { geoBounds, geoContains } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import countries110m from 'world-atlas/countries-110m.json';

export type CountryFeature = Feature<Geometry, { name: string }> & { id?: string | number };

interface WorldShapes {
  countries: CountryFeature[];
  /** Shared inner borders drawn once (not twice per neighbour pair): crisper and half the work. */
  borders: Geometry;
  bounds: Array<[[number, number], [number, number]]>;
}

let cached: WorldShapes | undefined;

/** Country shapes from the bundled world-atlas (Natural Earth 1:110m): no tile server, works offline. */
export function worldShapes(): WorldShapes {
  if (!cached) {
    const topology = countries110m as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
    const collection = feature(topology, topology.objects.countries) as FeatureCollection<Geometry, { name: string }>;
    const countries = collection.features as CountryFeature[];
    cached = {
      countries,
      borders: mesh(topology, topology.objects.countries, (a, b) => a !== b),
      bounds: countries.map((c) => geoBounds(c)),
    };
  }
  return cached;
}

function insideBounds(lon: number, lat: number, [[w, s], [e, n]]: [[number, number], [number, number]]): boolean {
  if (lat < s || lat > n) {
    return false;
  }
  // Bounds that cross the antimeridian have west > east.
  return w <= e ? lon >= w && lon <= e : lon >= w || lon <= e;
}

/**
 * The world-atlas country containing a coordinate (ISO 3166-1 numeric id and name), or undefined
 * at sea. Used to tell whether an arc leaves a country when the frames carry no country field.
 */
export function countryAt(lon: number, lat: number): { id: string; name: string } | undefined {
  const { countries, bounds } = worldShapes();
  for (let i = 0; i < countries.length; i++) {
    if (insideBounds(lon, lat, bounds[i]) && geoContains(countries[i], [lon, lat])) {
      return { id: String(countries[i].id ?? countries[i].properties.name), name: countries[i].properties.name };
    }
  }
  return undefined;
}
