import { BackendSrv, BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { lastValueFrom, Observable } from 'rxjs';
import { toProxyPath } from './proxyPath';
import { getToken } from './token';

/** What Grafana's backendSrv emits for a failed request: the response with its body and status. */
export interface FetchFailure {
  status: number;
  statusText: string;
  data: unknown;
  config: BackendSrvRequest;
}

function withParams(url: string, params: BackendSrvRequest['params']): string {
  if (!params || typeof params !== 'object') {
    return url;
  }
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    if (v !== undefined && v !== null) {
      search.set(k, String(v));
    }
  }
  const text = search.toString();
  return text ? `${url}${url.includes('?') ? '&' : '?'}${text}` : url;
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The subset of Grafana's BackendSrv that plugins use, on window.fetch: `fetch` returns a cold
 * Observable of { data, status, … } that errors with the same shape on non-2xx, unsubscribing
 * aborts the request, and a new request with the same requestId cancels the older one.
 */
export class FetchBackendSrv {
  private readonly inFlight = new Map<string, AbortController>();

  fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
    return new Observable<FetchResponse<T>>((subscriber) => {
      const controller = new AbortController();
      if (options.requestId) {
        this.inFlight.get(options.requestId)?.abort();
        this.inFlight.set(options.requestId, controller);
      }
      const method = (options.method ?? 'GET').toUpperCase();
      const hasBody = options.data !== undefined && method !== 'GET';
      const url = withParams(toProxyPath(options.url), options.params);
      // what Grafana's data source route adds on its server (plugin.json), read at each call so a new token applies at once
      const token = getToken();
      fetch(url, {
        method,
        signal: controller.signal,
        headers: {
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(hasBody ? { 'content-type': 'application/json' } : {}),
          ...(options.headers ?? {}),
        },
        body: hasBody ? (typeof options.data === 'string' ? options.data : JSON.stringify(options.data)) : undefined,
      })
        .then(async (res) => {
          const data = await readBody(res);
          if (!res.ok) {
            const failure: FetchFailure = { status: res.status, statusText: res.statusText, data, config: options };
            subscriber.error(failure);
            return;
          }
          subscriber.next({
            data: data as T,
            status: res.status,
            statusText: res.statusText,
            ok: res.ok,
            headers: res.headers,
            redirected: res.redirected,
            type: res.type,
            url: res.url,
            config: options,
          });
          subscriber.complete();
        })
        .catch((err: Error) => {
          if (!controller.signal.aborted) {
            const failure: FetchFailure = { status: 0, statusText: 'network error', data: { message: err.message }, config: options };
            subscriber.error(failure);
          }
        })
        .finally(() => {
          if (options.requestId && this.inFlight.get(options.requestId) === controller) {
            this.inFlight.delete(options.requestId);
          }
        });
      return () => controller.abort();
    });
  }

  async request<T>(options: BackendSrvRequest): Promise<T> {
    return (await lastValueFrom(this.fetch<T>(options))).data;
  }

  async datasourceRequest<T>(options: BackendSrvRequest): Promise<FetchResponse<T>> {
    return lastValueFrom(this.fetch<T>(options));
  }

  get<T>(url: string, params?: BackendSrvRequest['params']): Promise<T> {
    return this.request<T>({ url, params, method: 'GET' });
  }

  post<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'POST' });
  }

  put<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PUT' });
  }

  patch<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'PATCH' });
  }

  delete<T>(url: string, data?: unknown): Promise<T> {
    return this.request<T>({ url, data, method: 'DELETE' });
  }

  resolveCancelerIfExists(requestId: string): void {
    this.inFlight.get(requestId)?.abort();
    this.inFlight.delete(requestId);
  }
}

export function createBackendSrv(): BackendSrv {
  // The methods the playground does not implement (chunked fetch, …) are never called by FlowAtlas.
  return new FetchBackendSrv() as unknown as BackendSrv;
}
