import {
  AdHocVariableFilter,
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataSourceInstanceSettings,
  dateTime,
  LoadingState,
  MetricFindValue,
  ScopedVars,
  TestDataSourceResponse,
} from '@grafana/data';
import { getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { catchError, finalize, map, merge, Observable, of, Subject, takeUntil } from 'rxjs';
import {
  DimensionInfo,
  FilterGroup,
  FilterRule,
  FilterValidation,
  filterProblems,
  FLOW_QUERY_VERSION,
  Metric,
  METRICS,
  toProxyRequest,
} from '../shared/flowQuery';
import { FlowAtlasApi } from './api';
import { describeHealth, describeHealthFailure } from '../shared/healthMessage';
import { FilterTextError, toDataQueryError, toFlowAtlasError } from './errors';
import { hasVariableReference, InterpolatedText, interpolateFilterText, quoteVariableReferences, toEditorTree } from './filterText';
import { FrameOptions, toDataFrames } from './frames';
import { migrateQuery } from './migration';
import { DEFAULT_QUERY, FlowAtlasOptions, FlowQuery, FlowVariableQuery } from './types';
import { registerFlowAtlasUnits } from './units';
import { adHocToRules, emptiedVariable, interpolateFilter, interpolateQuery } from './variables';
import { parseVariableQuery } from './variableQuery';
import { FlowVariableSupport } from './variableSupport';
import { queryTimeoutSeconds } from '../shared/queryTimeout';

// the string form's parser, where the dashboards test and older callers import it from
export { parseVariableQuery };

/** A filter text error from the proxy, with its position moved back to the text as typed. */
function atTypedPosition(err: unknown, typed: InterpolatedText | undefined): unknown {
  const e = err as { data?: { field?: string; line?: number; column?: number } } | undefined;
  const data = e?.data;
  if (!typed || !data || data.field !== 'filterText' || data.line === undefined || data.column === undefined) {
    return err;
  }
  const at = typed.original(data.line, data.column);
  return { ...e, data: { ...data, ...at } };
}

function failed(key: string, refId: string, err: unknown): DataQueryResponse {
  return { data: [], key, errors: [toDataQueryError(err, refId)], state: LoadingState.Error };
}

export class FlowAtlasDataSource extends DataSourceApi<FlowQuery, FlowAtlasOptions> {
  readonly api: FlowAtlasApi;
  private dimensionsCache?: Promise<DimensionInfo[]>;
  /** One cancel signal per panel query: a new run of the same panel+refId cancels the previous one. */
  private readonly running = new Map<string, Subject<void>>();
  private readonly frameOptions: FrameOptions;

  constructor(
    instanceSettings: DataSourceInstanceSettings<FlowAtlasOptions>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    registerFlowAtlasUnits();
    const timeoutMs = queryTimeoutSeconds(instanceSettings.jsonData) * 1000;
    this.api = new FlowAtlasApi(instanceSettings.url ?? '', timeoutMs);
    this.frameOptions = { adHocVariable: instanceSettings.jsonData.adHocVariable };
    this.variables = new FlowVariableSupport(this);
  }

  getDefaultQuery(_: CoreApp): Partial<FlowQuery> {
    return DEFAULT_QUERY;
  }

  filterQuery(query: FlowQuery): boolean {
    return !query.hide;
  }

  applyTemplateVariables(query: FlowQuery, scopedVars: ScopedVars): FlowQuery {
    return interpolateQuery(migrateQuery(query), this.templateSrv, scopedVars);
  }

  /** Active ad hoc filters: scenes pass them on the request, older dashboards only via templateSrv. */
  private adHocRules(request: DataQueryRequest<FlowQuery>): FilterRule[] {
    const legacy = (this.templateSrv as TemplateSrv & { getAdhocFilters?: (name: string) => AdHocVariableFilter[] })
      .getAdhocFilters;
    return adHocToRules(request.filters ?? legacy?.call(this.templateSrv, this.name));
  }

  query(request: DataQueryRequest<FlowQuery>): Observable<DataQueryResponse> {
    const targets = request.targets.filter((t) => this.filterQuery(t));
    if (targets.length === 0) {
      return of({ data: [], state: LoadingState.Done });
    }
    const scopedVars = { ...request.scopedVars, __interval: { text: request.interval, value: request.interval } };
    const runs = targets.map((target) => this.runTarget(request, target, scopedVars));
    return merge(...runs);
  }

  private runTarget(request: DataQueryRequest<FlowQuery>, target: FlowQuery, scopedVars: ScopedVars) {
    const key = `${request.dashboardUID ?? ''}/${request.panelId ?? request.requestId}/${target.refId}`;
    const saved = migrateQuery(target);
    if (saved.filterMode !== 'text' && emptiedVariable(saved.filter, this.templateSrv, scopedVars)) {
      // A filter on a variable without a value: no data, rather than everything unfiltered.
      return of({ data: [], key, state: LoadingState.Done });
    }
    let extraFilters: FilterRule[];
    try {
      extraFilters = this.adHocRules(request);
    } catch (err) {
      return of(failed(key, target.refId, err));
    }
    const query = this.applyTemplateVariables(target, scopedVars);
    const textMode = query.filterMode === 'text' && Boolean(saved.filterText?.trim());
    // Rules the editor flags (an invalid CIDR) would only come back as a 400: say so without sending.
    const problem = textMode ? undefined : filterProblems(query.filter)[0];
    if (problem) {
      return of(failed(key, target.refId, new Error(`filter rule ${problem.path}: ${problem.message}; the query was not sent`)));
    }
    const typed = textMode ? interpolateFilterText(saved.filterText!, this.templateSrv, scopedVars) : undefined;
    const body = toProxyRequest(query, {
      from: request.range.from.valueOf(),
      to: request.range.to.valueOf(),
      maxDataPoints: request.maxDataPoints,
      intervalMs: request.intervalMs,
      extraFilters,
    });
    this.running.get(key)?.next();
    const cancel = new Subject<void>();
    this.running.set(key, cancel);
    return this.api.query(body, key).pipe(
      takeUntil(cancel),
      map((response): DataQueryResponse => ({ data: toDataFrames(response.frames, query, this.frameOptions), key, state: LoadingState.Done })),
      catchError((err) => of(failed(key, target.refId, atTypedPosition(err, typed)))),
      finalize(() => {
        if (this.running.get(key) === cancel) {
          this.running.delete(key);
        }
      })
    );
  }

  /** Dimensions of the engine, fetched once per data source instance. */
  getDimensions(): Promise<DimensionInfo[]> {
    if (!this.dimensionsCache) {
      this.dimensionsCache = this.api.dimensions().catch((err) => {
        this.dimensionsCache = undefined;
        throw err;
      });
    }
    return this.dimensionsCache;
  }

  getDimensionValues(dimension: string, prefix = '', limit = 50): Promise<string[]> {
    return this.api.dimensionValues(dimension, prefix, limit);
  }

  /**
   * The query's filterText checks for the text as typed: variables are replaced as a query run
   * would, and a rejection (FilterTextError) points at the typed text. Resolves with the proxy's
   * verdict when the text passes; rejects with the transport error when it could not be checked.
   */
  async validateFilterText(text: string): Promise<FilterValidation> {
    const typed = interpolateFilterText(text, this.templateSrv, {});
    const verdict = await this.api.validateFilter(typed.text);
    if (!verdict.ok) {
      const at = verdict.line !== undefined && verdict.column !== undefined ? typed.original(verdict.line, verdict.column) : undefined;
      throw new FilterTextError(verdict.message ?? 'the filter text is not valid', at?.line, at?.column, verdict.field);
    }
    return verdict;
  }

  /**
   * The builder's tree of a filter text. Variable references stay references (`$host` is the
   * rule's value, not today's address), so the tree says what the text says on every dashboard.
   */
  async filterTextToTree(text: string): Promise<FilterGroup> {
    const withRefs = hasVariableReference(text);
    const verdict = await this.api.validateFilter(withRefs ? quoteVariableReferences(text) : text);
    if (!verdict.tree) {
      // Quoting moved the positions; only a text without references has them right.
      throw new FilterTextError(verdict.message ?? 'the filter text does not parse', withRefs ? undefined : verdict.line, withRefs ? undefined : verdict.column);
    }
    return toEditorTree(verdict.tree);
  }

  /**
   * Variable values: every value of a dimension, or the values ranked by a metric and/or matching
   * a filter (`src_ip where dst_port = 22`, `dst_ip by unique_dst_ports where src_ip = $host`),
   * answered by a top-N table query over the dashboard range, busiest first (Grafana selects the
   * first option of a fresh variable). A plain string is parsed by parseVariableQuery.
   */
  async metricFindQuery(query: FlowVariableQuery | string, options?: { range?: DataQueryRequest['range']; scopedVars?: ScopedVars }): Promise<MetricFindValue[]> {
    const parsed = typeof query === 'string' ? parseVariableQuery(query) : query;
    const scopedVars = options?.scopedVars ?? {};
    const dimension = this.templateSrv.replace(parsed.dimension ?? '', scopedVars).trim();
    if (!dimension) {
      return [];
    }
    const metric = parsed.metric ? this.templateSrv.replace(parsed.metric, scopedVars).trim() : undefined;
    if (metric !== undefined && !METRICS.some((m) => m.value === metric)) {
      throw new Error(`variable query: unknown metric "${metric}" after "by" (one of ${METRICS.map((m) => m.value).join(', ')})`);
    }
    // As in panel queries: a multi-value variable becomes a quoted list (`in ($ips)` → `in ('a', 'b')`),
    // where a plain replace would give `{a,b}`, which the grammar rejects.
    const filterText = parsed.filterText ? interpolateFilterText(parsed.filterText, this.templateSrv, scopedVars).text : '';
    const filter: FilterGroup | undefined = parsed.filter ? interpolateFilter(parsed.filter, this.templateSrv, scopedVars) : undefined;
    if (!filterText && !filter?.rules.length && !metric) {
      const values = await this.getDimensionValues(dimension, parsed.prefix ?? '', parsed.limit ?? 1000);
      return values.map((text) => ({ text, value: text }));
    }
    const to = options?.range?.to ?? dateTime();
    const from = options?.range?.from ?? dateTime(to.valueOf() - 24 * 3600 * 1000);
    const model = migrateQuery({
      refId: 'variable',
      version: FLOW_QUERY_VERSION,
      mode: 'table',
      metric: (metric as Metric | undefined) ?? 'flows',
      aggregation: 'total',
      dimensions: [dimension],
      filter: filter ?? { op: 'and', rules: [] },
      filterMode: filterText ? 'text' : 'builder',
      filterText,
      topN: parsed.limit ?? 1000,
      other: false,
      bidirectional: false,
    });
    const response = await new Promise<{ frames: Array<{ fields: Array<{ name: string; values: unknown[] }> }> }>((resolve, reject) =>
      this.api.query(toProxyRequest(model, { from: from.valueOf(), to: to.valueOf() })).subscribe({ next: resolve, error: reject })
    );
    const field = response.frames[0]?.fields.find((f) => f.name === dimension);
    // A group without a value (no country for an address, …) is not something to select.
    return (field?.values ?? []).filter((v) => v !== null && v !== undefined && v !== '').map((v) => ({ text: String(v), value: String(v) }));
  }

  async getTagKeys(): Promise<MetricFindValue[]> {
    const dims = await this.getDimensions();
    return dims.map((d) => ({ text: d.name, value: d.name }));
  }

  async getTagValues(options: { key: string }): Promise<MetricFindValue[]> {
    const values = await this.getDimensionValues(options.key, '', 200);
    return values.map((text) => ({ text, value: text }));
  }

  /** /api/health is unauthenticated: an authenticated call follows, so a wrong token does not pass. */
  async testDatasource(): Promise<TestDataSourceResponse> {
    try {
      const health = await this.api.health();
      await this.api.checkToken();
      const verdict = describeHealth(health);
      return { status: verdict.ok ? 'success' : 'error', message: verdict.message };
    } catch (err) {
      const e = toFlowAtlasError(err);
      return { status: 'error', message: describeHealthFailure(e.message, e.status).message };
    }
  }
}
