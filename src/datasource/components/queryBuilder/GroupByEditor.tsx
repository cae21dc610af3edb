import React from 'react';
import { SelectableValue } from '@grafana/data';
import { InlineField, MultiSelect } from '@grafana/ui';
import { DimensionInfo, MAX_DIMENSIONS } from '../../../shared/flowQuery';
import { testIds } from '../testIds';
import { dimensionLabel, groupedDimensionOptions } from './dimensionOptions';

interface Props {
  dimensions: DimensionInfo[];
  value: string[];
  onChange: (dimensions: string[]) => void;
}

export function GroupByEditor({ dimensions, value, onChange }: Props) {
  const full = value.length >= MAX_DIMENSIONS;
  return (
    <InlineField
      label="Group by"
      labelWidth={14}
      tooltip={`Up to ${MAX_DIMENSIONS} dimensions, in this order. Prefixes such as src_ip/24 can be typed.`}
    >
      <div data-testid={testIds.queryEditor.dimensions}>
        <MultiSelect<string>
          aria-label="Group by dimensions"
          width={60}
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
