import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { CoreApp, GrafanaTheme2, QueryEditorProps, SelectableValue } from '@grafana/data';
import { css } from '@emotion/css';
import { Alert, ErrorBoundaryAlert, InlineField, InlineFieldRow, InlineSwitch, Input, RadioButtonGroup, Select, Stack, useStyles2 } from '@grafana/ui';
import {
  Aggregation,
  aggregationsFor,
  emptyFilterGroup,
  FilterGroup,
  filterProblems,
  filterToText,
  Metric,
  metricsForMode,
  QueryMode,
  TopologyLevel,
} from '../../shared/flowQuery';
import { FlowAtlasDataSource } from '../datasource';
import { FlowAtlasError, FlowAtlasQueryError, toFlowAtlasError } from '../errors';
import { migrateQuery, needsMigration } from '../migration';
import { FlowAtlasOptions, FlowQuery } from '../types';
import { AlertFriendlyHint } from './AlertFriendlyHint';
import { AlertSqlExport } from './AlertSqlExport';
import { FilterEditor } from './queryBuilder/FilterEditor';
import { FilterTextEditor } from './queryBuilder/FilterTextEditor';
import { GroupByEditor } from './queryBuilder/GroupByEditor';
import { QueryPreview } from './queryBuilder/QueryPreview';
import { useFilterTextCheck } from './queryBuilder/useFilterTextCheck';
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

/** Identity of a tree, to tell whether it changed since the text was made from it (or it from the text). */
const treeKey = (filter: FilterGroup) => JSON.stringify(filter);

/** Why a text is not run, short: the error itself is shown, underlined, right above. */
function textProblem(e: FlowAtlasError): string {
  return e.line !== undefined && e.column !== undefined
    ? `the filter text has an error at line ${e.line}, column ${e.column}`
    : `the filter text has an error: ${e.message}`;
}

/** The error of the last run of this query, when it points into the filter text now on screen. */
function runErrorInText(query: FlowQuery, data: Props['data']): FlowAtlasError | undefined {
  const err = data?.errors?.find((e) => e.refId === query.refId) as FlowAtlasQueryError | undefined;
  const sent = data?.request?.targets?.find((t) => t.refId === query.refId) as FlowQuery | undefined;
  if (!err || err.field !== 'filterText' || err.line === undefined || err.column === undefined || sent?.filterText !== query.filterText) {
    return undefined;
  }
  return { message: (err.message ?? '').replace(/^FlowAtlas: /, ''), field: err.field, line: err.line, column: err.column };
}

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
  const styles = useStyles2(getStyles);
  const [showSql, setShowSql] = useState(false);
  const loadDimensions = useCallback(() => datasource.getDimensions(), [datasource]);
  const { dimensions, error: dimensionsError } = useDimensions(loadDimensions);
  const loadValues = useCallback(
    (dimension: string, prefix: string) => datasource.getDimensionValues(dimension, prefix, 20),
    [datasource]
  );
  const validate = useCallback((text: string) => datasource.validateFilterText(text), [datasource]);
  const textMode = query.filterMode === 'text';
  const { verdict, check } = useFilterTextCheck(query.filterText ?? '', textMode, validate);
  const [notRun, setNotRun] = useState<string | undefined>();
  const [switchError, setSwitchError] = useState<FlowAtlasError | undefined>();
  const [switching, setSwitching] = useState(false);
  /** A text and a tree known to say the same (one was made from the other in this editor). */
  const synced = useRef<{ text: string; tree: string } | undefined>(undefined);
  const runTicket = useRef(0);
  const latest = useRef(query);
  latest.current = query;

  useEffect(() => {
    // saved by an older release: store the upgraded form once so the next load is a no-op
    if (needsMigration(saved as unknown as Record<string, unknown>)) {
      onChange(query);
    }
  }, [saved, query, onChange]);

  /** Runs the query unless the editor already knows the engine would reject it; then it says why. */
  const run = (next: FlowQuery) => {
    const ticket = ++runTicket.current;
    const decide = (reason: string | undefined) => {
      if (ticket !== runTicket.current) {
        return;
      }
      setNotRun(reason);
      if (!reason) {
        onRunQuery();
      }
    };
    if (next.filterMode === 'text') {
      void check(next.filterText ?? '').then((v) => decide(v.invalid ? textProblem(v.invalid) : undefined));
      return;
    }
    const problems = filterProblems(next.filter);
    decide(problems.length > 0 ? problems.map((p) => `rule ${p.path}: ${p.message}`).join('; ') : undefined);
  };

  const update = (patch: Partial<FlowQuery>, runIt = true) => {
    // onto the query as it is now: a patch that waited for the engine (the switch to the
    // builder) must not undo what was changed meanwhile
    const next = { ...latest.current, ...patch };
    latest.current = next;
    onChange(next);
    if (runIt) {
      run(next);
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

  /** The text of the tree; the text already saved only when the tree has not changed since they matched. */
  const switchToText = () => {
    const known = synced.current;
    const unchanged = Boolean(query.filterText) && known !== undefined && known.text === query.filterText && known.tree === treeKey(query.filter);
    const filterText = unchanged ? query.filterText! : filterToText(query.filter);
    synced.current = { text: filterText, tree: treeKey(query.filter) };
    setSwitchError(undefined);
    update({ filterMode: 'text', filterText });
  };

  /** The tree of the text, parsed by the engine; a text it rejects keeps the editor in text mode. */
  const switchToBuilder = async () => {
    const text = query.filterText ?? '';
    const known = synced.current;
    if (known?.text === text && known.tree === treeKey(query.filter)) {
      // the text was not edited: the tree (with any half-made rules) is still what it says
      setSwitchError(undefined);
      update({ filterMode: 'builder' });
      return;
    }
    setSwitching(true);
    try {
      if ((await check(text)).invalid) {
        setSwitchError({ message: 'Fix the filter text first: the builder shows only a filter the engine accepts.' });
        return;
      }
      const filter = text.trim() === '' ? emptyFilterGroup() : await datasource.filterTextToTree(text);
      synced.current = { text, tree: treeKey(filter) };
      setSwitchError(undefined);
      update({ filterMode: 'builder', filter });
    } catch (err) {
      setSwitchError({ message: `The filter text cannot be shown in the builder: ${toFlowAtlasError(err).message}` });
    } finally {
      setSwitching(false);
    }
  };

  const switchFilterMode = (mode: 'builder' | 'text') => {
    if (mode === query.filterMode) {
      return;
    }
    if (mode === 'text') {
      switchToText();
    } else {
      void switchToBuilder();
    }
  };

  const textError = verdict?.invalid ?? runErrorInText(query, data);
  const ownFrames = (data?.series ?? []).filter((f) => !f.refId || f.refId === query.refId);

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
        {query.mode === 'topology' && (
          <InlineField label="Top applications" tooltip="Also return each link's top 3 applications per direction, for the map's tooltip (reads the full rollups, a little slower)">
            <InlineSwitch
              aria-label="Top applications"
              data-testid={testIds.queryEditor.topApplications}
              value={query.topApplications ?? false}
              onChange={(e) => update({ topApplications: e.currentTarget.checked })}
            />
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
        {/* the engine ignores top N in topology mode (it returns every node pair up to its row cap) */}
        {query.mode !== 'topology' && (
          <>
            <InlineField label="Top N" tooltip="Groups kept, sorted by the metric">
              <TopNInput value={query.topN} onChange={(topN) => update({ topN })} />
            </InlineField>
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
      {query.mode !== 'topology' && query.dimensions.length === 0 && (
        <InlineField label="Name" labelWidth={14} tooltip="Names this query's series in legends and the correlation header (it has no dimensions to name them by)">
          <Input
            aria-label="Series name"
            data-testid={testIds.queryEditor.alias}
            width={28}
            placeholder={query.refId}
            defaultValue={query.alias ?? ''}
            onBlur={(e) => {
              const alias = e.currentTarget.value.trim() || undefined;
              if (alias !== query.alias) {
                update({ alias });
              }
            }}
          />
        </InlineField>
      )}
      {dimensionsError && (
        <Alert severity="warning" title="Dimensions could not be loaded">
          {dimensionsError}
        </Alert>
      )}
      <InlineFieldRow>
        <InlineField label="Filter" labelWidth={14}>
          <div data-testid={testIds.queryEditor.filterModeToggle}>
            <RadioButtonGroup size="sm" options={FILTER_MODES} value={query.filterMode} disabled={switching} onChange={switchFilterMode} />
          </div>
        </InlineField>
        <InlineField label="Show SQL">
          <InlineSwitch aria-label="Show SQL" data-testid={testIds.queryEditor.showSql} value={showSql} onChange={(e) => setShowSql(e.currentTarget.checked)} />
        </InlineField>
      </InlineFieldRow>
      {switchError && (
        <div className={styles.switchError} data-testid={testIds.queryEditor.filterSwitchError}>
          {switchError.message}
        </div>
      )}
      {textMode ? (
        <FilterTextEditor
          value={query.filterText ?? ''}
          error={textError}
          onChange={(filterText) => update({ filterText }, false)}
          onBlur={() => run(query)}
        />
      ) : (
        <FilterEditor
          value={query.filter}
          dimensions={dimensions}
          loadValues={loadValues}
          onChange={(filter) => update({ filter })}
        />
      )}
      {notRun && (
        <div data-testid={testIds.queryEditor.notRun}>
          <Alert severity="warning" title="Query not run">
            The engine would reject it: {notRun}
          </Alert>
        </div>
      )}
      {showSql && <QueryPreview frames={ownFrames} />}
      {app === CoreApp.UnifiedAlerting ? (
        <AlertFriendlyHint query={query} frames={ownFrames} />
      ) : (
        <AlertSqlExport query={query} datasource={datasource} />
      )}
    </Stack>
  );
}

/**
 * Top N, controlled: it shows the saved value (also when a preset or an undo changes it) and
 * commits a whole number ≥ 1 on blur or Enter, not on every keystroke (each commit runs the query).
 */
function TopNInput({ value, onChange }: { value: number; onChange: (topN: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const topN = Math.max(1, Math.floor(Number(text) || 1));
    setText(String(topN));
    if (topN !== value) {
      onChange(topN);
    }
  };
  return (
    <Input
      aria-label="Top N"
      data-testid={testIds.queryEditor.topN}
      type="number"
      min={1}
      width={8}
      value={text}
      onChange={(e) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  switchError: css({ color: theme.colors.error.text, fontSize: theme.typography.bodySmall.fontSize }),
});
