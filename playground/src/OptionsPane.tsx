import React, { useMemo } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, PanelData } from '@grafana/data';
import { Field, Switch, useStyles2 } from '@grafana/ui';
import { optionItems } from './panels';
import { PanelKind } from './presets';
import { testIds } from './testIds';

interface Props {
  kind: PanelKind;
  options: Record<string, unknown>;
  data: PanelData;
  onChange: (options: Record<string, unknown>) => void;
}

/** The panel's options editor: the items its module.ts declares, grouped by category. */
export function OptionsPane({ kind, options, data, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const items = useMemo(() => optionItems(kind), [kind]);
  const set = (path: string, value: unknown) => onChange({ ...options, [path]: value });

  if (kind === 'table' || kind === 'timeseries') {
    const path = kind === 'table' ? 'showHeader' : 'showLegend';
    return (
      <div className={styles.pane} data-testid={testIds.options}>
        <Field label={kind === 'table' ? 'Header' : 'Legend'}>
          <Switch value={options[path] !== false} onChange={(e) => set(path, e.currentTarget.checked)} />
        </Field>
      </div>
    );
  }
  const categories = new Map<string, typeof items>();
  for (const item of items) {
    if (item.showIf && !item.showIf(options, data.series)) {
      continue;
    }
    const category = item.category?.[0] ?? 'Options';
    categories.set(category, [...(categories.get(category) ?? []), item]);
  }
  return (
    <div className={styles.pane} data-testid={testIds.options}>
      {[...categories].map(([category, list]) => (
        <section key={category}>
          <h6 className={styles.category}>{category}</h6>
          {list.map((item) => {
            const Editor = item.editor;
            const id = `option-${item.path}`;
            return (
              <Field key={item.path} label={item.name} description={item.description} htmlFor={id}>
                <Editor id={id} value={options[item.path]} item={item as never} context={{ data: data.series, options }} onChange={(v: unknown) => set(item.path, v)} />
              </Field>
            );
          })}
        </section>
      ))}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  pane: css({ padding: theme.spacing(1), overflowY: 'auto', height: '100%' }),
  category: css({ marginTop: theme.spacing(1), color: theme.colors.text.secondary }),
});
