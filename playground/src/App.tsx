import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css, cx } from '@emotion/css';
import { AbsoluteTimeRange, GrafanaTheme2, LoadingState, PanelData, TimeRange } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, Button, IconButton, InlineField, RadioButtonGroup, RefreshPicker, Select, TimeRangePicker, useStyles2 } from '@grafana/ui';
import { Subscription } from 'rxjs';
import { FlowAtlasDataSource } from '../../src/datasource/datasource';
import { QueryEditor } from '../../src/datasource/components/QueryEditor';
import { FlowQuery } from '../../src/datasource/types';
import { defaultFlowQuery } from '../../src/shared/flowQuery';
import { OptionsPane } from './OptionsPane';
import { TokenField } from './TokenField';
import { DEFAULT_PANEL_OPTIONS, PANEL_CHOICES } from './panels';
import { PanelView } from './PanelView';
import { PanelKind, Preset, PRESETS } from './presets';
import { PlaygroundTemplateSrv, PlaygroundVariable } from './runtime/templateSrv';
import { assemble, buildRequest, peakTime, runToCompletion } from './runQueries';
import { testIds } from './testIds';
import { absoluteRange, refreshed, relativeRange } from './timeRange';
import { useSize } from './useSize';
import { DASHBOARDS } from './dashboard/dashboards';
import { resolveVariables } from './variables';

interface Props {
  datasource: FlowAtlasDataSource;
  templateSrv: PlaygroundTemplateSrv;
}

const REF_IDS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const MINUTE = 60_000;

function newQuery(refId: string): FlowQuery {
  return { ...defaultFlowQuery(), refId } as FlowQuery;
}

const EMPTY: PanelData = { state: LoadingState.NotStarted, series: [], timeRange: relativeRange('now-21d') };

export function App({ datasource, templateSrv }: Props) {
  const styles = useStyles2(getStyles);
  const [queries, setQueries] = useState<FlowQuery[]>([newQuery('A')]);
  const queriesRef = useRef(queries);
  const [editorGeneration, setEditorGeneration] = useState(0);
  const [panel, setPanel] = useState<PanelKind>('timeseries');
  const [panelOptions, setPanelOptions] = useState(DEFAULT_PANEL_OPTIONS);
  const [range, setRange] = useState<TimeRange>(() => relativeRange('now-21d'));
  const rangeRef = useRef(range);
  const [variables, setVariables] = useState<PlaygroundVariable[] | null>(null);
  const [variableError, setVariableError] = useState<string | null>(null);
  const [data, setData] = useState<PanelData>(EMPTY);
  const [runs, setRuns] = useState(0);
  /** The run whose result is on screen: browser tests wait for it to pass the run they caused. */
  const [completedRun, setCompletedRun] = useState(0);
  const [preset, setPreset] = useState<Preset | null>(null);
  const [editorOpen, setEditorOpen] = useState(true);
  const running = useRef<Subscription | null>(null);
  const viz = useSize<HTMLDivElement>();

  const replaceVariables = useCallback((text: string) => templateSrv.replace(text), [templateSrv]);

  useEffect(() => {
    resolveVariables(datasource, templateSrv)
      .then((vars) => {
        setVariables(vars);
        setRuns((n) => n + 1);
      })
      .catch((err) => {
        setVariables([]);
        setVariableError(String(err?.data?.message ?? err?.message ?? err));
      });
  }, [datasource, templateSrv]);

  // Drill-down: a panel that sets `var-<name>` in the URL (geo node/arc click) changes that variable.
  useEffect(() => {
    const sub = locationService.getLocationObservable().subscribe(() => {
      const search = locationService.getSearchObject();
      setVariables((current) => {
        if (!current) {
          return current;
        }
        let changed = false;
        const next = current.map((v) => {
          const value = search[`var-${v.name}`];
          if (typeof value === 'string' && value !== v.current) {
            changed = true;
            return { ...v, current: value };
          }
          return v;
        });
        if (!changed) {
          return current;
        }
        templateSrv.setVariables(next);
        setRuns((n) => n + 1);
        return next;
      });
    });
    return () => sub.unsubscribe();
  }, [templateSrv]);

  const width = viz.width;
  useEffect(() => {
    if (runs === 0 || variables === null) {
      return;
    }
    running.current?.unsubscribe();
    const current = refreshed(rangeRef.current);
    const request = buildRequest(queriesRef.current, current, Math.max(100, Math.min(width || 1000, 2000)));
    const runId = runs;
    const responses = new Map<string, any>();
    setData((d) => ({ ...d, state: LoadingState.Loading }));
    running.current = datasource.query(request).subscribe({
      next: (r: any) => {
        responses.set(String(r.key ?? responses.size), r);
        setData(assemble([...responses.values()], current, responses.size >= request.targets.filter((t) => !t.hide).length, request));
      },
      complete: () => {
        setData(assemble([...responses.values()], current, true, request));
        setCompletedRun(runId);
      },
      error: (err: unknown) => {
        setData({ ...EMPTY, state: LoadingState.Error, errors: [{ message: String(err) }], request });
        setCompletedRun(runId);
      },
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runs]);

  const runQuery = useCallback(() => setRuns((n) => n + 1), []);

  const changeQuery = (index: number) => (q: FlowQuery) => {
    const next = queriesRef.current.map((old, i) => (i === index ? q : old));
    queriesRef.current = next;
    setQueries(next);
  };

  const changeRange = (r: TimeRange) => {
    rangeRef.current = r;
    setRange(r);
    runQuery();
  };

  const addQuery = () => {
    const used = new Set(queriesRef.current.map((q) => q.refId));
    const refId = [...REF_IDS].find((c) => !used.has(c)) ?? `Q${used.size}`;
    const next = [...queriesRef.current, newQuery(refId)];
    queriesRef.current = next;
    setQueries(next);
    runQuery();
  };

  const removeQuery = (refId: string) => {
    const next = queriesRef.current.filter((q) => q.refId !== refId);
    queriesRef.current = next;
    setQueries(next);
    runQuery();
  };

  const loadPreset = async (p: Preset) => {
    setPreset(p);
    setPanel(p.panel);
    setPanelOptions((o) => ({ ...o, [p.panel]: { ...DEFAULT_PANEL_OPTIONS[p.panel], ...(p.panelOptions ?? {}) } }));
    let r = relativeRange('now-21d');
    if (p.range.kind === 'relative') {
      r = relativeRange(p.range.from);
    } else {
      // Zoom to the event, as an operator would by dragging over the spike on a 3-week graph.
      const probe = buildRequest([p.range.of], relativeRange('now-21d'), 2000);
      const frames = (await runToCompletion(datasource, probe)).flatMap((resp) => resp.data);
      const peak = peakTime(frames);
      if (peak !== null) {
        r = absoluteRange(peak - p.range.beforeMin * MINUTE, peak + p.range.afterMin * MINUTE);
      }
    }
    queriesRef.current = p.queries;
    setQueries(p.queries);
    setEditorGeneration((g) => g + 1);
    rangeRef.current = r;
    setRange(r);
    runQuery();
  };

  const onChangeTimeRange = useCallback((abs: AbsoluteTimeRange) => changeRange(absoluteRange(abs.from, abs.to)), []);
  const options = panelOptions[panel];
  const setOptions = useCallback((o: Record<string, unknown>) => setPanelOptions((all) => ({ ...all, [panel]: o })), [panel]);

  const moveRange = (direction: -1 | 1) => {
    const span = range.to.valueOf() - range.from.valueOf();
    changeRange(absoluteRange(range.from.valueOf() + (direction * span) / 2, range.to.valueOf() + (direction * span) / 2));
  };
  const zoomOut = () => {
    const span = range.to.valueOf() - range.from.valueOf();
    changeRange(absoluteRange(range.from.valueOf() - span / 2, range.to.valueOf() + span / 2));
  };

  const statusText = useMemo(() => {
    const rows = data.series.reduce((n, f) => n + f.length, 0);
    return `${data.state} · ${data.series.length} frame(s) · ${rows} row(s)`;
  }, [data]);

  return (
    <div className={styles.app} data-testid={testIds.app}>
      <header className={styles.top}>
        <strong className={styles.brand}>FlowAtlas playground</strong>
        <span className={styles.dashboards}>
          {DASHBOARDS.map((d) => (
            <a key={d.uid} href={`?dashboard=${d.uid}`} data-testid={`playground-dashboard-link-${d.uid}`}>
              {d.title}
            </a>
          ))}
        </span>
        <div className={styles.presets}>
          {PRESETS.map((p) => (
            <Button
              key={p.step}
              size="sm"
              variant={preset?.step === p.step ? 'primary' : 'secondary'}
              data-testid={testIds.preset(p.step)}
              disabled={variables === null}
              onClick={() => void loadPreset(p)}
              tooltip={p.question}
            >
              {p.step}. {p.title}
            </Button>
          ))}
        </div>
        <div className={styles.spacer} />
        {(variables ?? []).map((v) => (
          <InlineField key={v.name} label={v.label}>
            <Select
              width={20}
              data-testid={testIds.variable(v.name)}
              aria-label={`Variable ${v.name}`}
              options={v.options.map((o) => ({ label: o, value: o }))}
              value={v.current}
              onChange={(sel) => {
                const next = (variables ?? []).map((x) => (x.name === v.name ? { ...x, current: sel.value ?? '' } : x));
                templateSrv.setVariables(next);
                setVariables(next);
                runQuery();
              }}
            />
          </InlineField>
        ))}
        <TokenField />
        <TimeRangePicker
          value={range}
          timeZone="browser"
          onChange={changeRange}
          onChangeTimeZone={() => undefined}
          onMoveBackward={() => moveRange(-1)}
          onMoveForward={() => moveRange(1)}
          onZoom={zoomOut}
        />
        <div data-testid={testIds.run}>
          <RefreshPicker onRefresh={runQuery} onIntervalChanged={() => undefined} noIntervalPicker isLoading={data.state === LoadingState.Loading} />
        </div>
      </header>
      {preset && (
        <div className={styles.story} data-testid={testIds.story}>
          Step {preset.step}: {preset.question}
        </div>
      )}
      {variableError && (
        <Alert severity="error" title="Variables could not be resolved">
          {variableError}
          {/bearer token/.test(variableError) && (
            <div data-testid={testIds.tokenHint}>The proxy wants a token: enter its FLOWATLAS_TOKEN in the Token field at the top, or open the page with ?token=….</div>
          )}
        </Alert>
      )}
      <main className={cx(styles.main, !editorOpen && styles.editorClosed)} data-testid={testIds.main} data-editor={editorOpen ? 'open' : 'closed'}>
        <aside className={styles.queries} data-testid={testIds.queries}>
          {queries.map((q, i) => (
            <section key={`${editorGeneration}-${q.refId}`} className={styles.query} data-testid={testIds.query(q.refId)}>
              <div className={styles.queryHeader}>
                <strong>{q.refId}</strong>
                {queries.length > 1 && (
                  <IconButton name="trash-alt" aria-label={`Remove query ${q.refId}`} data-testid={testIds.removeQuery(q.refId)} onClick={() => removeQuery(q.refId)} />
                )}
              </div>
              <QueryEditor
                query={q}
                datasource={datasource}
                onChange={changeQuery(i)}
                onRunQuery={runQuery}
                data={data}
                range={range}
                app={undefined as never}
              />
            </section>
          ))}
          <Button size="sm" variant="secondary" icon="plus" onClick={addQuery} data-testid={testIds.addQuery}>
            Query
          </Button>
        </aside>
        <section className={styles.centre}>
          <div className={styles.vizHeader}>
            <Button
              size="sm"
              variant="secondary"
              icon={editorOpen ? 'angle-left' : 'angle-right'}
              data-testid={testIds.toggleEditor}
              aria-expanded={editorOpen}
              onClick={() => setEditorOpen((open) => !open)}
            >
              {editorOpen ? 'Hide queries' : 'Show queries'}
            </Button>
            <div data-testid={testIds.panelPicker}>
              <RadioButtonGroup size="sm" options={PANEL_CHOICES} value={panel} onChange={setPanel} />
            </div>
            <span className={styles.status} data-testid={testIds.status} data-state={data.state} data-run={completedRun}>
              {statusText}
            </span>
          </div>
          {data.errors && data.errors.length > 0 && (
            <div data-testid={testIds.errors}>
              {data.errors.map((e, i) => (
                <Alert key={i} severity="error" title={`Query ${e.refId ?? ''} failed`}>
                  {e.message}
                </Alert>
              ))}
            </div>
          )}
          <div className={styles.viz} ref={viz.ref} data-testid={testIds.viz} data-panel={panel}>
            <PanelView
              kind={panel}
              data={data}
              options={options}
              width={viz.width}
              height={viz.height}
              timeRange={data.timeRange}
              replaceVariables={replaceVariables}
              onOptionsChange={setOptions}
              onChangeTimeRange={onChangeTimeRange}
            />
          </div>
        </section>
        <aside className={styles.options} data-testid={testIds.optionsPane}>
          <OptionsPane kind={panel} options={options} data={data} onChange={setOptions} />
        </aside>
      </main>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  app: css({ display: 'flex', flexDirection: 'column', height: '100vh', background: theme.colors.background.canvas, color: theme.colors.text.primary }),
  top: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    borderBottom: `1px solid ${theme.colors.border.weak}`,
  }),
  brand: css({ marginRight: theme.spacing(1) }),
  dashboards: css({ display: 'flex', gap: theme.spacing(1), marginRight: theme.spacing(2), fontSize: theme.typography.bodySmall.fontSize, a: { color: theme.colors.text.link } }),
  presets: css({ display: 'flex', gap: theme.spacing(0.5), flexWrap: 'wrap' }),
  spacer: css({ flex: 1 }),
  story: css({ padding: theme.spacing(0.5, 1), color: theme.colors.text.secondary, borderBottom: `1px solid ${theme.colors.border.weak}` }),
  // Three panes side by side on a wide screen; below 1280 px the options go under the panel, below
  // 900 px everything stacks (queries, panel, options) and the page scrolls. The queries pane can
  // be hidden at any width to give the panel the room.
  main: css({
    display: 'grid',
    flex: 1,
    minHeight: 0,
    gridTemplateAreas: '"queries centre options"',
    gridTemplateColumns: 'clamp(420px, 42vw, 620px) minmax(0, 1fr) 300px',
    gridTemplateRows: 'minmax(0, 1fr)',
    [WIDE_DOWN]: {
      gridTemplateAreas: '"queries centre" "queries options"',
      gridTemplateColumns: 'clamp(420px, 40vw, 620px) minmax(0, 1fr)',
      gridTemplateRows: 'minmax(0, 1fr) minmax(0, 30vh)',
    },
    [NARROW_DOWN]: {
      gridTemplateAreas: '"queries" "centre" "options"',
      gridTemplateColumns: 'minmax(0, 1fr)',
      gridTemplateRows: 'auto max(420px, 70vh) auto',
      overflowY: 'auto',
    },
  }),
  editorClosed: css({
    gridTemplateAreas: '"centre options"',
    gridTemplateColumns: 'minmax(0, 1fr) 300px',
    [WIDE_DOWN]: { gridTemplateAreas: '"centre" "options"', gridTemplateColumns: 'minmax(0, 1fr)' },
    [NARROW_DOWN]: { gridTemplateAreas: '"centre" "options"', gridTemplateRows: 'max(420px, 70vh) auto' },
    '& > aside:first-of-type': { display: 'none' },
  }),
  queries: css({
    gridArea: 'queries',
    minWidth: 0,
    overflowY: 'auto',
    padding: theme.spacing(1),
    borderRight: `1px solid ${theme.colors.border.weak}`,
    [NARROW_DOWN]: { overflowY: 'visible', borderRight: 'none', borderBottom: `1px solid ${theme.colors.border.weak}` },
  }),
  query: css({ marginBottom: theme.spacing(2), padding: theme.spacing(1), background: theme.colors.background.primary, border: `1px solid ${theme.colors.border.weak}` }),
  queryHeader: css({ display: 'flex', justifyContent: 'space-between', marginBottom: theme.spacing(1) }),
  centre: css({ gridArea: 'centre', display: 'flex', flexDirection: 'column', minWidth: 0, minHeight: 0, padding: theme.spacing(1) }),
  vizHeader: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1, 2), marginBottom: theme.spacing(1) }),
  status: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  viz: css({ flex: 1, minHeight: 200, position: 'relative', overflow: 'hidden', background: theme.colors.background.primary }),
  options: css({
    gridArea: 'options',
    minWidth: 0,
    minHeight: 0,
    overflow: 'auto',
    borderLeft: `1px solid ${theme.colors.border.weak}`,
    [WIDE_DOWN]: { borderLeft: 'none', borderTop: `1px solid ${theme.colors.border.weak}` },
    // stacked, the page scrolls: the options take the height they need
    [NARROW_DOWN]: { overflow: 'visible', minHeight: 'auto' },
  }),
});

const WIDE_DOWN = '@media (max-width: 1279px)';
const NARROW_DOWN = '@media (max-width: 899px)';
