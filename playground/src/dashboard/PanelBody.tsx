import React, { useMemo } from 'react';
import {
  AbsoluteTimeRange,
  applyFieldOverrides,
  DataFrame,
  EventBusSrv,
  FieldConfigSource,
  FieldDisplay,
  FieldType,
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  InterpolateFunction,
  PanelData,
  PanelPlugin,
  renderTextPanelMarkdown,
  TimeRange,
  VizOrientation,
} from '@grafana/data';
import { BarGaugeDisplayMode, LegendDisplayMode, TableCellHeight } from '@grafana/schema';
import { Alert, BarGauge, Table, TimeSeries, useTheme2, VizRepeater, ZoomPlugin } from '@grafana/ui';
import { plugin as geoPlugin } from '../../../src/panels/geo-topology/module';
import geoMeta from '../../../src/panels/geo-topology/plugin.json';
import { DEFAULT_OPTIONS as GEO_DEFAULTS } from '../../../src/panels/geo-topology/types';
import { plugin as correlationPlugin } from '../../../src/panels/correlation/module';
import correlationMeta from '../../../src/panels/correlation/plugin.json';
import { DEFAULT_OPTIONS as CORRELATION_DEFAULTS } from '../../../src/panels/correlation/types';
import { fieldConfigFor } from '../panels';
import { withDefaults } from '../PanelView';
import type { DashboardPanel } from './model';

/** FlowAtlas panel plugins by the id dashboards use (from their plugin.json), with their option defaults. */
const FLOWATLAS_PANELS: Record<string, { plugin: PanelPlugin<any>; defaults: Record<string, unknown>; kind: 'geo' | 'correlation' }> = {
  [geoMeta.id]: { plugin: geoPlugin, defaults: { ...GEO_DEFAULTS }, kind: 'geo' },
  [correlationMeta.id]: { plugin: correlationPlugin, defaults: { ...CORRELATION_DEFAULTS }, kind: 'correlation' },
};

/** Panel types the dashboard view draws: Grafana core's with @grafana/ui components, FlowAtlas's with the real plugins. */
export const SUPPORTED_PANEL_TYPES = ['text', 'table', 'timeseries', 'bargauge', ...Object.keys(FLOWATLAS_PANELS)];

interface Props {
  panel: DashboardPanel;
  data: PanelData;
  width: number;
  height: number;
  timeRange: TimeRange;
  replaceVariables: InterpolateFunction;
  onChangeTimeRange: (range: AbsoluteTimeRange) => void;
}

const eventBus = new EventBusSrv();

/** Field defaults as Grafana would have them: the plugin's own defaults under the panel's. */
function panelFieldConfig(panel: DashboardPanel): FieldConfigSource {
  const own = panel.fieldConfig ?? { defaults: {}, overrides: [] };
  const flowatlas = FLOWATLAS_PANELS[panel.type];
  const base = panel.type === 'timeseries' ? fieldConfigFor('timeseries').defaults : flowatlas ? fieldConfigFor(flowatlas.kind).defaults : {};
  return {
    defaults: { ...base, ...own.defaults, custom: { ...(base.custom ?? {}), ...(own.defaults.custom ?? {}) } },
    overrides: (own.overrides ?? []) as FieldConfigSource['overrides'],
  };
}

/** Draws one dashboard panel's data with the visualization its `type` names. */
export function PanelBody({ panel, data, width, height, timeRange, replaceVariables, onChangeTimeRange }: Props) {
  const theme = useTheme2();
  const fieldConfig = useMemo(() => panelFieldConfig(panel), [panel]);
  const series = useMemo(
    () => applyFieldOverrides({ data: withDefaults(data.series, fieldConfig.defaults), fieldConfig, replaceVariables, theme, timeZone: 'utc' }),
    [data.series, fieldConfig, replaceVariables, theme]
  );
  const options = panel.options ?? {};

  if (width <= 0 || height <= 0) {
    return null;
  }
  switch (panel.type) {
    case 'text':
      return (
        <div
          className="markdown-html"
          style={{ height, overflow: 'auto' }}
          dangerouslySetInnerHTML={{ __html: renderTextPanelMarkdown(replaceVariables(String(options.content ?? ''))) }}
        />
      );
    case 'table': {
      const frame = series[0];
      if (!frame || frame.length === 0) {
        return <NoData />;
      }
      return <Table data={frame} width={width} height={height} cellHeight={(options.cellHeight as TableCellHeight) ?? TableCellHeight.Sm} showTypeIcons={false} />;
    }
    case 'timeseries': {
      const frames = series.filter((f) => f.fields.some((x) => x.type === FieldType.time) && f.fields.some((x) => x.type === FieldType.number));
      if (frames.length === 0) {
        return <NoData />;
      }
      const legend = options.legend ?? {};
      return (
        <TimeSeries
          frames={frames}
          width={width}
          height={height}
          timeRange={timeRange}
          timeZone="utc"
          legend={{
            showLegend: legend.showLegend !== false,
            displayMode: (legend.displayMode as LegendDisplayMode) ?? LegendDisplayMode.List,
            placement: legend.placement ?? 'bottom',
            calcs: legend.calcs ?? [],
          }}
        >
          {/* drag over a moment to zoom every panel to it, as in Grafana */}
          {(config) => <ZoomPlugin config={config} onZoom={onChangeTimeRange} />}
        </TimeSeries>
      );
    }
    case 'bargauge':
      return <BarGauges frames={series} options={options} fieldConfig={fieldConfig} width={width} height={height} replaceVariables={replaceVariables} />;
    default: {
      const flowatlas = FLOWATLAS_PANELS[panel.type];
      if (!flowatlas) {
        return (
          <Alert severity="error" title={`Panel type ${panel.type} is not drawn by the playground`}>
            Supported: {SUPPORTED_PANEL_TYPES.join(', ')}
          </Alert>
        );
      }
      const Panel = flowatlas.plugin.panel!;
      return (
        <Panel
          id={panel.id}
          title={replaceVariables(panel.title)}
          data={{ ...data, series }}
          timeRange={timeRange}
          timeZone="utc"
          options={{ ...flowatlas.defaults, ...options }}
          fieldConfig={fieldConfig}
          transparent={false}
          width={width}
          height={height}
          renderCounter={0}
          eventBus={eventBus}
          replaceVariables={replaceVariables}
          onOptionsChange={() => undefined}
          onFieldConfigChange={() => undefined}
          onChangeTimeRange={onChangeTimeRange}
        />
      );
    }
  }
}

function NoData() {
  return <div style={{ display: 'flex', height: '100%', alignItems: 'center', justifyContent: 'center', opacity: 0.7 }}>No data</div>;
}

interface BarGaugeProps {
  frames: DataFrame[];
  options: Record<string, any>;
  fieldConfig: FieldConfigSource;
  width: number;
  height: number;
  replaceVariables: InterpolateFunction;
}

/** Grafana's bar gauge panel: one bar per value from getFieldDisplayValues, laid out by VizRepeater. */
function BarGauges({ frames, options, fieldConfig, width, height, replaceVariables }: BarGaugeProps) {
  const theme = useTheme2();
  const orientation = (options.orientation as VizOrientation) ?? VizOrientation.Horizontal;
  const getValues = (): FieldDisplay[] =>
    getFieldDisplayValues({
      fieldConfig,
      reduceOptions: { calcs: [], values: false, ...(options.reduceOptions ?? {}) },
      replaceVariables,
      theme,
      data: frames,
      timeZone: 'utc',
    });
  const values = getValues();
  if (frames.every((f) => f.length === 0) || values.every((v) => v.display.numeric === undefined || Number.isNaN(v.display.numeric))) {
    return <NoData />;
  }
  return (
    <VizRepeater<FieldDisplay, ReturnType<typeof getDisplayValueAlignmentFactors>>
      source={frames}
      getValues={getValues}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderValue={({ value, width: w, height: h, alignmentFactors, count }) => (
        <BarGauge
          value={value.display}
          width={w}
          height={h}
          theme={theme}
          field={value.field}
          orientation={orientation}
          text={options.text}
          displayMode={(options.displayMode as BarGaugeDisplayMode) ?? BarGaugeDisplayMode.Gradient}
          showUnfilled={options.showUnfilled !== false}
          valueDisplayMode={options.valueMode}
          namePlacement={options.namePlacement}
          alignmentFactors={count > 1 ? alignmentFactors : undefined}
          isOverflow={false}
        />
      )}
      width={width}
      height={height}
      renderCounter={0}
      orientation={orientation}
      itemSpacing={8}
      minVizHeight={options.minVizHeight ?? 16}
      minVizWidth={options.minVizWidth ?? 8}
      maxVizHeight={options.maxVizHeight ?? 300}
    />
  );
}
