/**
 * @jest-environment-options {"customExportConditions": ["node", "require", "default"]}
 */
import {
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  FieldMatcherID,
  FieldType,
  getFieldMatcher,
  rangeUtil,
  TimeRange,
  transformDataFrame,
} from '@grafana/data';
import { lastValueFrom, toArray } from 'rxjs';
import { FakeTemplateSrv } from './datasource/testing/fakeTemplateSrv';
import { instanceSettings } from './datasource/testing/instanceSettings';
import { httpBackendSrv } from './datasource/testing/httpBackendSrv';
import { RealProxy, randomSeed, runComposeDemoLoader, startRealProxy } from './datasource/testing/realProxy';
import { FlowQuery } from './datasource/types';
import { buildPanelModel } from './panels/correlation/panelModel';
import { DEFAULT_OPTIONS as CORRELATION_DEFAULTS } from './panels/correlation/types';
import { provisionedDashboards, stepPanels } from './testing/provisioning';
import { installTransformers } from './testing/transformers';

// Every query of every provisioned dashboard, run as Grafana would run it: the dashboard's
// variables resolved first through their own variable queries (in order, the first option
// selected), then each panel's targets in one request through the data source class and the
// real proxy, then the panel's transformations. The demo is loaded into the empty proxy by the
// docker-compose demo loader (provisioning/demo/load-demo.mjs), from a random seed: the checks
// find the forensic story through the dashboards' own panels, never by knowing it.

const TOKEN = 'dashboards-test-token';
const INSTANCE_URL = '/api/datasources/proxy/uid/flowatlas';
const SEED = Number(process.env.FLOWATLAS_TEST_SEED ?? randomSeed());
// Big enough that background traffic competes with the story (the admins' ssh sessions through
// the target host answer on about as many ports as the scan touches), small enough to load in
// a few seconds.
const DEMO_FLOWS = 30_000;
let backend: ReturnType<typeof httpBackendSrv> | undefined;

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => backend,
}));

import { FlowAtlasDataSource } from './datasource/datasource';

const settings = instanceSettings({ url: INSTANCE_URL, jsonData: { timeout: 60 } });

const dashboards = provisionedDashboards();
const byUid = (uid: string) => dashboards.find((d) => d.json.uid === uid)!.json;
let proxy: RealProxy | undefined;

interface PanelResult {
  panel: any;
  frames: DataFrame[];
  /** After the panel's transformations. */
  transformed: DataFrame[];
}

interface DashboardRun {
  range: TimeRange;
  variables: Record<string, string>;
  panels: PanelResult[];
}

const runs = new Map<string, DashboardRun>();

/** What Grafana sends for a panel: its targets, maxDataPoints = its width on a 1600 px screen. */
function panelRequest(dashboardUid: string, panel: any, range: TimeRange): DataQueryRequest<FlowQuery> {
  const maxDataPoints = Math.round((panel.gridPos.w / 24) * 1600);
  const { interval, intervalMs } = rangeUtil.calculateInterval(range, maxDataPoints, '1m');
  return {
    requestId: `${dashboardUid}-${panel.id}`,
    dashboardUID: dashboardUid,
    panelId: panel.id,
    interval,
    intervalMs,
    maxDataPoints,
    range,
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: Date.now(),
    targets: panel.targets,
  };
}

async function runDashboard(uid: string): Promise<DashboardRun> {
  const dashboard = byUid(uid);
  const range = rangeUtil.convertRawToRange(dashboard.time);
  const variables: Record<string, string> = {};
  for (const v of dashboard.templating.list.filter((x: any) => x.type === 'query')) {
    const found = await new FlowAtlasDataSource(settings, new FakeTemplateSrv({ ...variables })).metricFindQuery(v.query, { range });
    expect([uid, v.name, found.length > 0]).toEqual([uid, v.name, true]);
    // A variable saved on All takes its custom All value (Grafana passes it verbatim), else the first option.
    variables[v.name] = v.includeAll && v.current?.value === '$__all' ? v.allValue : String(found[0].value);
  }
  const panels = await runPanels(uid, range, variables, dashboard.panels);
  return { range, variables, panels };
}

/** Each panel's targets in one request, with these variable values, then the panel's transformations. */
async function runPanels(uid: string, range: TimeRange, variables: Record<string, string>, list: any[]): Promise<PanelResult[]> {
  const ds = new FlowAtlasDataSource(settings, new FakeTemplateSrv(variables));
  const panels: PanelResult[] = [];
  for (const panel of list.filter((p: any) => p.targets?.length)) {
    const responses: DataQueryResponse[] = await lastValueFrom(ds.query(panelRequest(uid, panel, range)).pipe(toArray()));
    expect([panel.title, responses.flatMap((r) => r.errors ?? []).map((e) => e.message)]).toEqual([panel.title, []]);
    // Frames keep the refId of their query (the response key ends in it), as Grafana's runner does.
    const frames: DataFrame[] = responses.flatMap((r) => (r.data as DataFrame[]).map((f) => ({ ...f, refId: f.refId ?? String(r.key).split('/').pop() })));
    const transformed = panel.transformations?.length ? await lastValueFrom(transformDataFrame(panel.transformations, frames)) : frames;
    panels.push({ panel, frames, transformed });
  }
  return panels;
}

const values = (frame: DataFrame | undefined, name: string) => frame?.fields.find((f) => f.name === name)?.values ?? [];
const numbers = (frames: DataFrame[]) => frames.flatMap((f) => f.fields.filter((x) => x.type === FieldType.number).flatMap((x) => x.values as number[]));

beforeAll(async () => {
  installTransformers();
  console.log(`dashboards test: demo seed ${SEED} (FLOWATLAS_TEST_SEED replays it)`);
  proxy = await startRealProxy({ token: TOKEN, demoFlows: 0 });
  backend = httpBackendSrv(INSTANCE_URL, proxy.url, TOKEN);
  const loaded = await runComposeDemoLoader(proxy, { FLOWATLAS_DEMO_FLOWS: String(DEMO_FLOWS), FLOWATLAS_DEMO_SEED: String(SEED) });
  expect([loaded.code, loaded.output]).toEqual([0, expect.stringMatching(/\[demo-loader\] done: [\d,]+ tuples/)]);
  for (const d of dashboards) {
    runs.set(d.json.uid, await runDashboard(d.json.uid));
  }
}, 300_000);

afterAll(async () => {
  await proxy?.stop();
}, 60_000);

describe('the docker-compose demo loader', () => {
  it('leaves a database that already has flows alone, and a size of 0 loads nothing', async () => {
    const again = await runComposeDemoLoader(proxy!, { FLOWATLAS_DEMO_FLOWS: String(DEMO_FLOWS), FLOWATLAS_DEMO_SEED: String(SEED) });
    expect([again.code, again.output]).toEqual([0, expect.stringMatching(/already has [\d,]+ flow rows .*demo not loaded/)]);
    const none = await runComposeDemoLoader(proxy!, { FLOWATLAS_DEMO_FLOWS: '0' });
    expect([none.code, none.output.trim()]).toEqual([0, '[demo-loader] FLOWATLAS_DEMO_FLOWS=0: no demo']);
  }, 60_000);

  it('refuses a bad size, naming the variable', async () => {
    const bad = await runComposeDemoLoader(proxy!, { FLOWATLAS_DEMO_FLOWS: 'lots' });
    expect([bad.code, bad.output]).toEqual([1, expect.stringContaining('FLOWATLAS_DEMO_FLOWS must be a non-negative integer, got "lots"')]);
  }, 60_000);
});

describe.each(dashboards.map((d) => [d.json.title, d.json.uid]))('every query of "%s" returns data of its panel\'s shape', (_title, uid) => {
  it('resolves every variable and answers every panel without an error', () => {
    const run = runs.get(uid)!;
    const expected = byUid(uid).panels.filter((p: any) => p.targets?.length).length;
    expect(run.panels).toHaveLength(expected);
    for (const { panel, frames } of run.panels) {
      // every query answered (a variable without value would answer nothing)
      const refIds = new Set(frames.map((f) => f.refId));
      expect([panel.title, [...refIds].sort()]).toEqual([panel.title, panel.targets.map((t: any) => t.refId).sort()]);
    }
  });

  it('gives every panel the frames its visualization draws, with data in them', () => {
    for (const { panel, frames, transformed } of runs.get(uid)!.panels) {
      const title = panel.title;
      const target = panel.targets[0];
      switch (panel.type) {
        case 'table': {
          expect([title, frames.length]).toEqual([title, 1]);
          const names = frames[0].fields.map((f) => f.name);
          expect([title, names.slice(0, target.dimensions.length)]).toEqual([title, target.dimensions]);
          expect([title, frames[0].fields[target.dimensions.length]?.type]).toEqual([title, FieldType.number]);
          expect([title, frames[0].length > 0]).toEqual([title, true]);
          break;
        }
        case 'timeseries':
          expect([title, frames.length > 0]).toEqual([title, true]);
          for (const f of frames) {
            expect([title, f.fields.map((x) => x.type)]).toEqual([title, [FieldType.time, FieldType.number]]);
          }
          expect([title, numbers(frames).some((v) => v !== 0)]).toEqual([title, true]);
          break;
        case 'bargauge': {
          // the numeric field the bars come from, after the panel's transformations, picked as
          // Grafana's bar gauge picks it: the pattern matches the display name ("Flows", not "flows")
          const pattern: string = panel.options.reduceOptions.fields;
          const matches = getFieldMatcher(pattern ? { id: FieldMatcherID.byRegexp, options: pattern } : { id: FieldMatcherID.numeric });
          const bars = transformed.flatMap((f) => f.fields.filter((x) => x.type === FieldType.number && matches(x, f, transformed)));
          expect([title, bars.length]).toEqual([title, 1]);
          expect([title, bars[0].values.length > 0 && bars[0].values.every((v: number) => v > 0)]).toEqual([title, true]);
          break;
        }
        case 'flowatlas-geotopology-panel':
          expect([title, frames.map((f) => f.name).sort()]).toEqual([title, ['edges', 'nodes']]);
          expect([title, frames.every((f) => f.length > 0)]).toEqual([title, true]);
          break;
        case 'flowatlas-correlation-panel':
          expect([title, frames.every((f) => f.fields[0].type === FieldType.time)]).toEqual([title, true]);
          for (const refId of [panel.options.refIdA, panel.options.refIdB]) {
            expect([title, refId, numbers(frames.filter((f) => f.refId === refId)).some((v) => v > 0)]).toEqual([title, refId, true]);
          }
          break;
        default:
          throw new Error(`${title}: no shape check for panel type ${panel.type}`);
      }
    }
  });
});

describe('Flow forensics walks the story on any seed', () => {
  const run = () => runs.get('flowatlas-forensics')!;
  const result = (panel: any) => run().panels.find((r) => r.panel === panel)!;
  const forensics = () => byUid('flowatlas-forensics');

  it('step 1: the suspect variable is the source that dominates the ssh attempts, from abroad', () => {
    const table = stepPanels(forensics(), 1).find((p) => p.type === 'table');
    const [frame] = result(table).frames;
    expect(values(frame, 'src_ip')[0]).toBe(run().variables.suspect);
    expect(values(frame, 'src_country')[0]).not.toBe('US');
    const flows = values(frame, 'flows') as number[];
    expect(flows[0]).toBeGreaterThan(5 * flows[1]);
  });

  it('step 2: one connection of the suspect moved far more data than every other', () => {
    const table = stepPanels(forensics(), 2).find((p) => p.type === 'table');
    const [frame] = result(table).frames;
    const back = values(frame, 'bytes_reverse') as number[];
    expect(back[0]).toBeGreaterThan(100 * back[1]);
    expect(values(frame, 'dst_ip')[0]).toBe(run().variables.jump_host);
  });

  it('step 3: the inside host variable is the one scanned on dozens of ports, and it answered with MySQL', () => {
    const panels = stepPanels(forensics(), 3);
    const scanned = result(panels.find((p) => p.targets?.[0].metric === 'unique_dst_ports')).frames[0];
    expect(values(scanned, 'dst_ip')[0]).toBe(run().variables.inside_host);
    expect(values(scanned, 'unique_dst_ports')[0]).toBeGreaterThanOrEqual(50);
    const back = result(panels.find((p) => p.targets?.[0].dimensions[0] === 'application')).frames[0];
    expect(values(back, 'application')[0]).toBe('mysql');
  });

  it('step 4: what came from the inside host and what went to the suspect are one event (r ≥ 0.9 at lag 0)', () => {
    const panel = stepPanels(forensics(), 4).find((p) => p.type === 'flowatlas-correlation-panel');
    const { frames } = result(panel);
    const model = buildPanelModel(frames, { ...CORRELATION_DEFAULTS, ...panel.options }, { from: run().range.from.valueOf(), to: run().range.to.valueOf() });
    expect(model.result?.problem).toBeNull();
    expect(model.result!.r!).toBeGreaterThanOrEqual(0.9);
    expect(model.result!.peak?.lag).toBe(0);
    // the header names A and B by what they carry, with the variables' values, not "A A", "B B"
    const v = run().variables;
    expect([model.a?.name, model.b?.name]).toEqual([`${v.inside_host} → ${v.jump_host}`, `${v.jump_host} → ${v.suspect}`]);
  });

  it("step 5: the biggest border-crossing arc runs from the target's site to the suspect's country", () => {
    const step1 = result(stepPanels(forensics(), 1).find((p) => p.type === 'table')).frames[0];
    const country = String(values(step1, 'src_country')[0]);
    const site = String(values(result(stepPanels(forensics(), 3).find((p) => p.targets?.[0].metric === 'unique_dst_ports')).frames[0], 'dst_site')[0]);
    const edges = result(stepPanels(forensics(), 5).find((p) => p.type === 'flowatlas-geotopology-panel')).frames.find((f) => f.name === 'edges')!;
    const crossing = edges.fields[0].values
      .map((id: string, i: number) => ({ id, total: Number(values(edges, 'mainstat')[i]), crosses: values(edges, 'crosses_border')[i] }))
      .filter((e) => e.crosses)
      .sort((a, b) => b.total - a.total);
    expect(crossing[0]?.id.split('--').sort()).toEqual([country, site].sort());
    // the arc's tooltip: each direction's top applications; the data left over the ssh session
    const i = (edges.fields[0].values as string[]).indexOf(crossing[0].id);
    const out = values(edges, 'source')[i] === site ? values(edges, 'detail__top_apps_a_to_b')[i] : values(edges, 'detail__top_apps_b_to_a')[i];
    expect(String(out).split(', ')[0]).toBe('ssh');
  });
});

describe('NOC wall on the demo', () => {
  const run = () => runs.get('flowatlas-noc')!;
  it('shows traffic leaving each country as one bar per inside country, busiest first', () => {
    const panel = byUid('flowatlas-noc').panels.find((p: any) => p.targets?.[0].mode === 'topology' && p.targets[0].level === 'country');
    const [frame] = run().panels.find((r) => r.panel === panel)!.transformed;
    const countries = values(frame, 'title') as string[];
    const leaving = frame.fields.find((f) => f.type === FieldType.number)!.values as number[];
    expect(countries.length).toBeGreaterThan(0);
    expect(countries.every((c) => /^[A-Z]{2}$/.test(c))).toBe(true);
    expect([...leaving].sort((a, b) => b - a)).toEqual(leaving);
    // the sites of the demo estate are in the US, the Netherlands and Great Britain
    expect(countries).toContain('US');
  });

  it('draws the map with arcs marked as crossing a border', () => {
    const map = run().panels.find((r) => r.panel.type === 'flowatlas-geotopology-panel')!;
    const edges = map.frames.find((f) => f.name === 'edges')!;
    expect(values(edges, 'crosses_border').some(Boolean)).toBe(true);
  });
});

describe('a click on the map drills the dashboards down', () => {
  const MAP_VARIABLES = ['site', 'src_site', 'dst_site'];
  const forensics = () => byUid('flowatlas-forensics');
  const usesMapVariable = (node: any): boolean =>
    node.rules ? node.rules.some(usesMapVariable) : node.values.some((v: string) => MAP_VARIABLES.includes(v.replace(/^\$/, '')));
  /** A panel run again with the values a click sets (GeoTopologyPanel's selectionToQuery) over the dashboard's own. */
  const clicked = async (uid: string, panel: any, values: Record<string, string>) => {
    const run = runs.get(uid)!;
    return (await runPanels(uid, run.range, { ...run.variables, ...values }, [panel]))[0].frames;
  };
  /** The same panel with its map filters written out: either end in `site` (a site's name is never a country code). */
  const explicit = async (uid: string, panel: any, site: string) => {
    const touching = { op: 'or', rules: [{ dimension: 'src_site', op: '=', values: [site] }, { dimension: 'dst_site', op: '=', values: [site] }] };
    const targets = panel.targets.map((t: any) => ({ ...t, filter: { ...t.filter, rules: [...t.filter.rules.filter((r: any) => !usesMapVariable(r)), touching] } }));
    return clicked(uid, { ...panel, targets }, {});
  };
  // the target host's site (step 3 lists it beside the inside host) and the suspect's country (step 1)
  const story = () => {
    const run = runs.get('flowatlas-forensics')!;
    const first = (step: number, pick: (p: any) => boolean, field: string) =>
      String(values(run.panels.find((r) => r.panel === stepPanels(forensics(), step).find(pick))!.frames[0], field)[0]);
    return {
      site: first(3, (p) => p.targets?.[0].metric === 'unique_dst_ports', 'dst_site'),
      country: first(1, (p) => p.type === 'table', 'src_country'),
    };
  };

  it('loads every map variable on All, and All filters nothing', async () => {
    for (const uid of ['flowatlas-noc', 'flowatlas-forensics']) {
      expect([uid, MAP_VARIABLES.map((n) => runs.get(uid)!.variables[n])]).toEqual([uid, ['%', '%', '%']]);
      const drilled = runs.get(uid)!.panels.filter((r) => r.panel.targets.some((t: any) => usesMapVariable(t.filter)));
      expect([uid, drilled.length]).toEqual([uid, 2]);
      for (const { panel, frames } of drilled) {
        const targets = panel.targets.map((t: any) => ({ ...t, filter: { ...t.filter, rules: t.filter.rules.filter((r: any) => !usesMapVariable(r)) } }));
        const [unfiltered] = await clicked(uid, { ...panel, targets }, {});
        expect([panel.title, frames[0].fields.map((f) => f.values)]).toEqual([panel.title, unfiltered.fields.map((f) => f.values)]);
      }
    }
  }, 60_000);

  it.each([
    ['Top talkers (bits/s)', 'bits_per_second'],
    ['Denied connections by source country', 'flows'],
  ])('NOC wall "%s": a site node keeps the traffic to and from that site', async (title, metric) => {
    const { site } = story();
    const panel = byUid('flowatlas-noc').panels.find((p: any) => p.title === title);
    const [frame] = await clicked('flowatlas-noc', panel, { site });
    const [all] = runs.get('flowatlas-noc')!.panels.find((r) => r.panel === panel)!.frames;
    expect(frame.length).toBeGreaterThan(0);
    const [written] = await explicit('flowatlas-noc', panel, site);
    for (const field of [...panel.targets[0].dimensions, metric]) {
      expect([title, field, values(frame, field)]).toEqual([title, field, values(written, field)]);
    }
    // at most what All shows, row for row by name
    const total = (f: DataFrame) => (values(f, metric) as number[]).reduce((a, b) => a + b, 0);
    expect(total(frame)).toBeLessThanOrEqual(total(all) * (1 + 1e-9));
  }, 60_000);

  it('Flow forensics steps 3 and 5: a site node keeps that site\'s inside hosts, the arc to the suspect\'s country keeps that country', async () => {
    const { site, country } = story();
    const lateral = stepPanels(forensics(), 3).find((p) => p.targets?.[0].metric === 'unique_dst_ports');
    const [inSite] = await clicked('flowatlas-forensics', lateral, { site });
    expect(inSite.length).toBeGreaterThan(0);
    expect(new Set(values(inSite, 'dst_site'))).toEqual(new Set([site]));
    // an internet country holds no inside host
    const [abroad] = await clicked('flowatlas-forensics', lateral, { site: country });
    expect(abroad.length).toBe(0);

    const internet = stepPanels(forensics(), 5).find((p) => p.type === 'table');
    const [arc] = await clicked('flowatlas-forensics', internet, { src_site: site, dst_site: country });
    expect(arc.length).toBeGreaterThan(0);
    expect(new Set(values(arc, 'dst_country'))).toEqual(new Set([country]));
    const [all] = runs.get('flowatlas-forensics')!.panels.find((r) => r.panel === internet)!.frames;
    expect(new Set(values(all, 'dst_country')).size).toBeGreaterThan(1);
  }, 60_000);
});
