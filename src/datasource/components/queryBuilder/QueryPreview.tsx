import React from 'react';
import { css } from '@emotion/css';
import { DataFrame, GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

interface Props {
  frames: DataFrame[];
}

/** "Show SQL": what the proxy ran for this query and which table (raw, or the 1m, 5m or 1h rollup) answered. */
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
  const custom = meta.custom as { table?: string; reason?: string } | undefined;
  return (
    <div className={styles.box} data-testid={testIds.queryEditor.sql}>
      {custom?.table && (
        <div>
          Answered from <strong>{custom.table}</strong>
          {custom.reason ? `: ${custom.reason}` : ''}
        </div>
      )}
      <pre className={styles.pre}>{meta.executedQueryString}</pre>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  box: css({ marginTop: theme.spacing(1), fontSize: theme.typography.bodySmall.fontSize }),
  pre: css({ whiteSpace: 'pre-wrap', margin: 0, maxHeight: 240, overflow: 'auto' }),
});
