import { getBackendSrv, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable, map, timeout, throwError } from 'rxjs';
import {
  DimensionInfo,
  FilterValidation,
  HealthResponse,
  ProxyQueryRequest,
  ProxyQueryResponse,
} from '../shared/flowQuery';

/** Path segment of the plugin.json route that adds the bearer token on Grafana's server. */
export const ROUTE = 'flowatlas';

/**
 * The only caller of getBackendSrv: every request goes through Grafana's data source proxy and the
 * `flowatlas` route, so the browser never holds the proxy token.
 */
export class FlowAtlasApi {
  constructor(
    private readonly instanceUrl: string,
    private readonly timeoutMs = 60_000
  ) {}

  private url(path: string): string {
    return `${this.instanceUrl}/${ROUTE}${path}`;
  }

  /**
   * Runs one query. Unsubscribing cancels the HTTP request; `requestId` lets Grafana's backendSrv
   * also cancel an older in-flight request with the same id.
   */
  query(body: ProxyQueryRequest, requestId?: string): Observable<ProxyQueryResponse> {
    return getBackendSrv()
      .fetch<ProxyQueryResponse>({
        url: this.url('/api/v1/query'),
        method: 'POST',
        data: body,
        requestId,
        showErrorAlert: false,
      })
      .pipe(
        timeout({
          first: this.timeoutMs,
          with: () => throwError(() => ({ status: 408, data: { message: `query timed out after ${this.timeoutMs / 1000} s` } })),
        }),
        map((r: FetchResponse<ProxyQueryResponse>) => r.data)
      );
  }

  async dimensions(): Promise<DimensionInfo[]> {
    return this.get<DimensionInfo[]>('/api/v1/dimensions');
  }

  async dimensionValues(name: string, prefix = '', limit = 50): Promise<string[]> {
    const params = new URLSearchParams({ prefix, limit: String(limit) });
    const body = await this.get<{ values: string[] }>(`/api/v1/dimensions/${encodeURIComponent(name)}/values?${params}`);
    return body.values;
  }

  async health(): Promise<HealthResponse> {
    return this.get<HealthResponse>('/api/health');
  }

  /**
   * The cheapest authenticated call (the static dimension catalogue): /api/health is open to
   * anyone, so only this proves the token the route adds. Rejects with 401 or 403.
   */
  async checkToken(): Promise<void> {
    await this.get<unknown>('/api/v1/dimensions');
  }

  /**
   * Runs the query's filterText checks on the proxy: `ok: false` with message, line and column
   * when the text would be rejected. Rejects only when the check itself failed (network, 5xx).
   */
  async validateFilter(filterText: string): Promise<FilterValidation> {
    try {
      const response = await lastValueFrom(
        getBackendSrv().fetch<FilterValidation>({
          url: this.url('/api/v1/filter/validate'),
          method: 'POST',
          data: { filterText },
          showErrorAlert: false,
        })
      );
      return response.data;
    } catch (err) {
      // Proxies before the 200 { ok: false } answer said it with a 400.
      const e = err as { status?: number; data?: Partial<FilterValidation> };
      if (e?.status === 400 && e.data && typeof e.data.message === 'string') {
        return { ok: false, message: e.data.message, field: e.data.field, line: e.data.line, column: e.data.column };
      }
      throw err;
    }
  }

  private async get<T>(path: string): Promise<T> {
    const response = await lastValueFrom(
      getBackendSrv().fetch<T>({ url: this.url(path), method: 'GET', showErrorAlert: false })
    );
    return response.data;
  }
}
