/**
 * Grafana's PostgreSQL data source macros, expanded the way Grafana's server does before it sends
 * an alert rule's SQL: times in UTC RFC 3339, `$__timeFilter(col)` inclusive at both ends. Lets a
 * test run a provisioned rule's SQL unchanged on a real database. Any other `$__` macro is refused
 * so a rule cannot quietly depend on one this expansion does not reproduce.
 */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

// Go's RFC3339Nano drops a zero fraction: 2026-01-05T10:00:00Z, 2026-01-05T10:00:00.5Z.
function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0*Z$/, 'Z');
}

export function expandGrafanaMacros(sql: string, range: TimeRange): string {
  const from = rfc3339(range.fromMs);
  const to = rfc3339(range.toMs);
  return sql.replace(/\$__(\w+)\(([^)]*)\)/g, (whole, name: string, arg: string) => {
    const column = arg.trim();
    switch (name) {
      case 'timeFilter':
        if (!column) throw new Error(`${whole}: $__timeFilter needs a column`);
        return `${column} BETWEEN '${from}' AND '${to}'`;
      case 'timeFrom':
        return `'${from}'`;
      case 'timeTo':
        return `'${to}'`;
      case 'unixEpochFrom':
        return String(Math.floor(range.fromMs / 1000));
      case 'unixEpochTo':
        return String(Math.floor(range.toMs / 1000));
      default:
        throw new Error(`unsupported Grafana macro ${whole}`);
    }
  });
}

/** Leftover `$` references (template variables, unknown macros) that Grafana would not resolve in an alert. */
export function unresolvedReferences(sql: string): string[] {
  return sql.match(/\$\w+/g) ?? [];
}
