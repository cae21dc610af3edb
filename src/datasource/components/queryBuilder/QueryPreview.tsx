import React from 'react';
import { css } from '@emotion/css';
import { DataFrame, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

interface Props {
  frames: DataFrame[];
}

/**
 * "Show SQL": what the proxy ran for this query, the values of its $n parameters, and which table
 * (raw, or the 1m, 5m or 1h rollup) answered.
 */
export function QueryPreview({ frames }: Props) {
  const styles = useStyles2(getStyles);
  const meta = frames.find((f) => f.meta?.executedQueryString)?.meta;
  if (!meta) {
    return (
      <div className={styles.box} data-testid={testIds.queryEditor.sql}>
        Run the query to see its SQL.
      </div>
    );
  }
  const custom = meta.custom as { table?: string; reason?: string; params?: unknown[]; statements?: Statement[] } | undefined;
  // Several statements (a map with top applications) each come with their own $n values.
  const statements: Statement[] =
    Array.isArray(custom?.statements) && custom.statements.length > 1
      ? custom.statements
      : [{ sql: meta.executedQueryString ?? '', params: Array.isArray(custom?.params) ? custom.params : [] }];
  return (
    <div className={styles.box} data-testid={testIds.queryEditor.sql}>
      {custom?.table && (
        <div>
          Answered from <strong>{custom.table}</strong>
          {custom.reason ? `: ${custom.reason}` : ''}
        </div>
      )}
      {statements.map((statement, n) => (
        <div key={n} className={n > 0 ? styles.next : undefined}>
          {statements.length > 1 && <div>Statement {n + 1} of {statements.length}</div>}
          <pre className={styles.pre}>{statement.sql}</pre>
          {statement.params.length > 0 && (
            <pre className={styles.pre} data-testid={testIds.queryEditor.sqlParams}>
              {statement.params.map((p, i) => `$${i + 1} = ${formatParam(p)}`).join('\n')}
            </pre>
          )}
        </div>
      ))}
    </div>
  );
}

interface Statement {
  sql: string;
  params: unknown[];
}

/** A parameter as SQL would read it: text in single quotes, numbers bare, lists as arrays. */
function formatParam(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.replace(/'/g, "''")}'`;
  }
  if (Array.isArray(value)) {
    return `{${value.map(formatParam).join(', ')}}`;
  }
  return String(value);
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  pre: css({ whiteSpace: 'pre-wrap', margin: 0, maxHeight: 240, overflow: 'auto' }),
  next: css({ marginTop: theme.spacing(1) }),
});
