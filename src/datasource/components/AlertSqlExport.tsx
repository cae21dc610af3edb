import React, { useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Alert, Button, ClipboardButton, useStyles2 } from '@grafana/ui';
import { AlertSqlResult, toAlertSql } from '../../shared/alertSql';
import type { FlowAtlasDataSource } from '../datasource';
import { toFlowAtlasError } from '../errors';
import { FlowQuery } from '../types';
import { testIds } from './testIds';

interface Props {
  query: FlowQuery;
  datasource: FlowAtlasDataSource;
}

/**
 * "Copy as alert SQL": the query as SQL over the aggregate views, for a Grafana alert rule on the
 * PostgreSQL data source (src/shared/alertSql.ts), or why it cannot be one. Dashboard variables
 * are replaced by their current values (a rule has none); a text filter is parsed by the proxy.
 */
export function AlertSqlExport({ query, datasource }: Props) {
  const styles = useStyles2(getStyles);
  const [result, setResult] = useState<AlertSqlResult | null>(null);
  const [busy, setBusy] = useState(false);

  const build = async () => {
    setBusy(true);
    try {
      const q = datasource.applyTemplateVariables(query, {});
      let filter = q.filter;
      if (q.filterMode === 'text' && q.filterText?.trim()) {
        filter = (await datasource.validateFilterText(q.filterText)).tree ?? { op: 'and', rules: [] };
      }
      const built = toAlertSql(q, filter);
      const hadVariables = /\$\w+|\$\{\w+/.test(JSON.stringify([query.filter, query.filterText, query.dimensions]));
      setResult(built.ok && hadVariables ? { ...built, sql: `-- Dashboard variables were replaced by their current values.\n${built.sql}` } : built);
    } catch (err) {
      setResult({ ok: false, reason: `the filter does not parse: ${toFlowAtlasError(err).message}` });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={styles.box} data-testid={testIds.queryEditor.alertSql}>
      <Button size="sm" variant="secondary" icon="bell" disabled={busy} onClick={() => void build()} data-testid={testIds.queryEditor.alertSqlButton}>
        Copy as alert SQL
      </Button>
      {result?.ok === true && (
        <div>
          <div className={styles.row}>
            <span>
              Reads <strong>{result.relation}</strong> as the read-only role: paste into a Grafana alert rule on the PostgreSQL data source, format Table.
            </span>
            <ClipboardButton size="sm" icon="copy" getText={() => result.sql} data-testid={testIds.queryEditor.alertSqlCopy}>
              Copy
            </ClipboardButton>
          </div>
          <pre className={styles.pre} data-testid={testIds.queryEditor.alertSqlText}>
            {result.sql}
          </pre>
        </div>
      )}
      {result?.ok === false && (
        <Alert severity="info" title="This query has no alert SQL form" data-testid={testIds.queryEditor.alertSqlReason}>
          {result.reason}
        </Alert>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  row: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), justifyContent: 'space-between', margin: theme.spacing(1, 0) }),
  pre: css({ whiteSpace: 'pre-wrap', margin: 0, maxHeight: 300, overflow: 'auto' }),
});
