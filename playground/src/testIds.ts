/** Test ids of the playground chrome (the plugin's own components keep theirs). */
export const testIds = {
  app: 'playground-app',
  preset: (step: number) => `playground-preset-${step}`,
  panelPicker: 'playground-panel-picker',
  run: 'playground-run',
  addQuery: 'playground-add-query',
  query: (refId: string) => `playground-query-${refId}`,
  removeQuery: (refId: string) => `playground-remove-query-${refId}`,
  variable: (name: string) => `playground-variable-${name}`,
  status: 'playground-status',
  errors: 'playground-errors',
  viz: 'playground-viz',
  table: 'playground-table',
  timeseries: 'playground-timeseries',
  options: 'playground-options',
  story: 'playground-story',
};
