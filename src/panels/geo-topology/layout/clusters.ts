import { Point } from '../types';

export interface ClusterInput {
  id: string;
  x: number;
  y: number;
  /** Heavier nodes seed clusters first, so a cluster sits on its most important member. */
  weight: number;
}

export interface DisplayItem {
  /** Node id for single nodes, `cluster:<seed id>` for clusters. */
  id: string;
  x: number;
  y: number;
  members: string[];
  isCluster: boolean;
  /** Set on members of an opened cluster: where the cluster's centre is (to draw a leader line). */
  anchor?: Point;
}

export interface ClusterLayout {
  items: DisplayItem[];
  /** For every node id, the id of the item it is drawn as (itself, or its collapsed cluster). */
  itemOfNode: Map<string, string>;
  /** For every node id, where it is drawn. */
  positionOfNode: Map<string, Point>;
}

export const clusterId = (seedId: string) => `cluster:${seedId}`;

/**
 * Greedy screen-space clustering: nodes closer than `radius` pixels to a heavier seed join its
 * cluster. Done after pan/zoom, so zooming in splits clusters apart. An opened cluster (id in
 * `expanded`) lays its members out on a ring around the centre instead.
 */
export function clusterNodes(nodes: ClusterInput[], radius: number, expanded: ReadonlySet<string>, ringSpacing = 2.2): ClusterLayout {
  const order = [...nodes].sort((a, b) => b.weight - a.weight || a.id.localeCompare(b.id));
  const assigned = new Set<string>();
  const items: DisplayItem[] = [];
  const itemOfNode = new Map<string, string>();
  const positionOfNode = new Map<string, Point>();
  const r2 = radius * radius;

  for (const seed of order) {
    if (assigned.has(seed.id)) {
      continue;
    }
    const members = order.filter((n) => !assigned.has(n.id) && (n.x - seed.x) ** 2 + (n.y - seed.y) ** 2 <= r2);
    members.forEach((m) => assigned.add(m.id));
    if (members.length === 1) {
      items.push({ id: seed.id, x: seed.x, y: seed.y, members: [seed.id], isCluster: false });
      itemOfNode.set(seed.id, seed.id);
      positionOfNode.set(seed.id, { x: seed.x, y: seed.y });
      continue;
    }
    const id = clusterId(seed.id);
    const centre = { x: seed.x, y: seed.y };
    const memberIds = members.map((m) => m.id);
    if (expanded.has(id)) {
      // Ring big enough that neighbouring glyphs do not touch.
      const ring = Math.max(radius * 1.5, (members.length * radius * ringSpacing) / (2 * Math.PI));
      members.forEach((m, i) => {
        const angle = -Math.PI / 2 + (2 * Math.PI * i) / members.length;
        const p = { x: centre.x + ring * Math.cos(angle), y: centre.y + ring * Math.sin(angle) };
        items.push({ id: m.id, x: p.x, y: p.y, members: [m.id], isCluster: false, anchor: centre });
        itemOfNode.set(m.id, m.id);
        positionOfNode.set(m.id, p);
      });
    } else {
      items.push({ id, x: centre.x, y: centre.y, members: memberIds, isCluster: true });
      memberIds.forEach((m) => {
        itemOfNode.set(m, id);
        positionOfNode.set(m, centre);
      });
    }
  }
  return { items, itemOfNode, positionOfNode };
}
