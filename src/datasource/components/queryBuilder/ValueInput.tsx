import React, { useEffect, useId, useRef, useState, KeyboardEvent } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { IconButton, Input, useStyles2 } from '@grafana/ui';
import { testIds } from '../testIds';

/** Suggestions are fetched this long after the last keystroke (or the focus), not on every key. */
export const SUGGEST_DEBOUNCE_MS = 250;

interface Props {
  values: string[];
  multi: boolean;
  invalid?: boolean;
  loadSuggestions: (prefix: string) => Promise<string[]>;
  onChange: (values: string[]) => void;
}

/**
 * Value(s) of a filter rule: free text with suggestions from the proxy; a list of chips for in / not in.
 * Suggestions are fetched only when the operator focuses the input or types in it (debounced), never
 * because the editor re-rendered: an edit elsewhere in the tree must not refetch every rule's values.
 */
export function ValueInput({ values, multi, invalid, loadSuggestions, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const listId = useId();
  const [text, setText] = useState(multi ? '' : (values[0] ?? ''));
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The newest loader, read when the timer fires: a parent may pass a new function on every render.
  const loader = useRef(loadSuggestions);
  loader.current = loadSuggestions;

  useEffect(() => {
    if (!multi) {
      setText(values[0] ?? '');
    }
  }, [multi, values]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const suggest = (prefix: string) => {
    clearTimeout(timer.current);
    const ticket = ++latest.current;
    timer.current = setTimeout(() => {
      loader
        .current(prefix)
        .then((found) => {
          // an older, slower answer must not replace the suggestions for what is typed now
          if (ticket === latest.current) {
            setSuggestions(found);
          }
        })
        .catch(() => setSuggestions([]));
    }, SUGGEST_DEBOUNCE_MS);
  };

  const commit = () => {
    const parts = text.split(',').map((v) => v.trim()).filter(Boolean);
    if (multi) {
      if (parts.length > 0) {
        onChange([...values, ...parts.filter((p) => !values.includes(p))]);
        setText('');
      }
    } else if (text.trim() !== (values[0] ?? '')) {
      onChange(text.trim() === '' ? [] : [text.trim()]);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter' || (multi && e.key === ',')) {
      e.preventDefault();
      commit();
    }
  };

  return (
    <div className={styles.wrap}>
      {multi &&
        values.map((v) => (
          <span key={v} className={styles.chip} data-testid={testIds.filter.ruleValueChip}>
            {v}
            <IconButton name="times" size="xs" aria-label={`Remove ${v}`} onClick={() => onChange(values.filter((x) => x !== v))} />
          </span>
        ))}
      <Input
        width={multi ? 20 : 28}
        aria-label="Filter value"
        data-testid={testIds.filter.ruleValue}
        list={listId}
        value={text}
        invalid={invalid}
        placeholder={multi ? 'values, Enter to add' : 'value'}
        onChange={(e) => {
          setText(e.currentTarget.value);
          suggest(e.currentTarget.value);
        }}
        onFocus={() => suggest(text)}
        onKeyDown={onKeyDown}
        onBlur={commit}
      />
      <datalist id={listId}>
        {suggestions.map((s) => (
          <option key={s} value={s} />
        ))}
      </datalist>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(0.5) }),
  chip: css({
    display: 'inline-flex',
    alignItems: 'center',
    gap: theme.spacing(0.5),
    padding: theme.spacing(0, 0.5, 0, 1),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.background.secondary,
    border: `1px solid ${theme.colors.border.weak}`,
  }),
});
