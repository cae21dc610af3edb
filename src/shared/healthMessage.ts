import { HealthResponse } from './flowQuery';

/**
 * The words of "Save & test", shared by the browser (testDatasource) and the backend's CheckHealth
 * so that a data source reads the same wherever it is tested.
 */
export interface HealthVerdict {
  ok: boolean;
  message: string;
}

export function describeHealth(health: HealthResponse): HealthVerdict {
  if (health.status !== 'ok') {
    return { ok: false, message: `FlowAtlas proxy is not healthy: ${health.status}` };
  }
  const rows = health.rows !== undefined ? rowCount(Number(health.rows), health.rowsExact !== false) : 'row count unknown';
  const newest = health.newest ? `newest flow ${new Date(health.newest).toISOString()}` : 'no flows yet';
  return { ok: true, message: `Connected to FlowAtlas on ${health.database}: ${rows}, ${newest}.` };
}

/** An estimate is rounded to three significant digits and says so: it is not a count. */
function rowCount(rows: number, exact: boolean): string {
  if (exact) {
    return `${rows.toLocaleString('en-US')} flow rows`;
  }
  const rounded = Number(rows.toPrecision(3));
  return `about ${rounded.toLocaleString('en-US')} flow rows`;
}

/**
 * What the browser gets instead of the proxy's 401 through the plugin route: Grafana's data source
 * proxy replaces any 401 of the data source by a 400 with this text body (pkg/api/pluginproxy,
 * ds_proxy.go), which backendSrv turns into `data.message`.
 */
export const GRAFANA_PROXY_AUTH_FAILED = 'Authentication to data source failed';

/**
 * `message` is already worded by toFlowAtlasError; a 401 (wrong token, as the backend sees it),
 * Grafana's 400 for it (as the browser sees it) or a 403 (a token of the ingest scope) gets the
 * hint users need most.
 */
export function describeHealthFailure(message: string, status?: number): HealthVerdict {
  const token = status === 401 || status === 403 || (status === 400 && message === GRAFANA_PROXY_AUTH_FAILED);
  const hint = token ? ' (check the token)' : '';
  return { ok: false, message: `Cannot reach the FlowAtlas proxy: ${message}${hint}` };
}
