/** Seconds a query may take when the data source settings say nothing. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 60;

/**
 * The query timeout of the data source settings, in seconds. It is kept in `jsonData.timeout`
 * because Grafana's own data source proxy reads that key (a number or a numeric string) for the
 * requests it forwards, and cuts them at its `dataproxy.timeout` (30 s) without it; settings saved
 * before that used `timeoutSeconds`, still read. Shared by the browser and the backend.
 */
export function queryTimeoutSeconds(jsonData: { timeout?: unknown; timeoutSeconds?: unknown } | null | undefined): number {
  for (const value of [jsonData?.timeout, jsonData?.timeoutSeconds]) {
    const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0) {
      return seconds;
    }
  }
  return DEFAULT_QUERY_TIMEOUT_SECONDS;
}
