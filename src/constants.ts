import pluginJson from './plugin.json';

export const PLUGIN_ID = pluginJson.id;
export const DATASOURCE_TYPE = 'flowatlas-flows-datasource';
/** uid of the provisioned data source (provisioning/datasources/datasources.yml). */
export const DEFAULT_DATASOURCE_UID = 'flowatlas';
