/**
 * Topology mode: rows of (source node, target node, metric, flows, crossed a border) become the
 * two frames Grafana's Node Graph panel reads — `nodes` and `edges` — with coordinates so the
 * geo panel can draw the same answer on a map. One edge per unordered pair of nodes, carrying
 * both directions (A→B and B→A); traffic inside one node is not an edge and not in its totals.
 * An edge crosses a border when a row of it had two different countries, or its two ends lie in
 * different countries. With topApplications, each direction also lists its top applications.
 */
import { countryCentroid } from './country-centroids.js';
import { METRIC_UNITS, metricValue } from './shape.js';
import type { Field, Frame, PlanContext, SiteInfo } from './types.js';
import type { ValidQuery } from './validate.js';

type Row = Record<string, unknown>;

interface NodeInfo {
  title: string;
  subtitle: string;
  kind: string;
  lat: number | null;
  lon: number | null;
  country: string | null;
  /** From the site configuration; null for internet countries and unknown places. */
  provider: string | null;
  region: string | null;
  cidrs: string[];
}

function countryNode(code: string): NodeInfo {
  const c = countryCentroid(code);
  return { title: code, subtitle: 'internet', kind: 'country', lat: c?.lat ?? null, lon: c?.lon ?? null, country: code, provider: null, region: null, cidrs: [] };
}

function siteNode(site: SiteInfo): NodeInfo {
  const where = [site.provider, site.region].filter(Boolean).join(' ');
  return {
    title: site.name,
    subtitle: where || site.kind,
    kind: site.kind,
    lat: site.lat,
    lon: site.lon,
    country: site.country,
    provider: site.provider,
    region: site.region,
    cidrs: site.cidrs,
  };
}

/** What a node id names at a level (see topologyNodeExpr in compile.ts for how ids are made). */
export function describeNode(id: string, q: ValidQuery, sites: SiteInfo[]): NodeInfo {
  if (q.level === 'region') {
    const inRegion = sites.filter((s) => s.region === id);
    if (inRegion.length > 0) {
      const countries = new Set(inRegion.map((s) => s.country));
      const providers = [...new Set(inRegion.map((s) => s.provider).filter(Boolean))].join(', ');
      return {
        title: id,
        subtitle: providers || 'region',
        kind: 'region',
        lat: inRegion.reduce((a, s) => a + s.lat, 0) / inRegion.length,
        lon: inRegion.reduce((a, s) => a + s.lon, 0) / inRegion.length,
        country: countries.size === 1 ? inRegion[0]!.country : null,
        provider: providers || null,
        region: id,
        cidrs: [...new Set(inRegion.flatMap((s) => s.cidrs))],
      };
    }
  }
  if (q.level !== 'country') {
    const site = sites.find((s) => s.name === id);
    if (site) return siteNode(site);
  }
  if (/^[A-Za-z]{2}$/.test(id)) return countryNode(id.toUpperCase());
  return { title: id, subtitle: 'unknown', kind: 'unknown', lat: null, lon: null, country: null, provider: null, region: null, cidrs: [] };
}

/** Each directed pair's applications, in rank order: `a→b` → [app, …] (rows of compileTopApplications). */
function applicationsByDirection(rows: Row[]): Map<string, string[]> {
  const byPair = new Map<string, string[]>();
  for (const row of rows) {
    const key = `${String(row.a)}\u0000${String(row.b)}`;
    const list = byPair.get(key) ?? [];
    list.push(String(row.app));
    byPair.set(key, list);
  }
  return byPair;
}

/** `appRows`: the top applications statement's rows when the query asked for them (topApplications). */
export function shapeTopology(q: ValidQuery, ctx: PlanContext, rows: Row[], meta: Frame['meta'], appRows?: Row[]): Frame[] {
  const value = (v: unknown): number => metricValue(q, null, v, null, 'range') ?? 0;
  const edges = new Map<string, { a: string; b: string; ab: number; ba: number; flows: number; crosses: boolean }>();
  const totals = new Map<string, { in: number; out: number; flows: number }>();
  const total = (id: string) => {
    let t = totals.get(id);
    if (!t) totals.set(id, (t = { in: 0, out: 0, flows: 0 }));
    return t;
  };
  for (const row of rows) {
    const src = String(row.a);
    const dst = String(row.b);
    if (src === dst) {
      total(src);
      continue;
    }
    const v = value(row.v);
    const flows = Number(row.f ?? 0);
    const [a, b] = src < dst ? [src, dst] : [dst, src];
    const key = `${a}--${b}`;
    let e = edges.get(key);
    if (!e) edges.set(key, (e = { a, b, ab: 0, ba: 0, flows: 0, crosses: false }));
    if (src === a) e.ab += v;
    else e.ba += v;
    e.flows += flows;
    e.crosses ||= row.x === true;
    total(src).out += v;
    total(src).flows += flows;
    total(dst).in += v;
    total(dst).flows += flows;
  }
  const unit = METRIC_UNITS[q.metric];
  // Flow counts carry unit 'none' so a panel's default unit (bytes, bps) is not applied to them.
  const flowsConfig = { unit: 'none', decimals: 0, displayName: 'flows' };
  const nodeIds = [...totals.keys()].sort((x, y) => {
    const tx = totals.get(x)!;
    const ty = totals.get(y)!;
    return ty.in + ty.out - (tx.in + tx.out) || (x < y ? -1 : x > y ? 1 : 0);
  });
  const infos = nodeIds.map((id) => describeNode(id, q, ctx.sites));
  const nodes: Frame = {
    name: 'nodes',
    refId: q.refId,
    fields: [
      { name: 'id', type: 'string', values: nodeIds },
      { name: 'title', type: 'string', values: infos.map((n) => n.title) },
      { name: 'subtitle', type: 'string', values: infos.map((n) => n.subtitle) },
      { name: 'kind', type: 'string', values: infos.map((n) => n.kind) },
      { name: 'mainstat', type: 'number', values: nodeIds.map((id) => totals.get(id)!.in + totals.get(id)!.out), config: { unit, displayName: 'total' } },
      { name: 'secondarystat', type: 'number', values: nodeIds.map((id) => totals.get(id)!.flows), config: { ...flowsConfig } },
      { name: 'detail__in', type: 'number', values: nodeIds.map((id) => totals.get(id)!.in), config: { unit, displayName: 'in' } },
      { name: 'detail__out', type: 'number', values: nodeIds.map((id) => totals.get(id)!.out), config: { unit, displayName: 'out' } },
      { name: 'latitude', type: 'number', values: infos.map((n) => n.lat) },
      { name: 'longitude', type: 'number', values: infos.map((n) => n.lon) },
      { name: 'country', type: 'string', values: infos.map((n) => n.country) },
      // Node Graph lists detail__* fields in its node menu; the geo panel's side card reads them.
      { name: 'detail__provider', type: 'string', values: infos.map((n) => n.provider), config: { displayName: 'provider' } },
      { name: 'detail__region', type: 'string', values: infos.map((n) => n.region), config: { displayName: 'region' } },
      { name: 'detail__cidrs', type: 'string', values: infos.map((n) => (n.cidrs.length > 0 ? n.cidrs.join(', ') : null)), config: { displayName: 'CIDRs' } },
    ],
    meta: { ...meta, custom: { ...meta.custom, preferredVisualisationType: 'nodeGraph' } },
  };
  // Rows may lack a country for inside addresses; the ends' own countries (site configuration,
  // country nodes) also tell whether the pair crosses a border.
  const countryOf = new Map(nodeIds.map((id, i) => [id, infos[i]!.country]));
  for (const e of edges.values()) {
    const a = countryOf.get(e.a);
    const b = countryOf.get(e.b);
    if (a && b && a !== b) e.crosses = true;
  }
  const edgeList = [...edges.entries()].sort(
    ([kx, x], [ky, y]) => y.ab + y.ba - (x.ab + x.ba) || (kx < ky ? -1 : kx > ky ? 1 : 0),
  );
  const edgeFrame: Frame = {
    name: 'edges',
    refId: q.refId,
    fields: [
      { name: 'id', type: 'string', values: edgeList.map(([k]) => k) },
      { name: 'source', type: 'string', values: edgeList.map(([, e]) => e.a) },
      { name: 'target', type: 'string', values: edgeList.map(([, e]) => e.b) },
      { name: 'mainstat', type: 'number', values: edgeList.map(([, e]) => e.ab + e.ba), config: { unit, displayName: 'total' } },
      { name: 'secondarystat', type: 'number', values: edgeList.map(([, e]) => e.flows), config: { ...flowsConfig } },
      { name: 'detail__a_to_b', type: 'number', values: edgeList.map(([, e]) => e.ab), config: { unit, displayName: 'source → target' } },
      { name: 'detail__b_to_a', type: 'number', values: edgeList.map(([, e]) => e.ba), config: { unit, displayName: 'target → source' } },
      { name: 'detail__flows', type: 'number', values: edgeList.map(([, e]) => e.flows), config: { ...flowsConfig } },
      { name: 'crosses_border', type: 'boolean', values: edgeList.map(([, e]) => e.crosses) },
      ...(q.topApplications ? applicationFields(edgeList.map(([, e]) => e), applicationsByDirection(appRows ?? [])) : []),
    ],
    meta: { ...meta, custom: { ...meta.custom, preferredVisualisationType: 'nodeGraph' } },
  };
  return [nodes, edgeFrame];
}

/**
 * Both directions' top applications as text ("ssh, https"), null where a direction had none:
 * Node Graph lists detail__ fields in its edge menu, the geo panel's tooltip reads them.
 */
function applicationFields(edges: Array<{ a: string; b: string }>, apps: Map<string, string[]>): Field[] {
  const text = (from: string, to: string) => apps.get(`${from}\u0000${to}`)?.join(', ') ?? null;
  return [
    { name: 'detail__top_apps_a_to_b', type: 'string', values: edges.map((e) => text(e.a, e.b)), config: { displayName: 'top applications source → target' } },
    { name: 'detail__top_apps_b_to_a', type: 'string', values: edges.map((e) => text(e.b, e.a)), config: { displayName: 'top applications target → source' } },
  ];
}
