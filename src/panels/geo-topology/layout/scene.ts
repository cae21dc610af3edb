import { GeoTopologyOptions, Point, TopologyLink, TopologyModel, TopologyNode } from '../types';
import { arcBounds, directionalArc, distanceToPolyline, QuadArc, sampleArc, trimArc } from './arcs';
import { clusterNodes, DisplayItem } from './clusters';
import { placeLabels, PlacedLabel } from './labels';
import { sqrtScale } from './scales';
import { thresholdColor, Thresholds, ValueRange, valueRange } from './thresholds';
import { applyTransform, ViewTransform } from './viewTransform';

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

/**
 * Everything the canvas and the overlay draw, in screen coordinates: projected and clustered nodes
 * sized by total traffic, one arc per direction coloured by thresholds, and the labels that fit.
 * Pure, so the panel memoises it and the benchmark can time it.
 */
export function buildScene(input: SceneInput): Scene {
  const { model, options, transform } = input;
  const scale = options.nocMode ? 1.5 : 1;
  const projected = model.nodes
    .map((n) => {
      const base = input.project([n.lon, n.lat]);
      return base ? { node: n, p: applyTransform(transform, { x: base[0], y: base[1] }) } : null;
    })
    .filter((x): x is { node: TopologyNode; p: Point } => x !== null);
  const nodeById = new Map(model.nodes.map((n) => [n.id, n]));

  const layout = clusterNodes(
    projected.map(({ node, p }) => ({ id: node.id, x: p.x, y: p.y, weight: node.totalIn + node.totalOut })),
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

  // Aggregate links onto the drawn items; links inside one collapsed cluster are not drawn.
  interface Acc {
    from: string;
    to: string;
    links: TopologyLink[];
    value: number;
    flows?: number;
    apps: string[];
    crosses: boolean;
    present: boolean;
  }
  const acc = new Map<string, Acc>();
  const add = (from: string, to: string, link: TopologyLink, dir: 'ab' | 'ba') => {
    const stats = link[dir];
    if (!stats.present) {
      return;
    }
    const key = arcKey(from, to);
    const a = acc.get(key) ?? { from, to, links: [], value: 0, apps: [], crosses: false, present: true };
    a.links.push(link);
    a.value += stats.value;
    if (stats.flows !== undefined) {
      a.flows = (a.flows ?? 0) + stats.flows;
    }
    stats.apps.forEach((app) => !a.apps.includes(app) && a.apps.push(app));
    a.crosses = a.crosses || link.crossesBorder;
    acc.set(key, a);
  };
  for (const link of model.links) {
    const ia = layout.itemOfNode.get(link.a);
    const ib = layout.itemOfNode.get(link.b);
    if (!ia || !ib || ia === ib) {
      continue;
    }
    add(ia, ib, link, 'ab');
    add(ib, ia, link, 'ba');
  }

  const values = [...acc.values()].map((a) => a.value);
  const range: ValueRange = valueRange(values, input.configMin, input.configMax);
  // Hundreds of fat arcs are a hairball: thin them as their number grows (also less to rasterise).
  const crowding = Math.min(1, Math.max(0.3, Math.sqrt(300 / Math.max(1, values.length))));
  const width = sqrtScale(Math.max(0, ...values), 1 * scale, Math.max(1.5, options.maxArcWidth * crowding) * scale);
  const arcs: SceneArc[] = [];
  for (const [key, a] of acc) {
    const from = sceneNodeById.get(a.from)!;
    const to = sceneNodeById.get(a.to)!;
    const raw = directionalArc(from, to, options.curvature);
    if (!raw) {
      continue;
    }
    const arc = trimArc(raw, from.r + 2, to.r + 2);
    arcs.push({
      key,
      from: a.from,
      to: a.to,
      reverseKey: arcKey(a.to, a.from),
      links: a.links,
      value: a.value,
      flows: a.flows,
      apps: a.apps,
      crossesBorder: a.crosses,
      color: input.resolveColor(thresholdColor(a.value, input.thresholds, range, 'blue')),
      width: width(a.value),
      arc,
      bbox: arcBounds(arc),
    });
  }
  // Thin arcs first so heavy ones are drawn on top and stay readable.
  arcs.sort((p, q) => p.width - q.width);

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
        nodes,
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
