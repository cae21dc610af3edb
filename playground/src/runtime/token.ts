/**
 * The proxy's bearer token for this browser tab. In Grafana the data source route adds it on the
 * server; the playground talks to the proxy directly, so with FLOWATLAS_TOKEN set it must send
 * one itself. It lives in sessionStorage (this tab only, gone when the tab closes), never in the
 * bundle or the page's address.
 */
const KEY = 'flowatlas-playground-token';

export function getToken(): string {
  try {
    return window.sessionStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}

export function setToken(token: string): void {
  const trimmed = token.trim();
  if (trimmed) {
    window.sessionStorage.setItem(KEY, trimmed);
  } else {
    window.sessionStorage.removeItem(KEY);
  }
}

/**
 * `?token=…` once: kept for the tab and taken out of the address bar at once, so it does not stay
 * in the history, in links copied from the page or in screenshots.
 */
export function adoptTokenFromUrl(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token === null) {
    return;
  }
  setToken(token);
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', url.toString());
}
