import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { TextArea, useStyles2 } from '@grafana/ui';
import { FlowAtlasError } from '../../errors';
import { splitAtError } from '../../../shared/textPosition';
import { testIds } from '../testIds';

interface Props {
  value: string;
  /** What is wrong with the text (from the proxy's check or a failed run); underlined when it has a position. */
  error?: FlowAtlasError;
  onChange: (text: string) => void;
  onBlur: () => void;
}

/** Text form of the filter; the engine's errors are shown with the offending token underlined. */
export function FilterTextEditor({ value, error, onChange, onBlur }: Props) {
  const styles = useStyles2(getStyles);
  const marked = error?.line !== undefined && error.column !== undefined ? splitAtError(value, error.line, error.column) : undefined;

  return (
    <div>
      <TextArea
        aria-label="Filter text"
        data-testid={testIds.queryEditor.filterText}
        rows={3}
        value={value}
        invalid={Boolean(error)}
        placeholder="dst_port = 22 and not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)"
        onChange={(e) => onChange(e.currentTarget.value)}
        onBlur={onBlur}
      />
      {error && (
        <div className={styles.error} data-testid={testIds.queryEditor.filterTextError}>
          {marked && (
            <pre className={styles.pre}>
              {marked[0]}
              <span className={styles.mark} data-testid={testIds.queryEditor.filterTextErrorMark}>
                {marked[1] || '\u00a0'}
              </span>
              {marked[2]}
            </pre>
          )}
          <div>{error.message}</div>
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  error: css({ color: theme.colors.error.text, marginTop: theme.spacing(0.5) }),
  pre: css({ margin: 0, padding: theme.spacing(0.5), whiteSpace: 'pre-wrap', color: theme.colors.text.primary }),
  mark: css({
    textDecoration: `underline wavy ${theme.colors.error.main}`,
    textUnderlineOffset: '3px',
    background: theme.colors.error.transparent,
  }),
});
