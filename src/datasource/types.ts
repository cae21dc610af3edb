import { DataQuery } from '@grafana/schema';
import { DataSourceJsonData } from '@grafana/data';
import { defaultFlowQuery, FilterGroup, FlowQueryModel, FilterRule } from '../shared/flowQuery';

/** A FlowAtlas panel query: the shared versioned model plus Grafana's refId/hide/datasource. */
export interface FlowQuery extends DataQuery, FlowQueryModel {}

export const DEFAULT_QUERY: Partial<FlowQuery> = defaultFlowQuery();

/** Default name of the dashboards' ad hoc filter variable (the data source setting `adHocVariable`). */
export const DEFAULT_AD_HOC_VARIABLE = 'Filters';

/** Non-secret settings, readable by the browser. */
export interface FlowAtlasOptions extends DataSourceJsonData {
  /** Base URL of backend-proxy as Grafana's server reaches it; the route in plugin.json forwards to it. */
  proxyUrl?: string;
  /**
   * Longest a query may take, in seconds (default 60): the browser cancels it then, and Grafana's
   * data source proxy reads the same key for the requests it forwards (queryTimeout.ts).
   */
  timeout?: number;
  /** The same, as saved before `timeout`; still read. */
  timeoutSeconds?: number;
  /** Name of the dashboards' ad hoc filter variable that drill-down links add to (default `Filters`). */
  adHocVariable?: string;
}

/** Secret settings: only Grafana's server sees them (the route injects the token as a header). */
export interface FlowAtlasSecureOptions {
  token?: string;
}

/** A template variable query: the values of one dimension, optionally filtered. */
export interface FlowVariableQuery {
  refId?: string;
  dimension: string;
  /** Ranks the values (busiest first); default flows. Any metric of the engine. */
  metric?: string;
  filter?: FilterGroup;
  /** Text form of the filter, e.g. `dst_port = 22` (wins over `filter`). */
  filterText?: string;
  prefix?: string;
  limit?: number;
}

/**
 * A variable query as the variable editor saves it (Grafana wants a refId). Dashboards saved
 * before the editor hold the string form instead, `dimension [by metric] [where filter]`; both run.
 */
export interface FlowVariableTarget extends DataQuery, Partial<Omit<FlowVariableQuery, 'refId'>> {}

export type { FilterGroup, FilterRule };
