import { createDataFrame, DataFrame, DataLink, FieldConfig, FieldType } from '@grafana/data';
import { aggregationLabel, metricLabel, metricUnit, ProxyField, ProxyFieldType, ProxyFrame } from '../shared/flowQuery';
import { DEFAULT_AD_HOC_VARIABLE, FlowQuery } from './types';
import { flowAtlasUnit } from './units';

const FIELD_TYPES: Record<ProxyFieldType, FieldType> = {
  time: FieldType.time,
  number: FieldType.number,
  string: FieldType.string,
  boolean: FieldType.boolean,
};

/**
 * The proxy labels bidirectional twins `direction: forward|reverse`, or `twin: …` when the query
 * groups by the NSG's own `direction` dimension.
 */
function twinKey(labels: Record<string, string> | undefined, dimensions: string[]): string | undefined {
  const key = dimensions.includes('direction') ? 'twin' : 'direction';
  return labels && (labels[key] === 'forward' || labels[key] === 'reverse') ? key : undefined;
}

function isReverse(labels: Record<string, string> | undefined, dimensions: string[]): boolean {
  const key = twinKey(labels, dimensions);
  return key !== undefined && labels![key] === 'reverse';
}

/** A group whose dimension has no value (an inside address has no country) still needs a name part. */
const NO_VALUE = '(none)';

/**
 * A series name from its group's values in the query's dimension order (`203.0.113.7 · CN`):
 * short, and distinct between the groups of one query. Without dimensions, or when the labels
 * hold none of them, `fallback` names the series (the query's alias or refId), so the series of
 * queries A and B differ too. The remainder beyond the top N is "Other".
 */
export function displayNameFromLabels(labels: Record<string, string>, dimensions: string[], fallback = ''): string {
  const marker = twinKey(labels, dimensions);
  const keys = [...dimensions.filter((d) => d in labels), ...Object.keys(labels).filter((k) => !dimensions.includes(k) && k !== marker)];
  const parts = labels.other === 'true' ? ['Other'] : keys.map((k) => (labels[k] === '' ? NO_VALUE : labels[k]));
  const name = parts.length > 0 ? parts.join(' · ') : fallback;
  return marker && labels[marker] === 'reverse' ? `${name} (reverse)` : name;
}

/** Name of a query without groups: its alias, else its refId. */
function queryName(query: FlowQuery): string {
  return query.alias?.trim() || query.refId;
}

/** Header of a table's value column: "Bits/s", "Bits/s (p95)", "Bytes (reverse)". */
function valueColumnName(query: FlowQuery, reverse: boolean): string {
  const aggregation = query.aggregation && query.aggregation !== 'total' ? ` (${aggregationLabel(query.aggregation)})` : '';
  return `${metricLabel(query.metric)}${aggregation}${reverse ? ' (reverse)' : ''}`;
}

/** What frame conversion needs from the data source settings. */
export interface FrameOptions {
  /** The ad hoc filter variable drill-down links add to; default `Filters`. */
  adHocVariable?: string;
}

/**
 * Drill-down: clicking a value adds `dimension = value` to the dashboard's ad hoc filters. The
 * value goes through Grafana's percentencode format: an IPv6 address, a space or an & in an NSG
 * rule name must not break the query string.
 */
function drillDownLink(dimension: string, value: string, adHocVariable: string): DataLink {
  return {
    title: `Filter on ${dimension} = \${${value}}`,
    url: `?\${__url.params}&var-${encodeURIComponent(adHocVariable)}=${dimension}%7C%3D%7C\${${value}:percentencode}`,
  };
}

/** The "Other" series: the remainder beyond the top N, not a value anyone can filter on. */
function isOtherSeries(labels: Record<string, string> | undefined): boolean {
  return labels?.other === 'true';
}

/** A table whose last row is the "Other" remainder (the proxy says which row in meta). */
function hasOtherRow(frame: ProxyFrame): boolean {
  return typeof frame.meta?.custom?.otherRow === 'number';
}

function convertField(field: ProxyField, query: FlowQuery, frame: ProxyFrame, adHocVariable: string) {
  const type = FIELD_TYPES[field.type] ?? FieldType.other;
  const config: FieldConfig = { ...(field.config as FieldConfig | undefined) };
  const isDimension = query.dimensions.includes(field.name);
  const isValue = type === FieldType.number && !isDimension;
  const reverse = isReverse(field.labels, query.dimensions);
  if (isValue && config.unit) {
    config.unit = flowAtlasUnit(config.unit);
  } else if (isValue && query.mode !== 'topology') {
    config.unit = metricUnit(query.metric);
  }
  // The plugin names series and columns itself: the proxy's "dst_ip=10.30.9.112" is long and
  // its no-dimension name ("bytes") is the same for every query.
  if (isValue && query.mode === 'timeseries') {
    config.displayNameFromDS = displayNameFromLabels(field.labels ?? {}, query.dimensions, queryName(query));
  } else if (isValue && query.mode === 'table') {
    config.displayNameFromDS = valueColumnName(query, reverse);
  }
  if (reverse && type === FieldType.number) {
    config.custom = { ...(config.custom ?? {}), transform: 'negative-Y' };
  }
  // Never a link that would filter on "Other" (`dst_ip = Other` is rejected by the proxy). Grafana
  // puts a table link on every cell of its column, so a table with the Other row has none: turn
  // Other off to drill down from a table.
  if (query.mode === 'table' && isDimension && !config.links && !hasOtherRow(frame)) {
    config.links = [drillDownLink(field.name, '__value.raw', adHocVariable)];
  }
  if (query.mode === 'timeseries' && type === FieldType.number && field.labels && !config.links && !isOtherSeries(field.labels)) {
    const first = query.dimensions.find((d) => field.labels && d in field.labels);
    if (first) {
      config.links = [drillDownLink(first, `__field.labels.${first}`, adHocVariable)];
    }
  }
  return { name: field.name, type, values: field.values, labels: field.labels, config };
}

/**
 * Proxy frames → Grafana data frames: typed fields, units from the metric, legend names from the
 * group labels, reverse series drawn below the axis, and the SQL in meta for Show SQL and the
 * query inspector.
 */
export function toDataFrames(frames: ProxyFrame[], query: FlowQuery, options: FrameOptions = {}): DataFrame[] {
  const adHocVariable = options.adHocVariable?.trim() || DEFAULT_AD_HOC_VARIABLE;
  return frames.map((frame) =>
    createDataFrame({
      name: frame.name,
      refId: query.refId,
      fields: frame.fields.map((f) => convertField(f, query, frame, adHocVariable)),
      meta: {
        executedQueryString: frame.meta?.executedQueryString,
        custom: frame.meta?.custom,
        ...(frame.meta?.notices?.length ? { notices: frame.meta.notices } : {}),
        preferredVisualisationType:
          query.mode === 'topology' ? 'nodeGraph' : query.mode === 'table' ? 'table' : 'graph',
      },
    })
  );
}
