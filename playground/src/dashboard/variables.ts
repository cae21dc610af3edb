import { TimeRange } from '@grafana/data';
import type { FlowAtlasDataSource } from '../../../src/datasource/datasource';
import type { PlaygroundTemplateSrv, PlaygroundVariable } from '../runtime/templateSrv';
import type { DashboardVariable } from './model';

/**
 * Resolves a dashboard's query variables in order, as Grafana does when the dashboard loads:
 * each query may use the variables before it; the value from the URL (`var-<name>`) wins when it
 * is among the options, else the first option (the busiest, the data source ranks them).
 * Ad hoc filter variables have no values to resolve and start empty.
 */
export async function resolveDashboardVariables(
  ds: FlowAtlasDataSource,
  templateSrv: PlaygroundTemplateSrv,
  list: DashboardVariable[],
  range: TimeRange,
  fromUrl: Record<string, string>
): Promise<PlaygroundVariable[]> {
  const resolved: PlaygroundVariable[] = [];
  templateSrv.setVariables([]);
  for (const v of list) {
    if (v.type !== 'query' || !v.query) {
      continue;
    }
    const found = await ds.metricFindQuery(v.query, { range });
    const options = found.map((o) => String(o.value ?? o.text));
    const wanted = fromUrl[v.name];
    const current = wanted !== undefined && options.includes(wanted) ? wanted : (options[0] ?? '');
    resolved.push({ name: v.name, label: v.label ?? v.name, query: v.query, options, current });
    templateSrv.setVariables([...resolved]);
  }
  return resolved;
}
