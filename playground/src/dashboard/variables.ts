import { TimeRange } from '@grafana/data';
import type { FlowAtlasDataSource } from '../../../src/datasource/datasource';
import { ALL_VALUE, type PlaygroundTemplateSrv, type PlaygroundVariable } from '../runtime/templateSrv';
import type { DashboardVariable } from './model';

/**
 * Resolves a dashboard's query variables in order, as Grafana does when the dashboard loads:
 * each query may use the variables before it; the value from the URL (`var-<name>`) wins when it
 * is among the options, else the first option (the busiest, the data source ranks them). A
 * variable with an "All" option starts on All and, as in Grafana, takes any value the URL gives
 * (a map click sets an internet country that is no option). Ad hoc filter variables have no
 * values to resolve and start empty.
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
    if (v.includeAll) {
      const current = wanted === undefined || wanted === '' || wanted === 'All' ? ALL_VALUE : wanted;
      resolved.push({ name: v.name, label: v.label ?? v.name, query: v.query, options, current, allValue: v.allValue ?? options });
    } else {
      const current = wanted !== undefined && options.includes(wanted) ? wanted : (options[0] ?? '');
      resolved.push({ name: v.name, label: v.label ?? v.name, query: v.query, options, current });
    }
    templateSrv.setVariables([...resolved]);
  }
  return resolved;
}
