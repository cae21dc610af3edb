import React from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { InlineField, MultiSelect, useStyles2 } from '@grafana/ui';
import { DimensionInfo, MAX_DIMENSIONS } from '../../../shared/flowQuery';
import { testIds } from '../testIds';
import { dimensionLabel, groupedDimensionOptions } from './dimensionOptions';

interface Props {
  dimensions: DimensionInfo[];
  value: string[];
  onChange: (dimensions: string[]) => void;
}

export function GroupByEditor({ dimensions, value, onChange }: Props) {
  const styles = useStyles2(getStyles);
  const full = value.length >= MAX_DIMENSIONS;
  return (
    <InlineField
      label="Group by"
      labelWidth={14}
      shrink
      className={styles.field}
      tooltip={`Up to ${MAX_DIMENSIONS} dimensions, in this order. Prefixes such as src_ip/24 can be typed.`}
    >
      <div className={styles.select} data-testid={testIds.queryEditor.dimensions}>
        <MultiSelect<string>
          aria-label="Group by dimensions"
          options={groupedDimensionOptions(dimensions)}
          value={value.map((name) => ({ label: dimensionLabel(dimensions, name), value: name }))}
          onChange={(selected: Array<SelectableValue<string>>) =>
            onChange(selected.map((s) => s.value!).filter(Boolean).slice(0, MAX_DIMENSIONS))
          }
          isOptionDisabled={() => full}
          allowCustomValue
          placeholder="Choose dimensions"
        />
      </div>
    </InlineField>
  );
}

// 60 units wide where the editor has the room, narrower where it has not: its chevron and clear
// button stay inside the query (InlineField's child box would not shrink below its content).
const getStyles = (theme: GrafanaTheme2) => ({
  field: css({ minWidth: 0, '& > div:last-child': { minWidth: 0 } }),
  select: css({ width: theme.spacing(60), maxWidth: '100%' }),
});
