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
  /** With an "All" option: what references become while All (`$__all`) is current, as in Grafana. */
  allValue?: string | string[];
}

/** Grafana's value of the "All" option (also in URLs: `var-site=$__all`). */
export const ALL_VALUE = '$__all';

type Format = string | ((value: string | string[], variable?: unknown, fallback?: unknown) => string) | undefined;

const VARIABLE = /\$(\w+)|\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)\]\]/g;

/** Grafana's data macro: `${__data.fields.name}`, `${__data.fields["name"]}`, `${__data.fields[0]}`. */
const DATA_FIELD = /\$\{__data\.fields(?:\.(\w+)|\["([^"\]]+)"\]|\[(\d+)\])\}/g;

interface DataContext {
  frame?: { fields: Array<{ name: string; config?: { displayName?: string }; values: unknown[]; display?: (v: unknown) => { text: string } }> };
  rowIndex?: number;
}

/** The value of a field of the row a display name or link is built for (scopedVars.__dataContext). */
function dataField(scopedVars: ScopedVars | undefined, name: string | undefined, index: string | undefined): string | undefined {
  const ctx = scopedVars?.__dataContext?.value as DataContext | undefined;
  const fields = ctx?.frame?.fields;
  if (!fields || ctx?.rowIndex === undefined) {
    return undefined;
  }
  const field = index !== undefined ? fields[Number(index)] : (fields.find((f) => f.name === name) ?? fields.find((f) => f.config?.displayName === name));
  if (!field) {
    return undefined;
  }
  const value = field.values[ctx.rowIndex];
  return field.display ? field.display(value).text : String(value ?? '');
}

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
          current: { text: v.current === ALL_VALUE ? 'All' : v.current, value: v.current },
          options: v.options.map((o) => ({ text: o, value: o, selected: o === v.current })),
        }) as unknown as TypedVariableModel
    );
  }

  private lookup(name: string, scopedVars?: ScopedVars): string | string[] | undefined {
    const scoped = scopedVars?.[name];
    if (scoped) {
      return scoped.value as string | string[];
    }
    const variable = this.variables.find((v) => v.name === name);
    return variable?.current === ALL_VALUE && variable.allValue !== undefined ? variable.allValue : variable?.current;
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    target = target.replace(DATA_FIELD, (match, name, quoted, index) => dataField(scopedVars, name ?? quoted, index) ?? match);
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
