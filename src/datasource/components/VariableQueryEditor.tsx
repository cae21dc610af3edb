import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, InlineField, InlineFieldRow, Input, Select, Stack } from '@grafana/ui';
import { METRICS } from '../../shared/flowQuery';
import type { FlowAtlasDataSource } from '../datasource';
import { FlowAtlasOptions, FlowQuery, FlowVariableQuery, FlowVariableTarget } from '../types';
import { toFlowAtlasError } from '../errors';
import { groupedDimensionOptions } from './queryBuilder/dimensionOptions';
import { testIds } from './testIds';
import { useDimensions } from './useDimensions';
import { toVariableQuery, variableQueryText } from '../variableQuery';

type Props = QueryEditorProps<FlowAtlasDataSource, FlowQuery, FlowAtlasOptions, FlowVariableTarget>;

const RANK_OPTIONS: Array<SelectableValue<string>> = [
  { label: 'Not ranked (every value, A–Z)', value: '' },
  ...METRICS.map((m) => ({ label: m.label, value: m.value, description: `busiest first by ${m.value}` })),
];

/**
 * The editor of a query variable: the dimension whose values are listed, optionally ranked by a
 * metric and limited by a filter in the engine's text form. It saves the typed object; a variable
 * saved in the string form (`src_ip where dst_port = 22`) opens here too.
 */
export function VariableQueryEditor({ query: saved, datasource, onChange }: Props) {
  const initial = useMemo(() => toVariableQuery(saved as FlowVariableTarget | string), [saved]);
  const loadDimensions = useCallback(() => datasource.getDimensions(), [datasource]);
  const { dimensions, error: dimensionsError } = useDimensions(loadDimensions);
  const [filterText, setFilterText] = useState(initial.filterText ?? '');
  const [filterError, setFilterError] = useState<string | undefined>();
  useEffect(() => setFilterText(initial.filterText ?? ''), [initial.filterText]);

  // The query as saved now: a filter saved after the engine's check must not bring back the
  // dimension or ranking that were current when the check started.
  const current = useRef({ saved, initial });
  current.current = { saved, initial };

  const save = (patch: Partial<FlowVariableQuery>) => {
    const { saved, initial } = current.current;
    // fields this editor does not show (a JSON `filter`, `prefix`, `limit`) are kept as saved
    const next: FlowVariableQuery = { ...initial, ...patch, filterText: (patch.filterText ?? initial.filterText)?.trim() || undefined };
    const refId = typeof saved === 'string' ? undefined : (saved as FlowVariableTarget | undefined)?.refId;
    const target = { refId: refId || 'FlowAtlasVariable', ...next };
    // no `metric: undefined` in the saved JSON
    onChange(Object.fromEntries(Object.entries(target).filter(([, v]) => v !== undefined)) as unknown as FlowVariableTarget);
  };

  /** The filter is checked by the engine as typed (variables and all) before it is saved. */
  const commitFilter = async () => {
    const text = filterText.trim();
    if (text === (initial.filterText ?? '').trim()) {
      return;
    }
    try {
      if (text) {
        await datasource.validateFilterText(text);
      }
      setFilterError(undefined);
    } catch (err) {
      setFilterError(toFlowAtlasError(err).message);
    }
    // saved either way: the variable's preview shows what the engine says about it
    save({ filterText: text });
  };

  const dimensionOptions = groupedDimensionOptions(dimensions);
  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Values of" labelWidth={14} tooltip="The dimension whose values the variable offers">
          <Select<string>
            aria-label="Variable dimension"
            data-testid={testIds.variableEditor.dimension}
            width={32}
            options={dimensionOptions}
            value={initial.dimension || null}
            allowCustomValue
            placeholder="dimension"
            onChange={(v) => save({ dimension: v?.value ?? '' })}
          />
        </InlineField>
        <InlineField label="Ranked by" tooltip="Busiest first by this metric over the dashboard range (Grafana selects the first)">
          <Select<string>
            aria-label="Variable ranking metric"
            width={28}
            options={RANK_OPTIONS}
            value={initial.metric ?? ''}
            onChange={(v) => save({ metric: v?.value || undefined })}
          />
        </InlineField>
      </InlineFieldRow>
      <InlineField label="Where" labelWidth={14} grow tooltip="Optional filter in the text form, e.g. dst_port = 22 and dst_ip = $jump_host">
        <Input
          aria-label="Variable filter"
          data-testid={testIds.variableEditor.filterText}
          placeholder="dst_port = 22 (optional)"
          value={filterText}
          invalid={Boolean(filterError)}
          onChange={(e) => setFilterText(e.currentTarget.value)}
          onBlur={() => void commitFilter()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              void commitFilter();
            }
          }}
        />
      </InlineField>
      {filterError && (
        <div data-testid={testIds.variableEditor.filterError}>
          <Alert severity="error" title="The filter is not valid">
            {filterError}
          </Alert>
        </div>
      )}
      {dimensionsError && (
        <Alert severity="warning" title="Dimensions could not be loaded">
          {dimensionsError}
        </Alert>
      )}
      <div data-testid={testIds.variableEditor.definition}>
        Same as the variable query <code>{initial.dimension ? variableQueryText({ ...initial, filterText }) : '…'}</code>
      </div>
    </Stack>
  );
}
