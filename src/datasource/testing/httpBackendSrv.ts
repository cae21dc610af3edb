import http from 'http';
import { BackendSrvRequest, FetchResponse } from '@grafana/runtime';
import { Observable } from 'rxjs';

/**
 * backendSrv over real HTTP, doing what Grafana's data source proxy does for the plugin.json route:
 * `<instanceUrl>/flowatlas/<path>` → `<proxyUrl>/<path>` with `Authorization: Bearer <token>` added.
 * Unsubscribing aborts the request, like backendSrv does.
 */
export function httpBackendSrv(instanceUrl: string, proxyUrl: string, token: string) {
  return {
    fetch<T>(options: BackendSrvRequest): Observable<FetchResponse<T>> {
      const prefix = `${instanceUrl}/flowatlas`;
      if (!options.url.startsWith(prefix)) {
        throw new Error(`request outside the data source route: ${options.url}`);
      }
      const target = new URL(options.url.slice(prefix.length), proxyUrl);
      const body = options.data === undefined ? undefined : JSON.stringify(options.data);
      return new Observable<FetchResponse<T>>((subscriber) => {
        const req = http.request(
          target,
          {
            method: options.method ?? 'GET',
            headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let data: unknown = text;
              try {
                data = JSON.parse(text);
              } catch {
                // not JSON: keep the text
              }
              const status = res.statusCode ?? 0;
              if (status >= 400) {
                subscriber.error({ status, statusText: res.statusMessage, data, config: options });
                return;
              }
              subscriber.next({
                data: data as T,
                status,
                statusText: res.statusMessage ?? '',
                ok: true,
                headers: new Headers(),
                redirected: false,
                type: 'basic',
                url: target.toString(),
                config: options,
              });
              subscriber.complete();
            });
          }
        );
        req.on('error', (err) => subscriber.error({ status: 0, data: { message: err.message }, config: options }));
        if (body) {
          req.write(body);
        }
        req.end();
        return () => req.destroy();
      });
    },
  };
}
