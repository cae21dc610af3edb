import { FlowAtlasDataSource } from '../../src/datasource/datasource';
import { PlaygroundTemplateSrv, PlaygroundVariable } from './runtime/templateSrv';
import { STORY_VARIABLES } from './presets';
import { relativeRange } from './timeRange';

/**
 * Resolves the story's query variables in order, as Grafana does on dashboard load: each one's
 * query may use the ones before it, and the first value becomes the current one.
 */
export async function resolveVariables(ds: FlowAtlasDataSource, templateSrv: PlaygroundTemplateSrv): Promise<PlaygroundVariable[]> {
  const resolved: PlaygroundVariable[] = [];
  const range = relativeRange('now-21d');
  for (const spec of STORY_VARIABLES) {
    const found = await ds.metricFindQuery(templateSrv.replace(spec.query), { range });
    const options = found.map((v) => String(v.value ?? v.text));
    resolved.push({ ...spec, options, current: options[0] ?? '' });
    templateSrv.setVariables([...resolved]);
  }
  return resolved;
}
