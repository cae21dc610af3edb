import { ScopedVars, TimeRange, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

/** A dashboard-like variable: its name, how its values are found, and what is selected. */
export interface PlaygroundVariable {
  name: string;
  label: string;
  /** Variable query in the data source's own syntax (`dimension where filter`). */
  query: string;
  options: string[];
  current: string;
}

type Format = string | ((value: string | string[], variable?: unknown, fallback?: unknown) => string) | undefined;

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g;

function applyFormat(value: string | string[], format: Format): string {
  if (typeof format === 'function') {
    return format(value);
  }
  const list = Array.isArray(value) ? value : [value];
  switch (format) {
    case 'csv':
      return list.join(',');
    case 'pipe':
      return list.join('|');
    case 'json':
      return JSON.stringify(value);
    case 'singlequote':
      return list.map((v) => `'${v}'`).join(',');
    default:
      return list.length === 1 ? list[0] : `{${list.join(',')}}`;
  }
}

/**
 * Grafana's template service reduced to what a data source uses: `$var`, `${var}`, `${var:fmt}`
 * and `[[var]]` from scoped variables first, then the playground's variables.
 */
export class PlaygroundTemplateSrv implements TemplateSrv {
  private variables: PlaygroundVariable[] = [];
  private range?: TimeRange;

  setVariables(variables: PlaygroundVariable[]): void {
    this.variables = variables;
  }

  getVariables(): TypedVariableModel[] {
    return this.variables.map(
      (v) =>
        ({
          type: 'query',
          name: v.name,
          label: v.label,
          query: v.query,
          current: { text: v.current, value: v.current },
          options: v.options.map((o) => ({ text: o, value: o, selected: o === v.current })),
        }) as unknown as TypedVariableModel
    );
  }

  private lookup(name: string, scopedVars?: ScopedVars): string | string[] | undefined {
    const scoped = scopedVars?.[name];
    if (scoped) {
      return scoped.value as string | string[];
    }
    return this.variables.find((v) => v.name === name)?.current;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(VARIABLE, (match, a, b, fmt, c) => {
      const value = this.lookup(a ?? b ?? c, scopedVars);
      return value === undefined ? match : applyFormat(value, fmt ?? format);
    });
  }

  containsTemplate(target?: string): boolean {
    if (!target) {
      return false;
    }
    VARIABLE.lastIndex = 0;
    const found = [...target.matchAll(VARIABLE)].some((m) => this.lookup(m[1] ?? m[2] ?? m[4]) !== undefined);
    return found;
  }

  updateTimeRange(timeRange: TimeRange): void {
    this.range = timeRange;
  }

  getTimeRange(): TimeRange | undefined {
    return this.range;
  }
}
