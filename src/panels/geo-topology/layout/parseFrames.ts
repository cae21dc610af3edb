import { DataFrame, Field, FieldType } from '@grafana/data';
import { DetailEntry, DirectionStats, NodeKind, TopologyLink, TopologyModel, TopologyNode } from '../types';
import { crossesBorder, parseBoolean } from './borders';

/** Field names accepted for each role, lower-case; the first ones are the data source's and Node Graph's. */
const NODE_FIELDS = {
  id: ['id'],
  title: ['title', 'name'],
  subtitle: ['subtitle'],
  kind: ['kind', 'detail__kind', 'type'],
  lat: ['latitude', 'lat', 'detail__latitude'],
  lon: ['longitude', 'lon', 'lng', 'detail__longitude'],
  country: ['country', 'detail__country', 'country_code'],
  provider: ['provider', 'detail__provider'],
  region: ['region', 'detail__region'],
  cidrs: ['cidrs', 'cidr', 'detail__cidrs', 'detail__cidr'],
  flows: ['flows', 'detail__flows'],
  totalIn: ['total_in', 'totals_in', 'in', 'value_in', 'bytes_in', 'detail__total_in', 'detail__in'],
  totalOut: ['total_out', 'totals_out', 'out', 'value_out', 'bytes_out', 'detail__total_out', 'detail__out'],
};

const EDGE_FIELDS = {
  id: ['id'],
  source: ['source'],
  target: ['target'],
  // FlowAtlas topology frames carry the two directions as detail__a_to_b / detail__b_to_a and the
  // sum as mainstat, so the direction fields must win over mainstat.
  ab: ['value_ab', 'ab', 'detail__a_to_b', 'mainstat', 'value'],
  ba: ['value_ba', 'ba', 'detail__b_to_a'],
  flows: ['flows', 'detail__flows'],
  flowsAB: ['flows_ab'],
  flowsBA: ['flows_ba'],
  apps: ['top_apps', 'apps', 'applications', 'top_applications', 'detail__top_applications', 'detail__applications'],
  // FlowAtlas topology with topApplications: detail__top_apps_a_to_b / detail__top_apps_b_to_a ("ssh, https").
  appsAB: ['apps_ab', 'top_apps_ab', 'detail__top_apps_a_to_b'],
  appsBA: ['apps_ba', 'top_apps_ba', 'detail__top_apps_b_to_a'],
  crosses: ['crosses_border', 'crossesborder', 'detail__crosses_border'],
};

export interface ParseOptions {
  /** Turns a field value into display text (units, decimals). Defaults to String(value). */
  format?: (field: Field, value: unknown) => string;
}

export interface ParsedTopology {
  model: TopologyModel;
  /** The fields whose config (unit, thresholds, min/max) drives arc formatting and colour. */
  rateFieldAB?: Field;
  rateFieldBA?: Field;
  totalField?: Field;
  /** A nodes frame was there, with or without rows: no nodes then means no traffic, not wrong frames. */
  hasNodesFrame?: boolean;
}

type FieldMap = Map<string, Field>;

function fieldMap(frame: DataFrame): FieldMap {
  const map: FieldMap = new Map();
  for (const field of frame.fields) {
    const key = field.name.toLowerCase();
    if (!map.has(key)) {
      map.set(key, field);
    }
  }
  return map;
}

function pick(map: FieldMap, names: string[], type?: FieldType): Field | undefined {
  for (const name of names) {
    const f = map.get(name);
    if (f && (!type || f.type === type)) {
      return f;
    }
  }
  return undefined;
}

const isNodesFrame = (frame: DataFrame, map: FieldMap) =>
  !map.has('source') &&
  map.has('id') &&
  (frame.name?.toLowerCase() === 'nodes' || (pick(map, NODE_FIELDS.lat) !== undefined && pick(map, NODE_FIELDS.lon) !== undefined));

const isEdgesFrame = (map: FieldMap) => map.has('source') && map.has('target');

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const toText = (value: unknown): string | undefined =>
  value === null || value === undefined || value === '' ? undefined : String(value);

/** Lists arrive as arrays, JSON arrays in strings, or comma (then: names may hold spaces) or space separated strings. */
export function parseList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String).filter(Boolean);
  }
  if (typeof value !== 'string' || value.trim() === '') {
    return [];
  }
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text);
      if (Array.isArray(parsed)) {
        return parsed.map(String).filter(Boolean);
      }
    } catch {
      // Not JSON after all: fall through to splitting.
    }
  }
  return text
    .split(/[,;]/.test(text) ? /[,;]/ : /\s+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Maps the spellings data sources use for a place's kind onto the glyphs the panel has. */
export function parseKind(raw: unknown, id: string): NodeKind {
  const s = typeof raw === 'string' ? raw.trim().toLowerCase().replace(/[\s_]+/g, '-') : '';
  if (s.includes('cloud') || s === 'region') {
    return NodeKind.CloudRegion;
  }
  if (s.startsWith('data') || s === 'dc' || s.startsWith('on-prem') || s.startsWith('onprem')) {
    return NodeKind.DataCenter;
  }
  if (s.startsWith('branch') || s === 'office' || s === 'site') {
    return NodeKind.Branch;
  }
  if (s.includes('country') || s.includes('internet')) {
    return NodeKind.InternetCountry;
  }
  // Country-level topology often has bare ISO-2 ids and no kind.
  return !s && /^[A-Z]{2}$/.test(id) ? NodeKind.InternetCountry : NodeKind.Unknown;
}

const emptyDirection = (): DirectionStats => ({ value: 0, apps: [], present: false });

function addDirection(into: DirectionStats, value: number | undefined, flows: number | undefined, apps: string[]) {
  if (value !== undefined) {
    into.value += value;
    into.present = true;
  }
  if (flows !== undefined) {
    into.flows = (into.flows ?? 0) + flows;
  }
  for (const app of apps) {
    if (!into.apps.includes(app)) {
      into.apps.push(app);
    }
  }
}

function summarise(kind: string, problems: string[]): string | undefined {
  if (problems.length === 0) {
    return undefined;
  }
  const shown = problems.slice(0, 3).join('; ');
  return problems.length > 3 ? `${problems.length} ${kind}: ${shown}; …` : `${problems.length} ${kind}: ${shown}`;
}

/**
 * Reads the data source's topology frames (`nodes` + `edges`) or any frames that follow Grafana's
 * Node Graph conventions, into one link per pair of places with both directions kept apart.
 * An edge row B→A next to A→B fills the reverse direction of the same link. Rows that cannot be
 * placed (no coordinates, unknown node) are skipped and reported in `warnings`; the rest draws.
 */
export function parseTopologyFrames(frames: DataFrame[], options: ParseOptions = {}): ParsedTopology {
  const format = options.format ?? ((_f: Field, v: unknown) => String(v));
  const nodes = new Map<string, TopologyNode>();
  const explicitTotals = new Set<string>();
  const links = new Map<string, TopologyLink>();
  const explicitBorder = new Map<string, boolean>();
  const noCoordinates: string[] = [];
  const unknownEnds: string[] = [];
  const result: ParsedTopology = { model: { nodes: [], links: [], warnings: [] } };

  const nodeFrames: Array<[DataFrame, FieldMap]> = [];
  const edgeFrames: Array<[DataFrame, FieldMap]> = [];
  for (const frame of frames) {
    const map = fieldMap(frame);
    if (isEdgesFrame(map)) {
      edgeFrames.push([frame, map]);
    } else if (isNodesFrame(frame, map)) {
      nodeFrames.push([frame, map]);
    }
  }

  for (const [frame, map] of nodeFrames) {
    const f = Object.fromEntries(Object.entries(NODE_FIELDS).map(([k, names]) => [k, pick(map, names)])) as Record<
      keyof typeof NODE_FIELDS,
      Field | undefined
    >;
    const statFields = [pick(map, ['mainstat']), pick(map, ['secondarystat'])].filter((x): x is Field => !!x);
    // Node Graph frames often carry the flow count as a stat named "flows" (FlowAtlas' secondarystat).
    f.flows = f.flows ?? statFields.find((fd) => fd.type === FieldType.number && /^flows$/i.test(fd.config.displayName ?? ''));
    // Fields read into a role (totals, provider, CIDRs, flows…) are shown by the card in their own
    // rows; listing them again as details would repeat every number.
    const roleFields = new Set(Object.values(f).filter((fd): fd is Field => !!fd));
    const detailFields = frame.fields.filter((fd) => fd.name.toLowerCase().startsWith('detail__') && !roleFields.has(fd));
    const otherStats = statFields.filter((fd) => !roleFields.has(fd));
    result.totalField = result.totalField ?? f.totalOut ?? f.totalIn ?? pick(map, ['mainstat'], FieldType.number);
    for (let row = 0; row < frame.length; row++) {
      const id = toText(f.id?.values[row]);
      if (!id) {
        noCoordinates.push(`nodes row ${row}: no id`);
        continue;
      }
      const lat = toNumber(f.lat?.values[row]);
      const lon = toNumber(f.lon?.values[row]);
      if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        noCoordinates.push(`${id} (nodes row ${row})`);
        continue;
      }
      const totalIn = toNumber(f.totalIn?.values[row]);
      const totalOut = toNumber(f.totalOut?.values[row]);
      if (totalIn !== undefined || totalOut !== undefined) {
        explicitTotals.add(id);
      }
      // A stat that is just in + out (the data source's "total") says nothing the totals do not.
      const isSumOfTotals = (fd: Field) => totalIn !== undefined && totalOut !== undefined && toNumber(fd.values[row]) === totalIn + totalOut;
      const details: DetailEntry[] = [...otherStats.filter((fd) => !isSumOfTotals(fd)), ...detailFields]
        .filter((fd) => fd.values[row] !== null && fd.values[row] !== undefined && fd.values[row] !== '')
        .map((fd) => ({
          label: fd.config.displayName ?? fd.name.replace(/^detail__/i, '').replace(/_/g, ' '),
          value: format(fd, fd.values[row]),
        }));
      nodes.set(id, {
        id,
        title: toText(f.title?.values[row]) ?? id,
        subtitle: toText(f.subtitle?.values[row]),
        kind: parseKind(f.kind?.values[row], id),
        lat,
        lon,
        country: toText(f.country?.values[row])?.toUpperCase(),
        provider: toText(f.provider?.values[row]),
        region: toText(f.region?.values[row]),
        cidrs: parseList(f.cidrs?.values[row]),
        flows: toNumber(f.flows?.values[row]),
        totalIn: totalIn ?? 0,
        totalOut: totalOut ?? 0,
        details,
      });
    }
  }

  for (const [frame, map] of edgeFrames) {
    const f = Object.fromEntries(Object.entries(EDGE_FIELDS).map(([k, names]) => [k, pick(map, names)])) as Record<
      keyof typeof EDGE_FIELDS,
      Field | undefined
    >;
    const abField = f.ab && f.ab.type !== FieldType.string ? f.ab : pick(map, ['value_ab', 'value'], FieldType.number);
    result.rateFieldAB = result.rateFieldAB ?? abField;
    result.rateFieldBA = result.rateFieldBA ?? f.ba ?? abField;
    for (let row = 0; row < frame.length; row++) {
      const source = toText(f.source!.values[row]);
      const target = toText(f.target!.values[row]);
      if (!source || !target || !nodes.has(source) || !nodes.has(target) || source === target) {
        unknownEnds.push(`edges row ${row} (${source ?? '?'}→${target ?? '?'})`);
        continue;
      }
      // One link per unordered pair; the first row's source becomes side a.
      const existing = links.get(`${source}\u0000${target}`) ?? links.get(`${target}\u0000${source}`);
      const link: TopologyLink = existing ?? {
        id: toText(f.id?.values[row]) ?? `${source}--${target}`,
        a: source,
        b: target,
        ab: emptyDirection(),
        ba: emptyDirection(),
        crossesBorder: false,
        borderKnown: false,
      };
      if (!existing) {
        links.set(`${source}\u0000${target}`, link);
      }
      const forward = link.a === source;
      const sharedApps = parseList(f.apps?.values[row]);
      const rowAB = {
        value: toNumber(abField?.values[row]),
        flows: toNumber(f.flowsAB?.values[row]),
        apps: [...parseList(f.appsAB?.values[row]), ...sharedApps],
      };
      const rowBA = {
        value: toNumber(f.ba?.values[row]),
        flows: toNumber(f.flowsBA?.values[row]),
        apps: [...parseList(f.appsBA?.values[row]), ...sharedApps],
      };
      const [toAB, toBA] = forward ? [rowAB, rowBA] : [rowBA, rowAB];
      addDirection(link.ab, toAB.value, toAB.flows, toAB.apps);
      addDirection(link.ba, toBA.value, toBA.flows, toBA.apps);
      const flows = toNumber(f.flows?.values[row]);
      if (flows !== undefined) {
        link.flows = (link.flows ?? 0) + flows;
      }
      const crosses = parseBoolean(f.crosses?.values[row]);
      if (crosses !== undefined) {
        explicitBorder.set(link.id, (explicitBorder.get(link.id) ?? false) || crosses);
      }
    }
  }

  for (const link of links.values()) {
    const a = nodes.get(link.a)!;
    const b = nodes.get(link.b)!;
    const verdict = crossesBorder(explicitBorder.get(link.id), a, b);
    link.crossesBorder = verdict.crosses;
    link.borderKnown = verdict.known;
    // Nodes without totals in the frame get them from their links.
    if (!explicitTotals.has(a.id)) {
      a.totalOut += link.ab.value;
      a.totalIn += link.ba.value;
    }
    if (!explicitTotals.has(b.id)) {
      b.totalIn += link.ab.value;
      b.totalOut += link.ba.value;
    }
  }

  result.hasNodesFrame = nodeFrames.length > 0;
  result.model.nodes = [...nodes.values()];
  result.model.links = [...links.values()];
  result.model.warnings = [
    summarise('nodes without valid latitude/longitude, not drawn', noCoordinates),
    summarise('edges whose ends are not drawn nodes, skipped', unknownEnds),
  ].filter((w): w is string => !!w);
  return result;
}
