import { HealthResponse, ProxyQueryRequest, ProxyQueryResponse } from '../../src/shared/flowQuery';
import { ProxySettings } from './settings';

/**
 * HTTP to backend-proxy, the way the plugin.json route does it for the browser: same paths, same
 * bearer token. Failures are thrown in the shape the frontend's toFlowAtlasError already reads
 * (`{status, data: body}`), so both sides word errors alike.
 */
export interface ProxyFailure {
  status?: number;
  statusText?: string;
  data?: unknown;
  message: string;
}

async function call<T>(settings: ProxySettings, path: string, init: { method: string; body?: unknown }): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (settings.token) {
    headers.authorization = `Bearer ${settings.token}`;
  }
  if (init.body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(settings.proxyUrl + path, {
      method: init.method,
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(settings.timeoutMs),
    });
  } catch (err) {
    throw networkFailure(err, settings);
  }
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    const failure: ProxyFailure = {
      status: response.status,
      statusText: response.statusText,
      data: data && typeof data === 'object' ? data : { message: text.slice(0, 200) || response.statusText },
      message: `HTTP ${response.status}`,
    };
    throw failure;
  }
  return data as T;
}

/** fetch hides the reason (ECONNREFUSED, DNS) in `cause`; surface it. */
function networkFailure(err: unknown, settings: ProxySettings): ProxyFailure {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') {
    return { status: 408, message: `query timed out after ${settings.timeoutMs / 1000} s` };
  }
  const reason = e.cause?.code ?? e.cause?.message ?? e.message ?? 'network error';
  return { message: `cannot connect to ${settings.proxyUrl} (${reason})` };
}

export function postQuery(settings: ProxySettings, body: ProxyQueryRequest): Promise<ProxyQueryResponse> {
  return call<ProxyQueryResponse>(settings, '/api/v1/query', { method: 'POST', body });
}

export function getHealth(settings: ProxySettings): Promise<HealthResponse> {
  return call<HealthResponse>(settings, '/api/health', { method: 'GET' });
}

/**
 * The cheapest authenticated call (the static dimension catalogue): /api/health is open to anyone,
 * so only this proves the token. Rejects with 401 (wrong token) or 403 (a token of the ingest scope).
 */
export async function checkToken(settings: ProxySettings): Promise<void> {
  await call<unknown>(settings, '/api/v1/dimensions', { method: 'GET' });
}
