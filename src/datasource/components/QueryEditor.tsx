import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { CoreApp, QueryEditorProps, SelectableValue } from '@grafana/data';
import { Alert, ErrorBoundaryAlert, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup, Select, Stack } from '@grafana/ui';
import {
  Aggregation,
  aggregationsFor,
  filterToText,
  Metric,
  metricsForMode,
  QueryMode,
  TopologyLevel,
} from '../../shared/flowQuery';
import { FlowAtlasDataSource } from '../datasource';
import { migrateQuery, needsMigration } from '../migration';
import { FlowAtlasOptions, FlowQuery } from '../types';
import { AlertFriendlyHint } from './AlertFriendlyHint';
import { AlertSqlExport } from './AlertSqlExport';
import { FilterEditor } from './queryBuilder/FilterEditor';
import { FilterTextEditor } from './queryBuilder/FilterTextEditor';
import { GroupByEditor } from './queryBuilder/GroupByEditor';
import { QueryPreview } from './queryBuilder/QueryPreview';
import { testIds } from './testIds';
import { useDimensions } from './useDimensions';

type Props = QueryEditorProps<FlowAtlasDataSource, FlowQuery, FlowAtlasOptions>;

const MODES: Array<SelectableValue<QueryMode>> = [
  { label: 'Table', value: 'table' },
  { label: 'Time series', value: 'timeseries' },
  { label: 'Topology', value: 'topology' },
];
const LEVELS: Array<SelectableValue<TopologyLevel>> = [
  { label: 'Site', value: 'site' },
  { label: 'Region', value: 'region' },
  { label: 'Country', value: 'country' },
];
const FILTER_MODES: Array<SelectableValue<'builder' | 'text'>> = [
  { label: 'Builder', value: 'builder' },
  { label: 'Text', value: 'text' },
];

/** A rendering bug in one editor part shows an alert instead of breaking the whole panel editor. */
export function QueryEditor(props: Props) {
  return (
    <ErrorBoundaryAlert>
      <FlowQueryEditor {...props} />
    </ErrorBoundaryAlert>
  );
}

function FlowQueryEditor({ query: saved, datasource, onChange, onRunQuery, data, app }: Props) {
  const query = useMemo(() => migrateQuery(saved), [saved]);
  const [showSql, setShowSql] = useState(false);
  const loadDimensions = useCallback(() => datasource.getDimensions(), [datasource]);
  const { dimensions, error: dimensionsError } = useDimensions(loadDimensions);
  const loadValues = useCallback(
    (dimension: string, prefix: string) => datasource.getDimensionValues(dimension, prefix, 20),
    [datasource]
  );
  const validate = useCallback((text: string) => datasource.validateFilterText(text), [datasource]);

  useEffect(() => {
    // saved by an older release: store the upgraded form once so the next load is a no-op
    if (needsMigration(saved as unknown as Record<string, unknown>)) {
      onChange(query);
    }
  }, [saved, query, onChange]);

  const update = (patch: Partial<FlowQuery>, run = true) => {
    onChange({ ...query, ...patch });
    if (run) {
      onRunQuery();
    }
  };

  const switchMode = (mode: QueryMode) => {
    // keep the metric when the new mode accepts it, otherwise fall back to bytes
    const metric = metricsForMode(mode).some((m) => m.value === query.metric) ? query.metric : 'bytes';
    update({ mode, metric });
  };

  const switchMetric = (metric: Metric) => {
    const aggregation = aggregationsFor(metric).some((a) => a.value === query.aggregation) ? query.aggregation : undefined;
    update({ metric, aggregation });
  };

  const switchFilterMode = (mode: 'builder' | 'text') => {
    // the tree stays saved while in text mode, so switching back restores it unchanged
    const filterText = mode === 'text' && !query.filterText ? filterToText(query.filter) : query.filterText;
    update({ filterMode: mode, filterText });
  };

  return (
    <Stack direction="column" gap={1}>
      <InlineFieldRow>
        <InlineField label="Mode" labelWidth={14}>
          <div data-testid={testIds.queryEditor.mode}>
            <RadioButtonGroup options={MODES} value={query.mode} onChange={switchMode} />
          </div>
        </InlineField>
        {query.mode === 'topology' && (
          <InlineField label="Level">
            <div data-testid={testIds.queryEditor.level}>
              <RadioButtonGroup options={LEVELS} value={query.level ?? 'site'} onChange={(level) => update({ level })} />
            </div>
          </InlineField>
        )}
      </InlineFieldRow>
      <InlineFieldRow>
        <InlineField label="Metric" labelWidth={14}>
          <Select<Metric>
            aria-label="Metric"
            data-testid={testIds.queryEditor.metric}
            width={28}
            options={metricsForMode(query.mode).map((m) => ({ label: m.label, value: m.value }))}
            value={query.metric}
            onChange={(v) => switchMetric(v.value!)}
          />
        </InlineField>
        {query.mode === 'table' && (
          <InlineField label="Aggregation" tooltip="How per-bucket rates are reduced over the time range">
            <Select<Aggregation>
              aria-label="Aggregation"
              data-testid={testIds.queryEditor.aggregation}
              width={16}
              options={aggregationsFor(query.metric)}
              value={query.aggregation ?? 'total'}
              onChange={(v) => update({ aggregation: v.value! })}
            />
          </InlineField>
        )}
        <InlineField label="Top N" tooltip="Groups kept, sorted by the metric">
          <Input
            aria-label="Top N"
            data-testid={testIds.queryEditor.topN}
            type="number"
            min={1}
            width={8}
            defaultValue={query.topN}
            onBlur={(e) => {
              const topN = Math.max(1, Math.floor(Number(e.currentTarget.value) || 1));
              if (topN !== query.topN) {
                update({ topN });
              }
            }}
          />
        </InlineField>
        {query.mode !== 'topology' && (
          <>
            <InlineField label="Other" tooltip="Add one row/series with the remainder beyond the top N">
              <InlineSwitch
                aria-label="Other"
                data-testid={testIds.queryEditor.other}
                value={query.other}
                onChange={(e) => update({ other: e.currentTarget.checked })}
              />
            </InlineField>
            <InlineField label="Bidirectional" tooltip="Also return the reverse direction (drawn below the axis)">
              <InlineSwitch
                aria-label="Bidirectional"
                data-testid={testIds.queryEditor.bidirectional}
                value={query.bidirectional}
                onChange={(e) => update({ bidirectional: e.currentTarget.checked })}
              />
            </InlineField>
          </>
        )}
      </InlineFieldRow>
      {query.mode !== 'topology' && (
        <GroupByEditor dimensions={dimensions} value={query.dimensions} onChange={(d) => update({ dimensions: d })} />
      )}
      {dimensionsError && (
        <Alert severity="warning" title="Dimensions could not be loaded">
          {dimensionsError}
        </Alert>
      )}
      <InlineFieldRow>
        <InlineField label="Filter" labelWidth={14}>
          <div data-testid={testIds.queryEditor.filterModeToggle}>
            <RadioButtonGroup size="sm" options={FILTER_MODES} value={query.filterMode} onChange={switchFilterMode} />
          </div>
        </InlineField>
        <InlineField label="Show SQL">
          <InlineSwitch aria-label="Show SQL" data-testid={testIds.queryEditor.showSql} value={showSql} onChange={(e) => setShowSql(e.currentTarget.checked)} />
        </InlineField>
      </InlineFieldRow>
      {query.filterMode === 'text' ? (
        <FilterTextEditor
          value={query.filterText ?? ''}
          validate={validate}
          onChange={(filterText) => update({ filterText }, false)}
          onBlur={onRunQuery}
        />
      ) : (
        <FilterEditor
          value={query.filter}
          dimensions={dimensions}
          loadValues={loadValues}
          onChange={(filter) => update({ filter })}
        />
      )}
      {showSql && <QueryPreview frames={(data?.series ?? []).filter((f) => !f.refId || f.refId === query.refId)} />}
      {app === CoreApp.UnifiedAlerting ? <AlertFriendlyHint query={query} /> : <AlertSqlExport query={query} datasource={datasource} />}
    </Stack>
  );
}
