import { buildProxyTopologyFrames, buildTopologyFixture } from '../fixtures/topologyFrames';
import { DEFAULT_OPTIONS, FitMode, ProjectionKind } from '../types';
import { pointAt } from './arcs';
import { clusterId } from './clusters';
import { parseTopologyFrames } from './parseFrames';
import { fitProjection } from './projection';
import { arcKey, buildScene, hitTestArcs, SceneInput } from './scene';
import { IDENTITY } from './viewTransform';

function input(overrides: Partial<SceneInput> = {}): SceneInput {
  const fixture = buildTopologyFixture();
  const parsed = parseTopologyFrames(fixture.frames);
  const projection = fitProjection({ kind: ProjectionKind.NaturalEarth, fit: FitMode.World, width: 1000, height: 500, padding: 10 });
  return {
    model: parsed.model,
    project: (c) => projection(c),
    transform: IDENTITY,
    width: 1000,
    height: 500,
    options: DEFAULT_OPTIONS,
    expanded: new Set(),
    thresholds: parsed.rateFieldAB?.config.thresholds,
    resolveColor: (c) => `css:${c}`,
    fontSize: 12,
    ...overrides,
  };
}

describe('buildScene', () => {
  it('draws both directions of every link as separate arcs, coloured by thresholds', () => {
    const scene = buildScene(input());
    const out = scene.arcByKey.get(arcKey('azure-eastus', 'CN'))!;
    const back = scene.arcByKey.get(arcKey('CN', 'azure-eastus'))!;
    expect(out.value).toBe(48e6);
    expect(back.value).toBe(0.6e6);
    expect(out.crossesBorder).toBe(true);
    expect(out.color).toBe('css:red');
    expect(back.color).toBe('css:green');
    expect(out.width).toBeGreaterThan(back.width);
    expect(out.reverseKey).toBe(back.key);
    // The two arcs are apart: their midpoints differ noticeably.
    const m1 = pointAt(out.arc, 0.5);
    const m2 = pointAt(back.arc, 0.5);
    expect(Math.hypot(m1.x - m2.x, m1.y - m2.y)).toBeGreaterThan(20);
  });

  it('draws no arc for a direction without traffic (the proxy sends 0), only the direction that has it', () => {
    const parsed = parseTopologyFrames(buildProxyTopologyFrames());
    const scene = buildScene(input({ model: parsed.model, thresholds: undefined, options: { ...DEFAULT_OPTIONS, clusterRadius: 0 } }));
    expect([...scene.arcByKey.keys()].sort()).toEqual([arcKey('azure-eastus', 'DE'), arcKey('azure-eastus', 'US')]);
    // Nothing to hit where the silent direction would bend (the opposite side of the chord).
    const out = scene.arcByKey.get(arcKey('azure-eastus', 'DE'))!;
    const mid = pointAt(out.arc, 0.5);
    const chordMid = { x: (out.arc.p0.x + out.arc.p1.x) / 2, y: (out.arc.p0.y + out.arc.p1.y) / 2 };
    const mirrored = { x: 2 * chordMid.x - mid.x, y: 2 * chordMid.y - mid.y };
    expect(hitTestArcs(scene.arcs, mirrored, 5)).toBeUndefined();
    expect(hitTestArcs(scene.arcs, mid, 5)?.key).toBe(out.key);
  });

  it('reuses nothing stale: a new colour function or clustering gives a fresh aggregation', () => {
    const base = input({ options: { ...DEFAULT_OPTIONS, clusterRadius: 0 } });
    const first = buildScene(base);
    const recoloured = buildScene({ ...base, resolveColor: (c) => `other:${c}` });
    expect(recoloured.arcByKey.get(arcKey('azure-eastus', 'CN'))!.color).toBe('other:red');
    expect(first.arcByKey.get(arcKey('azure-eastus', 'CN'))!.color).toBe('css:red');
    const clustered = buildScene({ ...base, options: { ...DEFAULT_OPTIONS, clusterRadius: 60 } });
    expect([...clustered.arcByKey.keys()].some((k) => k.includes('dc-chicago'))).toBe(false);
    expect(buildScene(base).arcByKey.get(arcKey('dc-chicago', 'azure-eastus'))).toBeDefined();
  });

  it('sizes nodes by total traffic', () => {
    const scene = buildScene(input());
    const eastus = scene.nodeById.get('azure-eastus')!;
    const brazil = scene.nodeById.get('BR')!;
    expect(eastus.r).toBe(DEFAULT_OPTIONS.maxNodeRadius);
    expect(brazil.r).toBeLessThan(eastus.r);
    expect(brazil.r).toBeGreaterThanOrEqual(DEFAULT_OPTIONS.minNodeRadius);
  });

  it('clusters nearby sites at world zoom and routes their arcs to the cluster', () => {
    const scene = buildScene(input({ options: { ...DEFAULT_OPTIONS, clusterRadius: 60 } }));
    const cluster = scene.nodes.find((n) => n.isCluster && n.members.some((m) => m.id === 'azure-eastus'))!;
    expect(cluster.members.map((m) => m.id)).toContain('dc-chicago');
    // The chicago↔eastus link is inside the cluster: not drawn; the exfil arc starts at the cluster.
    expect([...scene.arcByKey.keys()].some((k) => k.includes('dc-chicago'))).toBe(false);
    expect(scene.arcByKey.get(arcKey(cluster.id, 'CN'))!.links[0].a).toBe('azure-eastus');

    const opened = buildScene(input({ options: { ...DEFAULT_OPTIONS, clusterRadius: 60 }, expanded: new Set([cluster.id]) }));
    expect(opened.nodeById.get('dc-chicago')).toBeDefined();
    expect(opened.arcByKey.get(arcKey('azure-eastus', 'CN'))).toBeDefined();
    expect(cluster.id).toBe(clusterId(cluster.members[0].id));
  });

  it('hit-tests the arc under the pointer and nothing in empty space', () => {
    const scene = buildScene(input());
    const out = scene.arcByKey.get(arcKey('azure-eastus', 'CN'))!;
    expect(hitTestArcs(scene.arcs, pointAt(out.arc, 0.5), 4)?.key).toBe(out.key);
    expect(hitTestArcs(scene.arcs, { x: 5, y: 495 }, 4)).toBeUndefined();
  });

  it('places labels without overlaps and hides them when asked', () => {
    const scene = buildScene(input());
    expect(scene.labels.length).toBeGreaterThan(3);
    expect(buildScene(input({ options: { ...DEFAULT_OPTIONS, showLabels: false } })).labels).toEqual([]);
  });
});
