import { carriesTraffic, DirectionStats, GeoTopologyOptions, Point, TopologyLink, TopologyModel, TopologyNode } from '../types';
import { arcBounds, distanceToPolyline, QuadArc, sampleArc, trimmedDirectionalArc } from './arcs';
import { clusterNodes, DisplayItem } from './clusters';
import { placeLabels, PlacedLabel } from './labels';
import { sqrtScale } from './scales';
import { thresholdColor, Thresholds, ValueRange, valueRange } from './thresholds';
import { ViewTransform } from './viewTransform';

export interface SceneNode {
  id: string;
  x: number;
  y: number;
  r: number;
  isCluster: boolean;
  members: TopologyNode[];
  total: number;
  anchor?: Point;
}

/** One drawn direction between two scene nodes (several links when an end is a cluster). */
export interface SceneArc {
  key: string;
  from: string;
  to: string;
  /** Key of the opposite direction's arc, when drawn. */
  reverseKey: string;
  links: TopologyLink[];
  value: number;
  flows?: number;
  apps: string[];
  crossesBorder: boolean;
  color: string;
  width: number;
  arc: QuadArc;
  /** Contains the whole arc: hit-testing samples only the arcs whose box holds the pointer. */
  bbox: { x0: number; y0: number; x1: number; y1: number };
}

export interface Scene {
  nodes: SceneNode[];
  arcs: SceneArc[];
  labels: PlacedLabel[];
  nodeById: Map<string, SceneNode>;
  arcByKey: Map<string, SceneArc>;
}

export interface SceneInput {
  model: TopologyModel;
  /** lon/lat → screen before pan/zoom (the fitted projection). */
  project: (lonLat: [number, number]) => [number, number] | null;
  transform: ViewTransform;
  width: number;
  height: number;
  options: GeoTopologyOptions;
  expanded: ReadonlySet<string>;
  /** From the rate field's config; one scale for both directions so their colours compare. */
  thresholds?: Thresholds;
  configMin?: number | null;
  configMax?: number | null;
  /** Grafana colour names → CSS (theme.visualization.getColorByName). */
  resolveColor: (name: string) => string;
  fontSize: number;
}

export const arcKey = (from: string, to: string) => `${from}\u2192${to}`;

/** How much bigger glyphs, arcs and cluster distances are on a NOC wall. */
export const NOC_SCALE = 1.5;

/** One drawn direction with everything that does not depend on where it is on screen. */
type ArcData = Omit<SceneArc, 'arc' | 'bbox'>;

interface ModelCache {
  project?: SceneInput['project'];
  /** Fitted-projection position of every node that can be drawn (pan/zoom applied later). */
  base?: Array<{ node: TopologyNode; x: number; y: number }>;
  /** Every direction with traffic, from the model's links. */
  directions?: Direction[];
  /** Last aggregation, reused while the clusters and colour inputs stay the same. */
  arcsKey?: string;
  arcsDeps?: unknown[];
  arcs?: ArcData[];
}

/**
 * Per-model memo: projecting every node and aggregating thousands of links onto the drawn items
 * does not change on a zoom step unless the clusters do, and the scene is rebuilt on every step.
 */
const caches = new WeakMap<TopologyModel, ModelCache>();

function cacheFor(model: TopologyModel): ModelCache {
  let cache = caches.get(model);
  if (!cache) {
    cache = {};
    caches.set(model, cache);
  }
  return cache;
}

function projectedNodes(model: TopologyModel, project: SceneInput['project'], cache: ModelCache) {
  if (cache.project !== project || !cache.base) {
    cache.project = project;
    cache.base = [];
    for (const node of model.nodes) {
      const p = project([node.lon, node.lat]);
      if (p) {
        cache.base.push({ node, x: p[0], y: p[1] });
      }
    }
  }
  return cache.base;
}

/** One direction of one link that carries traffic, with its arc key made once per model. */
interface Direction {
  link: TopologyLink;
  from: string;
  to: string;
  stats: DirectionStats;
  key: string;
  reverseKey: string;
  /** [link], kept so an unclustered arc does not allocate its own. */
  links: TopologyLink[];
}

function directionsOf(model: TopologyModel, cache: ModelCache): Direction[] {
  if (!cache.directions) {
    cache.directions = [];
    for (const link of model.links) {
      const links = [link];
      for (const [from, to, stats] of [
        [link.a, link.b, link.ab],
        [link.b, link.a, link.ba],
      ] as const) {
        if (carriesTraffic(stats)) {
          cache.directions.push({ link, from, to, stats, key: arcKey(from, to), reverseKey: arcKey(to, from), links });
        }
      }
    }
  }
  return cache.directions;
}

interface Acc {
  from: string;
  to: string;
  key: string;
  reverseKey: string;
  links: TopologyLink[];
  value: number;
  flows?: number;
  apps: string[];
  crosses: boolean;
}

/**
 * Links aggregated onto the drawn items (several links per direction when an end is a cluster),
 * coloured and sized, thinnest first. Directions without traffic are not drawn at all.
 */
function aggregateArcs(directions: Direction[], itemOfNode: Map<string, string>, input: SceneInput, scale: number): ArcData[] {
  const acc: Acc[] = [];
  // Only arcs with a clustered end gather several links; the others map one to one.
  const merged = new Map<string, Acc>();
  for (const d of directions) {
    const from = itemOfNode.get(d.from);
    const to = itemOfNode.get(d.to);
    // Links inside one collapsed cluster are not drawn.
    if (!from || !to || from === to) {
      continue;
    }
    const { stats, link } = d;
    if (from === d.from && to === d.to) {
      acc.push({ from, to, key: d.key, reverseKey: d.reverseKey, links: d.links, value: stats.value, flows: stats.flows, apps: stats.apps, crosses: link.crossesBorder });
      continue;
    }
    const key = arcKey(from, to);
    let a = merged.get(key);
    if (!a) {
      a = { from, to, key, reverseKey: arcKey(to, from), links: [], value: 0, apps: [], crosses: false };
      merged.set(key, a);
      acc.push(a);
    }
    a.links.push(link);
    a.value += stats.value;
    if (stats.flows !== undefined) {
      a.flows = (a.flows ?? 0) + stats.flows;
    }
    for (const app of stats.apps) {
      if (!a.apps.includes(app)) {
        a.apps.push(app);
      }
    }
    a.crosses = a.crosses || link.crossesBorder;
  }

  const values = acc.map((a) => a.value);
  const range: ValueRange = valueRange(values, input.configMin, input.configMax);
  // Hundreds of fat arcs are a hairball: thin them as their number grows (also less to rasterise).
  const crowding = Math.min(1, Math.max(0.3, Math.sqrt(300 / Math.max(1, values.length))));
  const width = sqrtScale(Math.max(0, ...values), 1 * scale, Math.max(1.5, input.options.maxArcWidth * crowding) * scale);
  const colorOf = new Map<string, string>();
  const arcs: ArcData[] = [];
  for (const a of acc) {
    const name = thresholdColor(a.value, input.thresholds, range, 'blue');
    let color = colorOf.get(name);
    if (color === undefined) {
      color = input.resolveColor(name);
      colorOf.set(name, color);
    }
    arcs.push({
      key: a.key,
      from: a.from,
      to: a.to,
      reverseKey: a.reverseKey,
      links: a.links,
      value: a.value,
      flows: a.flows,
      apps: a.apps,
      crossesBorder: a.crosses,
      color,
      width: width(a.value),
    });
  }
  // Thin arcs first so heavy ones are drawn on top and stay readable.
  return arcs.sort((p, q) => p.width - q.width);
}

/**
 * Everything the canvas and the overlay draw, in screen coordinates: projected and clustered nodes
 * sized by total traffic, one arc per direction with traffic coloured by thresholds, and the labels
 * that fit. Pure (the memo only skips recomputing equal results), so the panel memoises it and the
 * benchmark can time it.
 */
export function buildScene(input: SceneInput): Scene {
  const { model, options, transform } = input;
  const scale = options.nocMode ? NOC_SCALE : 1;
  const cache = cacheFor(model);
  const base = projectedNodes(model, input.project, cache);
  const nodeById = new Map(model.nodes.map((n) => [n.id, n]));

  const layout = clusterNodes(
    base.map(({ node, x, y }) => ({ id: node.id, x: x * transform.k + transform.x, y: y * transform.k + transform.y, weight: node.totalIn + node.totalOut })),
    options.clusterRadius * scale,
    input.expanded
  );
  const totalOf = (item: DisplayItem) => item.members.reduce((s, id) => s + nodeById.get(id)!.totalIn + nodeById.get(id)!.totalOut, 0);
  const totals = layout.items.map(totalOf);
  const radius = sqrtScale(Math.max(0, ...totals), options.minNodeRadius * scale, options.maxNodeRadius * scale);
  const nodes: SceneNode[] = layout.items.map((item, i) => ({
    id: item.id,
    x: item.x,
    y: item.y,
    r: item.isCluster ? Math.max(radius(totals[i]), 9 * scale) : radius(totals[i]),
    isCluster: item.isCluster,
    members: item.members.map((id) => nodeById.get(id)!),
    total: totals[i],
    anchor: item.anchor,
  }));
  const sceneNodeById = new Map(nodes.map((n) => [n.id, n]));

  // Which node is drawn as which item: the aggregation only changes when this does.
  const arcsKey = layout.items.map((item) => (item.isCluster ? `${item.id}=${item.members.join(',')}` : item.id)).join('|');
  const arcsDeps = [input.thresholds, input.configMin, input.configMax, input.resolveColor, options.maxArcWidth, scale];
  if (cache.arcsKey !== arcsKey || !cache.arcsDeps || cache.arcsDeps.some((d, i) => d !== arcsDeps[i])) {
    cache.arcs = aggregateArcs(directionsOf(model, cache), layout.itemOfNode, input, scale);
    cache.arcsKey = arcsKey;
    cache.arcsDeps = arcsDeps;
  }
  const arcs: SceneArc[] = [];
  for (const data of cache.arcs!) {
    const from = sceneNodeById.get(data.from)!;
    const to = sceneNodeById.get(data.to)!;
    const arc = trimmedDirectionalArc(from, to, options.curvature, from.r + 2, to.r + 2);
    if (arc) {
      // Spelled out: an object spread of this size is ~25x slower in V8, and this runs 4,000 times a step.
      arcs.push({
        key: data.key,
        from: data.from,
        to: data.to,
        reverseKey: data.reverseKey,
        links: data.links,
        value: data.value,
        flows: data.flows,
        apps: data.apps,
        crossesBorder: data.crossesBorder,
        color: data.color,
        width: data.width,
        arc,
        bbox: arcBounds(arc),
      });
    }
  }

  const labels = options.showLabels
    ? placeLabels(
        nodes.map((n) => ({
          id: n.id,
          text: n.isCluster ? `${n.members[0].title} +${n.members.length - 1}` : n.members[0].title,
          x: n.x,
          y: n.y,
          r: n.r,
          priority: n.total,
        })),
        nodes.map((n) => ({ x: n.x, y: n.y, r: n.r, priority: n.total })),
        input.fontSize,
        input.width,
        input.height
      )
    : [];

  return { nodes, arcs, labels, nodeById: sceneNodeById, arcByKey: new Map(arcs.map((a) => [a.key, a])) };
}

/** The arc nearest to a screen point within `tolerance` px (plus half its width), or undefined. */
export function hitTestArcs(arcs: SceneArc[], p: Point, tolerance: number): SceneArc | undefined {
  let best: SceneArc | undefined;
  let bestDistance = Infinity;
  for (const arc of arcs) {
    const reach = tolerance + arc.width / 2;
    if (p.x < arc.bbox.x0 - reach || p.x > arc.bbox.x1 + reach || p.y < arc.bbox.y0 - reach || p.y > arc.bbox.y1 + reach) {
      continue;
    }
    const d = distanceToPolyline(p, sampleArc(arc.arc, 16));
    if (d <= reach && d < bestDistance) {
      best = arc;
      bestDistance = d;
    }
  }
  return best;
}
