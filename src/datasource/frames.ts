import { createDataFrame, DataFrame, DataLink, FieldConfig, FieldType } from '@grafana/data';
import { metricUnit, ProxyField, ProxyFieldType, ProxyFrame } from '../shared/flowQuery';
import { FlowQuery } from './types';

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

/**
 * A series name built from its group labels in the query's dimension order
 * (`203.0.113.7 · CN`), so legends read like the question that was asked.
 */
export function displayNameFromLabels(labels: Record<string, string>, dimensions: string[]): string {
  const marker = twinKey(labels, dimensions);
  const keys = [
    ...dimensions.filter((d) => d in labels),
    ...Object.keys(labels).filter((k) => !dimensions.includes(k) && k !== marker),
  ];
  const name = keys.map((k) => labels[k]).join(' · ');
  return marker && labels[marker] === 'reverse' ? `${name} (reverse)` : name;
}

/** Name of the ad hoc filter variable the provisioned dashboards define; drill-down links add to it. */
export const AD_HOC_VARIABLE = 'Filters';

/** Drill-down: clicking a value adds `dimension = value` to the dashboard's ad hoc filters. */
function drillDownLink(dimension: string, valueExpr: string): DataLink {
  return {
    title: `Filter on ${dimension} = ${valueExpr}`,
    url: `?\${__url.params}&var-${AD_HOC_VARIABLE}=${dimension}%7C%3D%7C${valueExpr}`,
  };
}

function convertField(field: ProxyField, query: FlowQuery) {
  const type = FIELD_TYPES[field.type] ?? FieldType.other;
  const config: FieldConfig = { ...(field.config as FieldConfig | undefined) };
  const isDimension = query.dimensions.includes(field.name);
  if (type === FieldType.number && !isDimension && !config.unit && query.mode !== 'topology') {
    config.unit = metricUnit(query.metric);
  }
  if (field.labels && Object.keys(field.labels).length > 0 && !config.displayNameFromDS) {
    config.displayNameFromDS = displayNameFromLabels(field.labels, query.dimensions);
  }
  if (isReverse(field.labels, query.dimensions) && type === FieldType.number) {
    config.custom = { ...(config.custom ?? {}), transform: 'negative-Y' };
  }
  if (query.mode === 'table' && isDimension && !config.links) {
    config.links = [drillDownLink(field.name, '${__value.raw}')];
  }
  if (query.mode === 'timeseries' && type === FieldType.number && field.labels && !config.links) {
    const first = query.dimensions.find((d) => field.labels && d in field.labels);
    if (first) {
      config.links = [drillDownLink(first, `\${__field.labels.${first}}`)];
    }
  }
  return { name: field.name, type, values: field.values, labels: field.labels, config };
}

/**
 * Proxy frames → Grafana data frames: typed fields, units from the metric, legend names from the
 * group labels, reverse series drawn below the axis, and the SQL in meta for Show SQL and the
 * query inspector.
 */
export function toDataFrames(frames: ProxyFrame[], query: FlowQuery): DataFrame[] {
  return frames.map((frame) =>
    createDataFrame({
      name: frame.name,
      refId: query.refId,
      fields: frame.fields.map((f) => convertField(f, query)),
      meta: {
        executedQueryString: frame.meta?.executedQueryString,
        custom: frame.meta?.custom,
        preferredVisualisationType:
          query.mode === 'topology' ? 'nodeGraph' : query.mode === 'table' ? 'table' : 'graph',
      },
    })
  );
}
