import { geoEquirectangular, geoMercator, geoNaturalEarth1, GeoProjection } from 'd3-geo';
import type { GeoJSON } from 'geojson';
import { FitMode, ProjectionKind } from '../types';
import { LABEL_GAP, LABEL_LINE_HEIGHT } from './labels';

export interface FitRequest {
  kind: ProjectionKind;
  fit: FitMode;
  width: number;
  height: number;
  padding: number;
  /** [lon, lat] of the nodes, used when fit = nodes. */
  coordinates?: Array<[number, number]>;
  /** Smallest span (degrees) a node fit may zoom to, so one site does not fill the panel. */
  minSpanDegrees?: number;
}

function baseProjection(kind: ProjectionKind): GeoProjection {
  switch (kind) {
    case ProjectionKind.Equirectangular:
      return geoEquirectangular();
    case ProjectionKind.Mercator:
      return geoMercator();
    default:
      return geoNaturalEarth1();
  }
}

/** Mercator cannot show the poles; fit it to the latitudes people live at. */
const MERCATOR_WORLD: GeoJSON = {
  type: 'Polygon',
  coordinates: [
    [
      [-180, -58],
      [180, -58],
      [180, 78],
      [-180, 78],
      [-180, -58],
    ],
  ],
};

function nodesExtent(coordinates: Array<[number, number]>, minSpan: number): GeoJSON {
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of coordinates) {
    minLon = Math.min(minLon, lon);
    maxLon = Math.max(maxLon, lon);
    minLat = Math.min(minLat, lat);
    maxLat = Math.max(maxLat, lat);
  }
  const grow = (lo: number, hi: number, limit: number): [number, number] => {
    const span = hi - lo;
    if (span >= minSpan) {
      return [lo, hi];
    }
    const mid = (lo + hi) / 2;
    return [Math.max(-limit, mid - minSpan / 2), Math.min(limit, mid + minSpan / 2)];
  };
  [minLon, maxLon] = grow(minLon, maxLon, 180);
  [minLat, maxLat] = grow(minLat, maxLat, 85);
  // A MultiPoint of the corners: fitExtent then frames the box without caring about winding order.
  return {
    type: 'MultiPoint',
    coordinates: [
      [minLon, minLat],
      [maxLon, minLat],
      [maxLon, maxLat],
      [minLon, maxLat],
    ],
  };
}

/**
 * A projection scaled and translated so the world (or just the nodes) fills the panel minus padding.
 * Pan and zoom are applied on top of this (viewTransform), so it only changes when the panel resizes.
 */
export function fitProjection(req: FitRequest): GeoProjection {
  const projection = baseProjection(req.kind);
  const width = Math.max(1, req.width);
  const height = Math.max(1, req.height);
  const pad = Math.min(req.padding, width / 4, height / 4);
  const extent: [[number, number], [number, number]] = [
    [pad, pad],
    [width - pad, height - pad],
  ];
  let target: GeoJSON;
  if (req.fit === FitMode.Nodes && req.coordinates && req.coordinates.length > 0) {
    target = nodesExtent(req.coordinates, req.minSpanDegrees ?? 30);
  } else if (req.kind === ProjectionKind.Mercator) {
    target = MERCATOR_WORLD;
  } else {
    target = { type: 'Sphere' } as unknown as GeoJSON;
  }
  return projection.fitExtent(extent, target as never);
}

/** Padding of the whole-world view: the sphere's outline only needs to stay clear of the edge. */
export const WORLD_PADDING = 12;

export interface FitPaddingRequest {
  fit: FitMode;
  /** The largest glyph radius on screen (option × NOC scale). */
  maxNodeRadius: number;
  /** Label font size: a label above or below the outermost glyph must fit too. */
  fontSize: number;
}

/**
 * Padding for "fit to places": the outermost places sit on the fitted extent, so the panel edge must
 * leave room for their glyph (radius) and one line of label beside it, or they are cut in half.
 * The label placer keeps labels inside the panel, so one line's height is all it needs.
 */
export function fitPadding(req: FitPaddingRequest): number {
  if (req.fit !== FitMode.Nodes) {
    return WORLD_PADDING;
  }
  return Math.ceil(req.maxNodeRadius + LABEL_GAP + req.fontSize * LABEL_LINE_HEIGHT);
}
