import { FieldConfigSource, PanelPlugin, PanelOptionsEditorBuilder, StandardEditorsRegistryItem } from '@grafana/data';
import { plugin as geoPlugin } from '../../src/panels/geo-topology/module';
import { DEFAULT_OPTIONS as GEO_DEFAULTS } from '../../src/panels/geo-topology/types';
import { plugin as correlationPlugin } from '../../src/panels/correlation/module';
import { DEFAULT_OPTIONS as CORRELATION_DEFAULTS } from '../../src/panels/correlation/types';
import type { PanelKind } from './presets';
import { installStandardFieldConfigs } from './runtime/fieldConfigs';

export const PANEL_CHOICES: Array<{ label: string; value: PanelKind }> = [
  { label: 'Table', value: 'table' },
  { label: 'Time series', value: 'timeseries' },
  { label: 'Geo topology', value: 'geo' },
  { label: 'Correlation', value: 'correlation' },
];

/** The FlowAtlas panel plugins, mounted from their real module.ts. */
export const PLUGINS: Partial<Record<PanelKind, PanelPlugin<any>>> = {
  geo: geoPlugin,
  correlation: correlationPlugin,
};

export const DEFAULT_PANEL_OPTIONS: Record<PanelKind, Record<string, unknown>> = {
  table: { showHeader: true },
  timeseries: { showLegend: true },
  geo: { ...GEO_DEFAULTS },
  correlation: { ...CORRELATION_DEFAULTS },
};

/**
 * Field defaults per panel, as Grafana would apply them. The FlowAtlas panels' come from their
 * own module.ts (`useFieldConfig` standard option defaults: the geo panel's bps unit and
 * percentage thresholds), so the playground shows what a Grafana panel would. @grafana/ui's
 * TimeSeries is Grafana's time series panel, whose defaults live in Grafana core: the few that
 * matter for drawing are stated here.
 */
export function fieldConfigFor(kind: PanelKind): FieldConfigSource {
  const plugin = PLUGINS[kind];
  if (plugin) {
    installStandardFieldConfigs();
    const { defaults, overrides } = plugin.fieldConfigDefaults;
    return { defaults: { ...defaults }, overrides: [...overrides] };
  }
  if (kind === 'timeseries') {
    return {
      defaults: {
        color: { mode: 'palette-classic' },
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false, axisPlacement: 'auto', lineInterpolation: 'linear' },
      },
      overrides: [],
    };
  }
  return { defaults: {}, overrides: [] };
}

export interface OptionItem {
  path: string;
  name: string;
  description?: string;
  category?: string[];
  settings?: unknown;
  showIf?: (options: any, data?: unknown) => boolean | undefined;
  editor: StandardEditorsRegistryItem['editor'];
}

/** The option items a panel's `setPanelOptions` builds (needs installOptionEditors() first). */
export function optionItems(kind: PanelKind): OptionItem[] {
  const plugin = PLUGINS[kind];
  if (!plugin) {
    return [];
  }
  const builder = new PanelOptionsEditorBuilder<any>();
  plugin.getPanelOptionsSupplier()(builder, { data: [] } as never);
  return builder.getItems() as unknown as OptionItem[];
}
