import React from 'react';
import { render, screen } from '@testing-library/react';
import { AppPluginMeta, PluginConfigPageProps, PluginType } from '@grafana/data';
import { DataSourceSrv, setDataSourceSrv } from '@grafana/runtime';
import { testIds } from '../testIds';
import AppConfig from './AppConfig';

function setInstances(list: Array<{ name: string; uid: string; type: string }>) {
  // Grafana's own injection point for the data source registry
  setDataSourceSrv({
    getList: ({ pluginId }: { pluginId?: string } = {}) => list.filter((ds) => !pluginId || ds.type === pluginId),
  } as unknown as DataSourceSrv);
}

const props = {
  plugin: { meta: { id: 'flowatlas-flows-app', type: PluginType.app, enabled: true, jsonData: {} } },
  query: {},
} as unknown as PluginConfigPageProps<AppPluginMeta<{}>>;

describe('AppConfig', () => {
  it('links to each FlowAtlas data source', () => {
    setInstances([
      { name: 'FlowAtlas', uid: 'flowatlas', type: 'flowatlas-flows-datasource' },
      { name: 'Prometheus', uid: 'prom', type: 'prometheus' },
    ]);
    render(<AppConfig {...props} />);
    const links = screen.getAllByTestId(testIds.appConfig.datasourceLink);
    expect(links).toHaveLength(1);
    expect(links[0]).toHaveTextContent('FlowAtlas');
    expect(links[0]).toHaveAttribute('href', '/connections/datasources/edit/flowatlas');
  });

  it('says how to add one when there is none', () => {
    setInstances([]);
    render(<AppConfig {...props} />);
    expect(screen.getByTestId(testIds.appConfig.status)).toHaveTextContent('http://backend-proxy:8686');
  });
});
