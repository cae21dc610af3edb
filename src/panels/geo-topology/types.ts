/** Kinds of places the map draws, each with its own glyph. String values double as accepted input spellings. */
export enum NodeKind {
  CloudRegion = 'cloud-region',
  DataCenter = 'data-center',
  Branch = 'branch',
  InternetCountry = 'internet-country',
  Unknown = 'unknown',
}

export enum ProjectionKind {
  NaturalEarth = 'naturalEarth',
  Equirectangular = 'equirectangular',
  Mercator = 'mercator',
}

export enum FitMode {
  World = 'world',
  Nodes = 'nodes',
}

export interface GeoTopologyOptions {
  projection: ProjectionKind;
  fit: FitMode;
  /** Dashboard variable set by a node click (without the `var-` prefix). */
  nodeVariable: string;
  /** Dashboard variables set by an arc click: source and destination of the clicked direction. */
  srcVariable: string;
  dstVariable: string;
  animate: boolean;
  showLabels: boolean;
  showLegend: boolean;
  nocMode: boolean;
  markBorderCrossing: boolean;
  borderColor: string;
  /** Screen distance (px) under which nodes merge into a cluster. */
  clusterRadius: number;
  minNodeRadius: number;
  maxNodeRadius: number;
  maxArcWidth: number;
  /** Bend of each direction's arc, as a share of the chord length. */
  curvature: number;
}

export const DEFAULT_OPTIONS: GeoTopologyOptions = {
  projection: ProjectionKind.NaturalEarth,
  fit: FitMode.World,
  nodeVariable: 'site',
  srcVariable: 'src_site',
  dstVariable: 'dst_site',
  animate: true,
  showLabels: true,
  showLegend: true,
  nocMode: false,
  markBorderCrossing: true,
  borderColor: 'purple',
  clusterRadius: 14,
  minNodeRadius: 5,
  maxNodeRadius: 18,
  maxArcWidth: 8,
  curvature: 0.18,
};

export interface Point {
  x: number;
  y: number;
}

export interface DetailEntry {
  label: string;
  value: string;
}

export interface TopologyNode {
  id: string;
  title: string;
  subtitle?: string;
  kind: NodeKind;
  lat: number;
  lon: number;
  /** ISO-2 country code if the frame gave one. */
  country?: string;
  provider?: string;
  /** Cloud region (or the data source's region name) the place is in. */
  region?: string;
  cidrs: string[];
  /** Flows seen at the node (a count), when the frame gives it. */
  flows?: number;
  /** Traffic arriving at / leaving the node, from the frame or summed from the edges. */
  totalIn: number;
  totalOut: number;
  details: DetailEntry[];
}

/** One direction of a link: A→B or B→A. */
export interface DirectionStats {
  value: number;
  flows?: number;
  apps: string[];
  /** False when the frame said nothing about this direction (no row, no value). */
  present: boolean;
}

/**
 * Whether a direction is drawn (arc, dashes, hit area): the data said something about it and it
 * carried traffic. Data sources send 0 for a silent direction; the tooltip still says "no traffic".
 */
export const carriesTraffic = (d: Pick<DirectionStats, 'present' | 'value'>) => d.present && d.value > 0;

/** A pair of nodes with both directions kept apart. `a` < `b` is not required; `ab` is a→b. */
export interface TopologyLink {
  id: string;
  a: string;
  b: string;
  ab: DirectionStats;
  ba: DirectionStats;
  /** Total flows for the pair when the frame gives no per-direction count. */
  flows?: number;
  /** True when the frame said so (crosses_border), or the two ends lie in different countries. */
  crossesBorder: boolean;
  /** Whether crossesBorder comes from data (field or countries) rather than a default. */
  borderKnown: boolean;
}

export interface TopologyModel {
  nodes: TopologyNode[];
  links: TopologyLink[];
  /** Problems in the input that did not stop the rest from drawing (missing coordinates, unknown ids). */
  warnings: string[];
}
