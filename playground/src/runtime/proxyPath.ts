/**
 * In Grafana the data source calls `<instance url>/flowatlas/api/...` and Grafana's data source
 * proxy forwards that route to the FlowAtlas proxy. The playground is served by the proxy itself,
 * so the same request goes straight to `/api/...` on this origin.
 */
export const INSTANCE_URL = '/api/datasources/proxy/uid/flowatlas-playground';

const ROUTE_PREFIX = /^.*?\/flowatlas(\/api\/.*)$/;

export function toProxyPath(url: string): string {
  const match = ROUTE_PREFIX.exec(url);
  return match ? match[1] : url;
}
