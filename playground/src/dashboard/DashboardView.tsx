import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { AbsoluteTimeRange, dateTime, GrafanaTheme2, LoadingState, PanelData, rangeUtil, ScopedVars, TimeRange } from '@grafana/data';
import { locationService } from '@grafana/runtime';
import { Alert, InlineField, PanelChrome, Select, TimeRangePicker, useStyles2 } from '@grafana/ui';
import type { FlowAtlasDataSource } from '../../../src/datasource/datasource';
import { ALL_VALUE, type PlaygroundTemplateSrv, type PlaygroundVariable } from '../runtime/templateSrv';
import { absoluteRange, refreshed } from '../timeRange';
import { useSize } from '../useSize';
import { findDashboard, DASHBOARDS } from './dashboards';
import { Dashboard, DashboardPanel, gridHeight, panelRect, refreshMs } from './model';
import { PanelBody } from './PanelBody';
import { runPanel } from './panelData';
import { resolveDashboardVariables } from './variables';

interface Props {
  uid: string;
  datasource: FlowAtlasDataSource;
  templateSrv: PlaygroundTemplateSrv;
}

/** `from`/`to` as Grafana dashboard URLs carry them: epoch ms or relative (`now-21d`). */
function rangeFromUrl(dashboard: Dashboard, search: URLSearchParams): TimeRange {
  const raw = (v: string | null, fallback: string) => (v === null ? fallback : /^\d+$/.test(v) ? dateTime(Number(v)) : v);
  const from = raw(search.get('from'), dashboard.time.from);
  const to = raw(search.get('to'), dashboard.time.to);
  if (typeof from !== 'string' && typeof to !== 'string') {
    return absoluteRange(from.valueOf(), to.valueOf());
  }
  return rangeUtil.convertRawToRange({ from, to });
}

/** The picker's options: All first when the variable has it, and a value set from the URL that is no option. */
function selectOptions(v: PlaygroundVariable): Array<{ label: string; value: string }> {
  const options = v.options.map((o) => ({ label: o, value: o }));
  if (v.current !== ALL_VALUE && !v.options.includes(v.current)) {
    options.unshift({ label: v.current, value: v.current });
  }
  return v.allValue !== undefined ? [{ label: 'All', value: ALL_VALUE }, ...options] : options;
}

function urlVariables(search: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  search.forEach((value, key) => {
    if (key.startsWith('var-')) {
      out[key.slice(4)] = value;
    }
  });
  return out;
}

/**
 * A provisioned dashboard drawn from its JSON: variables resolved through the data source's
 * variable queries, every panel at its gridPos in Grafana's grid, each panel's queries run like
 * Grafana runs them, the dashboard's auto refresh. `?kiosk` hides everything but the panels.
 */
export function DashboardView({ uid, datasource, templateSrv }: Props) {
  const styles = useStyles2(getStyles);
  const dashboard = findDashboard(uid);
  const search = useMemo(() => new URLSearchParams(window.location.search), []);
  const kiosk = search.has('kiosk');
  const [range, setRange] = useState<TimeRange>(() => (dashboard ? rangeFromUrl(dashboard, search) : absoluteRange(0, 1)));
  const [variables, setVariables] = useState<PlaygroundVariable[] | null>(null);
  const [variableError, setVariableError] = useState<string | null>(null);
  const [run, setRun] = useState(0);
  /** Bumped when a variable is changed by hand: the variables after it are resolved again. */
  const [resolveKey, setResolveKey] = useState(0);
  const [finished, setFinished] = useState<Record<number, LoadingState>>({});
  const wanted = useRef<Record<string, string>>(urlVariables(search));
  const grid = useSize<HTMLDivElement>();

  // Variables first (refresh on time range change, like `refresh: 2`), then one run of every panel.
  useEffect(() => {
    if (!dashboard) {
      return;
    }
    let stale = false;
    setVariables(null);
    resolveDashboardVariables(datasource, templateSrv, dashboard.templating.list, range, wanted.current)
      .then((vars) => {
        if (!stale) {
          setVariables(vars);
          setRun((n) => n + 1);
        }
      })
      .catch((err) => {
        if (!stale) {
          setVariableError(String(err?.data?.message ?? err?.message ?? err));
          setVariables([]);
          setRun((n) => n + 1);
        }
      });
    return () => {
      stale = true;
    };
  }, [dashboard, datasource, templateSrv, range, resolveKey]);

  // Auto refresh: relative ranges move with now, panels run again (variables keep their values).
  useEffect(() => {
    const every = refreshMs(search.get('refresh') ?? dashboard?.refresh);
    if (!every) {
      return;
    }
    const timer = setInterval(() => setRun((n) => n + 1), every);
    return () => clearInterval(timer);
  }, [dashboard, search]);

  // A panel that sets `var-<name>` in the URL (geo node/arc click) changes that variable.
  useEffect(() => {
    const sub = locationService.getLocationObservable().subscribe(() => {
      const params = locationService.getSearchObject();
      setVariables((current) => {
        if (!current) {
          return current;
        }
        // a variable with an All option takes any value (All included), the others one of their options
        const accepts = (v: PlaygroundVariable, value: unknown): value is string =>
          typeof value === 'string' && (v.allValue !== undefined ? value !== '' : v.options.includes(value));
        const next = current.map((v) => (accepts(v, params[`var-${v.name}`]) ? { ...v, current: String(params[`var-${v.name}`]) } : v));
        if (next.every((v, i) => v.current === current[i].current)) {
          return current;
        }
        templateSrv.setVariables(next);
        setRun((n) => n + 1);
        return next;
      });
    });
    return () => sub.unsubscribe();
  }, [templateSrv]);

  const changeRange = useCallback((r: TimeRange) => {
    setFinished({});
    setRange(r);
  }, []);
  const onPanelTimeRange = useCallback((abs: AbsoluteTimeRange) => changeRange(absoluteRange(abs.from, abs.to)), [changeRange]);
  const onFinished = useCallback((id: number, state: LoadingState) => setFinished((f) => ({ ...f, [id]: state })), []);

  if (!dashboard) {
    return (
      <Alert severity="error" title={`No provisioned dashboard with uid ${uid}`}>
        Known: {DASHBOARDS.map((d) => d.uid).join(', ')}
      </Alert>
    );
  }
  const panels = dashboard.panels;
  const queryPanels = panels.filter((p) => p.type !== 'row' && p.type !== 'text');
  const done = variables !== null && queryPanels.every((p) => finished[p.id] !== undefined && finished[p.id] !== LoadingState.Loading);
  const failed = queryPanels.filter((p) => finished[p.id] === LoadingState.Error).length;

  return (
    <div
      className={styles.page}
      data-testid="playground-dashboard"
      data-uid={dashboard.uid}
      data-state={done ? (failed || variableError ? 'Error' : 'Done') : 'Loading'}
      data-variables={variables === null ? 'Loading' : 'Done'}
      data-run={done ? run : 0}
    >
      {!kiosk && (
        <header className={styles.top}>
          <strong className={styles.title}>{dashboard.title}</strong>
          {(variables ?? []).map((v) => (
            <InlineField key={v.name} label={v.label}>
              <Select
                width={22}
                aria-label={`Variable ${v.name}`}
                data-testid={`playground-dashboard-variable-${v.name}`}
                options={selectOptions(v)}
                value={v.current}
                onChange={(sel) => {
                  wanted.current = { ...wanted.current, ...Object.fromEntries((variables ?? []).map((x) => [x.name, x.current])), [v.name]: sel.value ?? '' };
                  setFinished({});
                  setResolveKey((k) => k + 1);
                }}
              />
            </InlineField>
          ))}
          <div className={styles.spacer} />
          <TimeRangePicker
            value={range}
            timeZone="utc"
            onChange={changeRange}
            onChangeTimeZone={() => undefined}
            onMoveBackward={() => undefined}
            onMoveForward={() => undefined}
            onZoom={() => undefined}
          />
        </header>
      )}
      {variableError && (
        <Alert severity="error" title="Variables could not be resolved">
          {variableError}
        </Alert>
      )}
      <div ref={grid.ref} className={styles.grid} style={{ height: gridHeight(panels) }}>
        {grid.width > 0 &&
          panels.map((panel) => {
            const rect = panelRect(panel.gridPos, grid.width);
            return (
              <div key={panel.id} className={styles.cell} style={rect}>
                {panel.type === 'row' ? (
                  <div className={styles.row} data-testid="playground-dashboard-row">
                    {templateSrv.replace(panel.title)}
                  </div>
                ) : (
                  <DashboardPanelView
                    panel={panel}
                    dashboardUid={dashboard.uid}
                    datasource={datasource}
                    templateSrv={templateSrv}
                    range={range}
                    run={variables === null ? 0 : run}
                    width={rect.width}
                    height={rect.height}
                    onTimeRange={onPanelTimeRange}
                    onFinished={onFinished}
                  />
                )}
              </div>
            );
          })}
      </div>
    </div>
  );
}

interface PanelViewProps {
  panel: DashboardPanel;
  dashboardUid: string;
  datasource: FlowAtlasDataSource;
  templateSrv: PlaygroundTemplateSrv;
  range: TimeRange;
  /** 0 until the variables are resolved; each increment runs the panel's queries again. */
  run: number;
  width: number;
  height: number;
  onTimeRange: (range: AbsoluteTimeRange) => void;
  onFinished: (id: number, state: LoadingState) => void;
}

function DashboardPanelView({ panel, dashboardUid, datasource, templateSrv, range, run, width, height, onTimeRange, onFinished }: PanelViewProps) {
  const [data, setData] = useState<PanelData>({ state: LoadingState.NotStarted, series: [], timeRange: range });
  // Scoped variables matter: bar gauges name rows through ${__data.fields.…} of the row's context.
  const replaceVariables = useCallback(
    (text: string, scopedVars?: ScopedVars, format?: string | Function) => templateSrv.replace(text, scopedVars, format as never),
    [templateSrv]
  );

  useEffect(() => {
    if (run === 0 || !panel.targets?.length) {
      return;
    }
    const current = refreshed(range);
    setData((d) => ({ ...d, state: LoadingState.Loading }));
    const running = runPanel(datasource, dashboardUid, panel, current, width, setData);
    void running.done.then((final) => onFinished(panel.id, final.state));
    return () => running.cancel();
    // width is read once per run: a resize does not re-query, like Grafana
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [run, range, panel, datasource, dashboardUid]);

  const rows = data.series.reduce((n, f) => n + f.length, 0);
  const error = data.errors?.map((e) => e.message).join('; ');
  return (
    <div data-testid="playground-dashboard-panel" data-panel-id={panel.id} data-type={panel.type} data-state={data.state} data-frames={data.series.length} data-rows={rows} data-error={error ?? ''}>
      <PanelChrome
        width={width}
        height={height}
        title={replaceVariables(panel.title)}
        description={panel.description ? () => replaceVariables(panel.description!) : undefined}
        loadingState={data.state === LoadingState.Loading ? LoadingState.Loading : undefined}
        statusMessage={error}
      >
        {(innerWidth, innerHeight) => (
          <PanelBody
            panel={panel}
            data={data}
            width={innerWidth}
            height={innerHeight}
            timeRange={data.timeRange}
            replaceVariables={replaceVariables}
            onChangeTimeRange={onTimeRange}
          />
        )}
      </PanelChrome>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  page: css({ minHeight: '100vh', background: theme.colors.background.canvas, color: theme.colors.text.primary, padding: theme.spacing(1, 2) }),
  top: css({ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: theme.spacing(1), paddingBottom: theme.spacing(1) }),
  title: css({ fontSize: theme.typography.h4.fontSize, marginRight: theme.spacing(2) }),
  spacer: css({ flex: 1 }),
  grid: css({ position: 'relative', width: '100%' }),
  cell: css({ position: 'absolute' }),
  row: css({ fontSize: theme.typography.h5.fontSize, fontWeight: theme.typography.fontWeightMedium, lineHeight: '30px', borderBottom: `1px solid ${theme.colors.border.weak}` }),
});
