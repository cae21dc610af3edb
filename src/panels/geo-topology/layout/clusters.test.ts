import { clusterId, clusterNodes } from './clusters';

const nodes = [
  { id: 'aws-us-east-1', x: 100, y: 100, weight: 5 },
  { id: 'azure-eastus', x: 104, y: 102, weight: 50 },
  { id: 'dc-ashburn', x: 98, y: 97, weight: 10 },
  { id: 'branch-london', x: 400, y: 80, weight: 3 },
];

describe('clusterNodes', () => {
  it('merges nodes at nearly the same place into one cluster seeded by the heaviest', () => {
    const layout = clusterNodes(nodes, 12, new Set());
    expect(layout.items).toHaveLength(2);
    const cluster = layout.items.find((i) => i.isCluster)!;
    expect(cluster.id).toBe(clusterId('azure-eastus'));
    expect(cluster.members.sort()).toEqual(['aws-us-east-1', 'azure-eastus', 'dc-ashburn']);
    expect({ x: cluster.x, y: cluster.y }).toEqual({ x: 104, y: 102 });
    expect(layout.itemOfNode.get('dc-ashburn')).toBe(cluster.id);
    expect(layout.itemOfNode.get('branch-london')).toBe('branch-london');
  });

  it('keeps nodes apart when the radius is small (zoomed in)', () => {
    const layout = clusterNodes(nodes, 2, new Set());
    expect(layout.items.filter((i) => i.isCluster)).toHaveLength(0);
    expect(layout.items).toHaveLength(4);
  });

  it('opens a cluster into a ring of its members around the centre', () => {
    const layout = clusterNodes(nodes, 12, new Set([clusterId('azure-eastus')]));
    const opened = layout.items.filter((i) => i.anchor);
    expect(opened.map((i) => i.id).sort()).toEqual(['aws-us-east-1', 'azure-eastus', 'dc-ashburn']);
    const distances = opened.map((i) => Math.hypot(i.x - 104, i.y - 102));
    distances.forEach((d) => expect(d).toBeCloseTo(distances[0]));
    expect(distances[0]).toBeGreaterThanOrEqual(18);
    // Members do not overlap each other once opened.
    for (let i = 0; i < opened.length; i++) {
      for (let j = i + 1; j < opened.length; j++) {
        expect(Math.hypot(opened[i].x - opened[j].x, opened[i].y - opened[j].y)).toBeGreaterThan(12);
      }
    }
    expect(layout.itemOfNode.get('dc-ashburn')).toBe('dc-ashburn');
  });

  it('is deterministic whatever the input order', () => {
    const a = clusterNodes(nodes, 12, new Set());
    const b = clusterNodes([...nodes].reverse(), 12, new Set());
    expect(a.items).toEqual(b.items);
  });
});
