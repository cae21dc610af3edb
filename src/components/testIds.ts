/** Test ids of the app pages. */
export const testIds = {
  appConfig: {
    container: 'flowatlas-app-config',
    datasourceLink: 'flowatlas-app-config-datasource-link',
    status: 'flowatlas-app-config-status',
  },
  app: {
    overview: 'flowatlas-app-overview',
  },
};
