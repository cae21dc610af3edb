import { DataSourceInstanceSettings, PluginType } from '@grafana/data';
import { FlowAtlasOptions } from '../types';

/**
 * The FlowAtlas data source's instance settings as Grafana hands them to the plugin, for tests.
 * Tests vary only what they are about: `url` (the proxy route or a real proxy) and `jsonData`.
 */
export function instanceSettings(overrides: Partial<DataSourceInstanceSettings<FlowAtlasOptions>> = {}): DataSourceInstanceSettings<FlowAtlasOptions> {
  return {
    id: 1,
    uid: 'flowatlas',
    type: 'flowatlas-flows-datasource',
    name: 'FlowAtlas',
    url: '/api/datasources/proxy/uid/flowatlas',
    access: 'proxy',
    readOnly: false,
    jsonData: {},
    meta: { id: 'flowatlas-flows-datasource', name: 'FlowAtlas', type: PluginType.datasource, module: '', baseUrl: '', info: {} } as unknown as DataSourceInstanceSettings['meta'],
    ...overrides,
  };
}
