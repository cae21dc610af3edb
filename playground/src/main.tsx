import React from 'react';
import { createRoot } from 'react-dom/client';
import { createTheme, DataSourceInstanceSettings, ThemeContext } from '@grafana/data';
import { setBackendSrv, setTemplateSrv } from '@grafana/runtime';
import { GlobalStyles } from '@grafana/ui';
import { FlowAtlasDataSource } from '../../src/datasource/datasource';
import { FlowAtlasOptions } from '../../src/datasource/types';
import { App } from './App';
import { fieldConfigFor } from './panels';
import { DashboardView } from './dashboard/DashboardView';
import { createBackendSrv } from './runtime/backendSrv';
import { adoptTokenFromUrl } from './runtime/token';
import { installStandardFieldConfigs } from './runtime/fieldConfigs';
import { installOptionEditors } from './runtime/optionEditors';
import { INSTANCE_URL } from './runtime/proxyPath';
import { PlaygroundTemplateSrv } from './runtime/templateSrv';
import { installTransformers } from '../../src/testing/transformers';

// @grafana/ui's <Icon> fetches its SVGs from here; the build copies them next to the page.
(window as unknown as { __grafana_public_path__: string }).__grafana_public_path__ = new URL('public/', document.baseURI).pathname;

// `?token=` (FLOWATLAS_TOKEN of the proxy) is kept for this tab before anything is fetched.
adoptTokenFromUrl();
// Grafana's runtime services, through the official setters: the plugin code runs unchanged.
setBackendSrv(createBackendSrv());
const templateSrv = new PlaygroundTemplateSrv();
setTemplateSrv(templateSrv);
// locationService needs no setter (setLocationService refuses outside tests): its default
// instance already runs on the browser history, so drill-down links change this page's URL.
installOptionEditors();
// the standard field options, so panels get their plugin's field defaults as in Grafana
installStandardFieldConfigs();
installTransformers();

const settings: DataSourceInstanceSettings<FlowAtlasOptions> = {
  id: 1,
  uid: 'flowatlas-playground',
  type: 'flowatlas-flows-datasource',
  name: 'FlowAtlas',
  url: INSTANCE_URL,
  access: 'proxy',
  readOnly: true,
  jsonData: { timeout: 60 },
  meta: { id: 'flowatlas-flows-datasource', name: 'FlowAtlas', type: 'datasource', info: {} } as DataSourceInstanceSettings['meta'],
};
const datasource = new FlowAtlasDataSource(settings, templateSrv);
(window as unknown as { flowatlas: unknown }).flowatlas = { datasource, templateSrv, fieldConfigFor };

// `?dashboard=<uid>` draws a provisioned dashboard instead of the query playground.
const dashboardUid = new URLSearchParams(window.location.search).get('dashboard');
const theme = createTheme({ colors: { mode: 'dark' } });
createRoot(document.getElementById('root')!).render(
  <ThemeContext.Provider value={theme}>
    <GlobalStyles />
    {dashboardUid ? (
      <DashboardView uid={dashboardUid} datasource={datasource} templateSrv={templateSrv} />
    ) : (
      <App datasource={datasource} templateSrv={templateSrv} />
    )}
  </ThemeContext.Provider>
);
