import { FlowQueryModel } from '../shared/flowQuery';

/**
 * What a query will look like to a Grafana alert rule, so the editor can say so before the rule
 * fails or floods: the backend (backend-plugin/) turns tables into numeric tables (one alert
 * instance per row) and time series into one labelled series each.
 */
export interface AlertHint {
  level: 'warning' | 'info';
  text: string;
}

/** Above this many alert instances per evaluation a rule is hard to read and noisy to notify. */
export const MANY_INSTANCES = 50;

/** Groups (series or rows) the proxy returns: top N, the Other remainder, reverse twins. */
export function alertInstances(model: FlowQueryModel): number {
  if (model.mode === 'topology') {
    return 0;
  }
  const groups = model.dimensions.length > 0 ? model.topN + (model.other ? 1 : 0) : 1;
  return groups * (model.bidirectional ? 2 : 1);
}

function usesVariables(model: FlowQueryModel): boolean {
  const text = JSON.stringify([model.dimensions, model.filterMode === 'text' ? model.filterText : model.filter]);
  return /\$\{?\w/.test(text);
}

export function alertHints(model: FlowQueryModel): AlertHint[] {
  if (model.mode === 'topology') {
    return [{ level: 'warning', text: 'Topology returns a node graph, which alert rules cannot evaluate: use Table (one alert per row) or Time series.' }];
  }
  const hints: AlertHint[] = [];
  if (usesVariables(model)) {
    hints.push({ level: 'warning', text: 'Dashboard variables ($…) are not defined in alert rules: write the values into the filter.' });
  }
  const instances = alertInstances(model);
  if (instances > MANY_INSTANCES) {
    hints.push({
      level: 'warning',
      text: `Up to ${instances} alert instances per evaluation (one per ${model.mode === 'table' ? 'row' : 'series'}): lower Top N or narrow the filter.`,
    });
  }
  if (model.dimensions.length > 0 && model.other) {
    hints.push({ level: 'info', text: 'Other becomes an alert instance of its own (label "Other"): switch it off unless the remainder should alert too.' });
  }
  if (model.mode === 'timeseries') {
    hints.push({ level: 'info', text: 'Time series: add a Reduce expression (last, max or mean) before the threshold, or use Table mode, whose rows are already single values.' });
  }
  if (model.mode === 'table' && model.dimensions.length === 0) {
    hints.push({ level: 'info', text: 'No Group by: one value, one alert instance for the whole estate.' });
  }
  return hints;
}
