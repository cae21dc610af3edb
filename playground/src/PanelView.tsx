import React, { useMemo } from 'react';
import {
  AbsoluteTimeRange,
  applyFieldOverrides,
  DataFrame,
  EventBusSrv,
  FieldConfigSource,
  FieldType,
  PanelData,
  TimeRange,
} from '@grafana/data';
import { LegendDisplayMode } from '@grafana/schema';
import { Alert, Table, TimeSeries, useTheme2, ZoomPlugin } from '@grafana/ui';
import { PanelKind } from './presets';
import { fieldConfigFor, PLUGINS } from './panels';
import { testIds } from './testIds';

interface Props {
  kind: PanelKind;
  data: PanelData;
  options: Record<string, unknown>;
  width: number;
  height: number;
  timeRange: TimeRange;
  replaceVariables: (text: string) => string;
  onOptionsChange: (options: Record<string, unknown>) => void;
  onChangeTimeRange: (range: AbsoluteTimeRange) => void;
}

const eventBus = new EventBusSrv();

/**
 * Fills each field's config from the panel's defaults. applyFieldOverrides only applies defaults
 * for properties in Grafana core's field config registry, which is empty outside Grafana.
 */
export function withDefaults(frames: DataFrame[], defaults: FieldConfigSource['defaults']): DataFrame[] {
  return frames.map((frame) => ({
    ...frame,
    fields: frame.fields.map((field) => ({
      ...field,
      config: { ...defaults, ...field.config, custom: { ...(defaults.custom ?? {}), ...(field.config.custom ?? {}) } },
    })),
  }));
}

/** Draws the result with the chosen panel: @grafana/ui's Table/TimeSeries or a FlowAtlas panel plugin. */
export function PanelView({ kind, data, options, width, height, timeRange, replaceVariables, onOptionsChange, onChangeTimeRange }: Props) {
  const theme = useTheme2();
  const fieldConfig = useMemo(() => fieldConfigFor(kind), [kind]);
  // What Grafana does before a panel sees the frames: field defaults, display processors, colours.
  const series = useMemo(
    () => applyFieldOverrides({ data: withDefaults(data.series, fieldConfig.defaults), fieldConfig, replaceVariables, theme, timeZone: 'browser' }),
    [data.series, fieldConfig, replaceVariables, theme]
  );
  const processed: PanelData = useMemo(() => ({ ...data, series }), [data, series]);

  if (width <= 0 || height <= 0) {
    return null;
  }
  if (kind === 'table') {
    if (series.length === 0) {
      return <div data-testid={testIds.table}>No data</div>;
    }
    const each = Math.max(120, Math.floor(height / series.length) - 8);
    return (
      <div data-testid={testIds.table} style={{ display: 'flex', flexDirection: 'column', gap: 8, overflow: 'auto', height }}>
        {series.map((frame, i) => (
          <div key={`${frame.refId}-${i}`} data-refid={frame.refId} data-rows={frame.length}>
            <Table data={frame} width={width} height={each} showTypeIcons={false} noHeader={options.showHeader === false} />
          </div>
        ))}
      </div>
    );
  }
  if (kind === 'timeseries') {
    const graphable = series.filter((f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number));
    if (graphable.length === 0) {
      // A failed query is said by its error above the panel; the mode hint is only for frames that are not time series.
      const hint = !data.errors?.length && series.length > 0;
      return (
        <div data-testid={testIds.timeseries} data-series={0}>
          {hint ? (
            <Alert severity="info" title="No time series">
              The queries returned tables: choose the Time series mode in the query editor.
            </Alert>
          ) : (
            <div data-testid={testIds.panelNoData} style={{ padding: 16, opacity: 0.7 }}>
              No data
            </div>
          )}
        </div>
      );
    }
    const seriesCount = graphable.reduce((n, f) => n + f.fields.filter((x) => x.type === FieldType.number).length, 0);
    return (
      <div data-testid={testIds.timeseries} data-series={seriesCount}>
        <TimeSeries
          frames={graphable}
          width={width}
          height={height}
          timeRange={timeRange}
          timeZone="browser"
          legend={{ showLegend: options.showLegend !== false, displayMode: LegendDisplayMode.List, placement: 'bottom', calcs: [] }}
        >
          {/* drag over a moment to zoom to it, as Grafana's time series panel does */}
          {(config) => <ZoomPlugin config={config} onZoom={onChangeTimeRange} />}
        </TimeSeries>
      </div>
    );
  }
  const plugin = PLUGINS[kind]!;
  const Panel = plugin.panel!;
  return (
    <Panel
      id={1}
      title="FlowAtlas"
      data={processed}
      timeRange={timeRange}
      timeZone="browser"
      options={options}
      fieldConfig={fieldConfig}
      transparent={false}
      width={width}
      height={height}
      renderCounter={0}
      eventBus={eventBus}
      replaceVariables={replaceVariables}
      onOptionsChange={onOptionsChange}
      onFieldConfigChange={() => undefined}
      onChangeTimeRange={onChangeTimeRange}
    />
  );
}
