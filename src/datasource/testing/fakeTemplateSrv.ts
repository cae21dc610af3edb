import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv } from '@grafana/runtime';

type Format = string | ((value: string | string[]) => string) | undefined;

/**
 * A small TemplateSrv with Grafana's replace semantics for `$var`, `${var}` and `[[var]]`: scoped vars
 * win over dashboard variables, a format function receives arrays for multi-value variables, and
 * without a format a multi-value becomes `{a,b}` (Grafana's glob default).
 */
export class FakeTemplateSrv implements TemplateSrv {
  constructor(private readonly variables: Record<string, string | string[]> = {}) {}

  getVariables(): TypedVariableModel[] {
    return [];
  }

  replace(target?: string, scopedVars?: ScopedVars, format?: Format): string {
    if (!target) {
      return target ?? '';
    }
    return target.replace(/\$(\w+)|\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)\]\]/g, (match, a, b, c) => {
      const name = a ?? b ?? c;
      const scoped = scopedVars?.[name];
      const value = scoped !== undefined ? (scoped.value as string | string[]) : this.variables[name];
      if (value === undefined) {
        return match;
      }
      if (typeof format === 'function') {
        return format(value);
      }
      return Array.isArray(value) ? `{${value.join(',')}}` : String(value);
    });
  }

  containsTemplate(target?: string): boolean {
    return Boolean(target && /\$\w+|\$\{\w+/.test(target));
  }

  updateTimeRange(): void {}
}
