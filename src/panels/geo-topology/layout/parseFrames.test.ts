import { createDataFrame, FieldType } from '@grafana/data';
import { buildProxyTopologyFrames, buildTopologyFixture } from '../fixtures/topologyFrames';
import { carriesTraffic, NodeKind } from '../types';
import { parseKind, parseList, parseTopologyFrames } from './parseFrames';

describe('parseTopologyFrames', () => {
  it("reads the proxy's frames: provider, region, CIDRs, flows as a count, totals not repeated as details", () => {
    const { model } = parseTopologyFrames(buildProxyTopologyFrames());
    const eastus = model.nodes.find((n) => n.id === 'azure-eastus')!;
    expect(eastus).toMatchObject({
      kind: NodeKind.CloudRegion,
      provider: 'azure',
      region: 'eastus',
      cidrs: ['10.10.0.0/16', '10.11.0.0/16'],
      flows: 415,
      totalIn: 0,
      totalOut: 527e6 + 867,
    });
    // total (= in + out), in, out, flows, provider, region, CIDRs are all read into their own rows.
    expect(eastus.details).toEqual([]);
    const de = model.nodes.find((n) => n.id === 'DE')!;
    expect(de).toMatchObject({ kind: NodeKind.InternetCountry, provider: undefined, region: undefined, cidrs: [] });
  });

  it('keeps a direction sent as 0 in the model but marks it as carrying no traffic', () => {
    const { model } = parseTopologyFrames(buildProxyTopologyFrames());
    const link = model.links.find((l) => l.id === 'DE--azure-eastus')!;
    expect(link.ab).toMatchObject({ value: 0, present: true });
    expect(carriesTraffic(link.ab)).toBe(false);
    expect(carriesTraffic(link.ba)).toBe(true);
    expect(carriesTraffic({ present: true, value: -5 })).toBe(false);
    expect(carriesTraffic({ present: false, value: 5 })).toBe(false);
  });

  it('reads the data source topology frames with both directions and border crossing', () => {
    const fixture = buildTopologyFixture();
    const { model, rateFieldAB } = parseTopologyFrames(fixture.frames);
    expect(model.warnings).toEqual([]);
    expect(model.nodes).toHaveLength(fixture.sites.length);
    expect(model.links).toHaveLength(fixture.links.length);
    expect(rateFieldAB?.name).toBe('value_ab');

    const exfil = model.links.find((l) => l.a === 'azure-eastus' && l.b === 'CN')!;
    expect(exfil.ab).toEqual({ value: 48e6, apps: ['ssh'], present: true });
    expect(exfil.ba.value).toBe(0.6e6);
    expect(exfil.flows).toBe(412);
    expect(exfil.crossesBorder).toBe(true);
    expect(model.links.find((l) => l.a === 'dc-chicago' && l.b === 'azure-eastus')!.crossesBorder).toBe(false);

    const eastus = model.nodes.find((n) => n.id === 'azure-eastus')!;
    expect(eastus).toMatchObject({ kind: NodeKind.CloudRegion, country: 'US', lat: 37.37, lon: -79.82, cidrs: ['10.10.0.0/16'] });
    expect(eastus.provider).toBe('Azure eastus (Virginia)');
    expect(eastus.totalOut).toBeGreaterThan(48e6);
  });

  it('reads Node Graph frames: one row per direction, no kind, no border field, totals from edges', () => {
    const nodes = createDataFrame({
      fields: [
        { name: 'id', type: FieldType.string, values: ['fra', 'nyc', 'lon', 'nowhere'] },
        { name: 'title', type: FieldType.string, values: ['Frankfurt', 'New York', 'London', 'Nowhere'] },
        { name: 'latitude', type: FieldType.number, values: [50.11, 40.71, 51.51, null] },
        { name: 'longitude', type: FieldType.number, values: [8.68, -74.0, -0.13, null] },
      ],
    });
    const edges = createDataFrame({
      fields: [
        { name: 'id', type: FieldType.string, values: ['e1', 'e2', 'e3', 'e4'] },
        { name: 'source', type: FieldType.string, values: ['fra', 'nyc', 'lon', 'fra'] },
        { name: 'target', type: FieldType.string, values: ['nyc', 'fra', 'fra', 'nowhere'] },
        { name: 'mainstat', type: FieldType.number, values: [100, 30, 7, 1] },
      ],
    });
    const { model } = parseTopologyFrames([nodes, edges]);
    expect(model.nodes.map((n) => n.id)).toEqual(['fra', 'nyc', 'lon']);
    expect(model.links).toHaveLength(2);
    const fraNyc = model.links.find((l) => l.id === 'e1')!;
    expect(fraNyc.ab).toMatchObject({ value: 100, present: true });
    expect(fraNyc.ba).toMatchObject({ value: 30, present: true });
    // Countries come from the coordinates on the bundled map: Germany vs United States.
    expect(fraNyc.crossesBorder).toBe(true);
    const lonFra = model.links.find((l) => l.id === 'e3')!;
    expect(lonFra.ba.present).toBe(false);
    const fra = model.nodes.find((n) => n.id === 'fra')!;
    expect(fra.totalOut).toBe(100);
    expect(fra.totalIn).toBe(37);
    expect(model.warnings).toHaveLength(2);
    expect(model.warnings[0]).toMatch(/nowhere \(nodes row 3\)/);
    expect(model.warnings[1]).toMatch(/edges row 3 \(fra→nowhere\)/);
  });

  it('ignores frames that are neither nodes nor edges and survives empty input', () => {
    const other = createDataFrame({ fields: [{ name: 'time', type: FieldType.time, values: [1] }] });
    expect(parseTopologyFrames([other]).model).toEqual({ nodes: [], links: [], warnings: [] });
    expect(parseTopologyFrames([]).model.nodes).toEqual([]);
  });

  it('sums duplicate rows of the same pair', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['a', 'b'] },
        { name: 'latitude', type: FieldType.number, values: [10, 20] },
        { name: 'longitude', type: FieldType.number, values: [10, 20] },
        { name: 'country', type: FieldType.string, values: ['fr', 'FR'] },
      ],
    });
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'source', type: FieldType.string, values: ['a', 'a', 'b'] },
        { name: 'target', type: FieldType.string, values: ['b', 'b', 'a'] },
        { name: 'value_ab', type: FieldType.number, values: [1, 2, 4] },
        { name: 'value_ba', type: FieldType.number, values: [10, 20, 40] },
        { name: 'apps', type: FieldType.string, values: ['["ssh","dns"]', 'ssh', ''] },
      ],
    });
    const [link] = parseTopologyFrames([nodes, edges]).model.links;
    expect(link.ab.value).toBe(1 + 2 + 40);
    expect(link.ba.value).toBe(10 + 20 + 4);
    expect(link.ab.apps).toEqual(['ssh', 'dns']);
    expect(link.crossesBorder).toBe(false);
  });

  it('maps kind spellings and lists', () => {
    expect(parseKind('Cloud Region', 'x')).toBe(NodeKind.CloudRegion);
    expect(parseKind('data_center', 'x')).toBe(NodeKind.DataCenter);
    expect(parseKind('on-prem', 'x')).toBe(NodeKind.DataCenter);
    expect(parseKind('branch office', 'x')).toBe(NodeKind.Branch);
    expect(parseKind('internet country', 'x')).toBe(NodeKind.InternetCountry);
    expect(parseKind(undefined, 'CN')).toBe(NodeKind.InternetCountry);
    expect(parseKind(undefined, 'dc1')).toBe(NodeKind.Unknown);
    expect(parseList('10.0.0.0/8, 192.168.0.0/16')).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
    expect(parseList(['a', 'b'])).toEqual(['a', 'b']);
    expect(parseList('[oops')).toEqual(['[oops']);
    expect(parseList(null)).toEqual([]);
    // with commas, a name may hold spaces; without, spaces separate
    expect(parseList('ssh, my app,https')).toEqual(['ssh', 'my app', 'https']);
    expect(parseList('ssh https')).toEqual(['ssh', 'https']);
  });
});

describe('FlowAtlas topology frames', () => {
  it('reads both directions from detail__a_to_b / detail__b_to_a, not the mainstat total', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['azure-eastus', 'DE'] },
        { name: 'title', type: FieldType.string, values: ['azure-eastus', 'Germany'] },
        { name: 'latitude', type: FieldType.number, values: [37.37, 51] },
        { name: 'longitude', type: FieldType.number, values: [-79.82, 10] },
      ],
    });
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['DE--azure-eastus'] },
        { name: 'source', type: FieldType.string, values: ['DE'] },
        { name: 'target', type: FieldType.string, values: ['azure-eastus'] },
        { name: 'mainstat', type: FieldType.number, values: [527] },
        { name: 'detail__a_to_b', type: FieldType.number, values: [0] },
        { name: 'detail__b_to_a', type: FieldType.number, values: [527] },
      ],
    });
    const { model } = parseTopologyFrames([nodes, edges]);
    const link = model.links[0]!;
    expect([link.a, link.b, link.ab.value, link.ba.value]).toEqual(['DE', 'azure-eastus', 0, 527]);
  });

  it('reads each direction\'s top applications from detail__top_apps_a_to_b / detail__top_apps_b_to_a (topApplications)', () => {
    const nodes = createDataFrame({
      name: 'nodes',
      fields: [
        { name: 'id', type: FieldType.string, values: ['azure-eastus', 'DE'] },
        { name: 'latitude', type: FieldType.number, values: [37.37, 51] },
        { name: 'longitude', type: FieldType.number, values: [-79.82, 10] },
      ],
    });
    const edges = createDataFrame({
      name: 'edges',
      fields: [
        { name: 'id', type: FieldType.string, values: ['DE--azure-eastus'] },
        { name: 'source', type: FieldType.string, values: ['DE'] },
        { name: 'target', type: FieldType.string, values: ['azure-eastus'] },
        { name: 'detail__a_to_b', type: FieldType.number, values: [40] },
        { name: 'detail__b_to_a', type: FieldType.number, values: [527] },
        { name: 'detail__top_apps_a_to_b', type: FieldType.string, values: ['ssh'] },
        { name: 'detail__top_apps_b_to_a', type: FieldType.string, values: ['ssh, https, mysql'] },
      ],
    });
    const link = parseTopologyFrames([nodes, edges]).model.links[0]!;
    expect([link.ab.apps, link.ba.apps]).toEqual([['ssh'], ['ssh', 'https', 'mysql']]);
  });
});
