import type { DataFrame, Field } from '@grafana/data';
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

/** One label set that more than one alert instance of a result carries. */
export interface DuplicateLabels {
  labels: Record<string, string>;
  count: number;
}

function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The label set of each instance, as alerting reads the frames the backend returns. */
function instanceLabels(frame: DataFrame): Array<Record<string, string>> {
  const numbers = frame.fields.filter((f) => f.type === 'number');
  const hasTime = frame.fields.some((f) => f.type === 'time');
  if (hasTime) {
    // a time series frame (wide or one per series): one instance per number field, told apart by its labels
    return numbers.map((f) => ({ ...(f.labels ?? {}) }));
  }
  // a numeric table: one instance per row and number field; the string columns are the labels
  const strings = frame.fields.filter((f) => f.type === 'string');
  const rowLabels = (f: Field, row: number) => ({
    ...(f.labels ?? {}),
    ...Object.fromEntries(strings.map((s) => [s.name, s.values[row] === null || s.values[row] === undefined ? '' : String(s.values[row])])),
  });
  return numbers.flatMap((f) => Array.from({ length: frame.length }, (_, row) => rowLabels(f, row)));
}

/**
 * Label sets shared by several instances of a result: alerting rejects such a result ("frame
 * cannot uniquely be identified by its labels"). Our frames give every group its own labels, but
 * a group whose value is missing (NULL) and one whose value is empty both read "" (a string
 * dimension written as "" by one log source and left out by another), so this is checked on the
 * data the rule editor's preview returned, not guessed from the query.
 */
export function duplicateLabelSets(frames: DataFrame[]): DuplicateLabels[] {
  const seen = new Map<string, DuplicateLabels>();
  for (const labels of frames.flatMap(instanceLabels)) {
    const key = labelKey(labels);
    const entry = seen.get(key);
    if (entry) {
      entry.count++;
    } else {
      seen.set(key, { labels, count: 1 });
    }
  }
  return [...seen.values()].filter((d) => d.count > 1);
}

function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return `{${parts.join(', ')}}`;
}

/** `frames`: the preview result of this query in the rule editor, when there is one. */
export function alertHints(model: FlowQueryModel, frames: DataFrame[] = []): AlertHint[] {
  if (model.mode === 'topology') {
    return [{ level: 'warning', text: 'Topology returns a node graph, which alert rules cannot evaluate: use Table (one alert per row) or Time series.' }];
  }
  const hints: AlertHint[] = [];
  const duplicates = duplicateLabelSets(frames);
  if (duplicates.length > 0) {
    const [first] = duplicates;
    const empty = Object.entries(first.labels).find(([, v]) => v === '');
    const cause = empty
      ? ` (a missing ${empty[0]} and an empty one both read ""): add the rule "${empty[0]} exists" or group by another dimension`
      : ': group by a dimension that tells them apart';
    hints.push({
      level: 'warning',
      text: `${first.count} alert instances share the labels ${formatLabels(first.labels)}, which alerting rejects${cause}.`,
    });
  }
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
