import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { TextArea, useStyles2 } from '@grafana/ui';
import { FlowAtlasError, toFlowAtlasError } from '../../errors';
import { testIds } from '../testIds';
import { splitAtError } from './textPosition';

/** The proxy parses the text this long after the last keystroke. */
export const VALIDATE_DEBOUNCE_MS = 400;

interface Props {
  value: string;
  validate: (text: string) => Promise<unknown>;
  onChange: (text: string) => void;
  onBlur: () => void;
}

/** Text form of the filter; the engine's parse errors are shown with the offending token underlined. */
export function FilterTextEditor({ value, validate, onChange, onBlur }: Props) {
  const styles = useStyles2(getStyles);
  const [error, setError] = useState<FlowAtlasError | undefined>();
  const latest = useRef(0);

  useEffect(() => {
    const ticket = ++latest.current;
    if (value.trim() === '') {
      setError(undefined);
      return;
    }
    const timer = setTimeout(() => {
      validate(value).then(
        () => ticket === latest.current && setError(undefined),
        (err) => ticket === latest.current && setError(toFlowAtlasError(err))
      );
    }, VALIDATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [value, validate]);

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
              <span className={styles.mark} data-testid="flowatlas-qe-filter-text-error-mark">
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
