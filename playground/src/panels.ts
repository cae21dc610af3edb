import { FieldConfigSource, PanelPlugin, PanelOptionsEditorBuilder, StandardEditorsRegistryItem } from '@grafana/data';
import { plugin as geoPlugin } from '../../src/panels/geo-topology/module';
import { DEFAULT_OPTIONS as GEO_DEFAULTS } from '../../src/panels/geo-topology/types';
import { plugin as correlationPlugin } from '../../src/panels/correlation/module';
import { DEFAULT_OPTIONS as CORRELATION_DEFAULTS } from '../../src/panels/correlation/types';
import type { PanelKind } from './presets';

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
 * Field defaults per panel. In Grafana they come from each plugin's field config registry, which
 * needs core's standard option editors; the playground states the few that matter for drawing.
 */
export function fieldConfigFor(kind: PanelKind): FieldConfigSource {
  switch (kind) {
    case 'timeseries':
      return {
        defaults: {
          color: { mode: 'palette-classic' },
          custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never', spanNulls: false, axisPlacement: 'auto', lineInterpolation: 'linear' },
        },
        overrides: [],
      };
    case 'geo':
      return {
        defaults: {
          unit: 'decbytes',
          thresholds: {
            mode: 'percentage' as never,
            steps: [
              { value: -Infinity, color: 'green' },
              { value: 50, color: 'yellow' },
              { value: 80, color: 'red' },
            ],
          },
        },
        overrides: [],
      };
    default:
      return { defaults: {}, overrides: [] };
  }
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
