import { DataSourcePlugin } from '@grafana/data';
import { FlowAtlasDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { FlowAtlasOptions, FlowQuery } from './types';

export const plugin = new DataSourcePlugin<FlowAtlasDataSource, FlowQuery, FlowAtlasOptions>(FlowAtlasDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor);
