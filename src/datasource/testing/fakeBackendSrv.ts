import { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable, of, throwError } from 'rxjs';

/** A recorded call plus whether its subscriber is still listening (cancellation tests). */
export interface RecordedRequest {
  options: BackendSrvRequest;
  active: boolean;
}

type Handler = (options: BackendSrvRequest) => Observable<FetchResponse<unknown>> | unknown;

/**
 * Stands in for Grafana's backendSrv at the transport boundary only: the data source, api.ts and
 * frame conversion run for real; this answers `fetch` by URL suffix like the proxy would.
 */
export class FakeBackendSrv {
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Array<[string, Handler]> = [];

  on(pathSuffix: string, handler: Handler): this {
    this.routes.unshift([pathSuffix, handler]);
    return this;
  }

  fetch = <T>(options: BackendSrvRequest): Observable<FetchResponse<T>> => {
    const record: RecordedRequest = { options, active: true };
    this.requests.push(record);
    const path = options.url.split('?')[0];
    const route = this.routes.find(([suffix]) => path.endsWith(suffix));
    if (!route) {
      return throwError(() => ({ status: 404, data: { statusCode: 404, error: 'Not Found', message: `no route ${path}` } }));
    }
    return new Observable<FetchResponse<T>>((subscriber) => {
      let result: unknown;
      try {
        result = route[1](options);
      } catch (err) {
        subscriber.error(err);
        return;
      }
      const source = result instanceof Observable ? result : of(ok(result));
      const sub = source.subscribe({
        next: (v) => subscriber.next(v as FetchResponse<T>),
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        record.active = false;
        sub.unsubscribe();
      };
    });
  };
}

export function ok<T>(data: T, status = 200): FetchResponse<T> {
  return {
    data,
    status,
    statusText: 'OK',
    ok: true,
    headers: new Headers(),
    redirected: false,
    type: 'basic',
    url: '',
    config: { url: '' },
  };
}

/** How backendSrv rejects a non-2xx answer: a FetchError carrying the parsed JSON body. */
export function fetchError(status: number, data: unknown) {
  return { status, data, statusText: 'Bad Request', config: { url: '' } };
}
