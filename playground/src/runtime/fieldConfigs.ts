import {
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  FieldConfigPropertyItem,
  FieldType,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  ThresholdsMode,
  valueMappingsOverrideProcessor,
} from '@grafana/data';
import { installOptionEditors } from './optionEditors';

/**
 * Grafana core registers the standard field options (unit, min, max, decimals, display name,
 * colour, no value, links, value mappings, thresholds) in @grafana/data's
 * standardFieldConfigEditorRegistry. A panel plugin's `useFieldConfig({ standardOptions })`
 * builds its field config registry from that list, so only with it filled does
 * `plugin.fieldConfigDefaults` carry the plugin's own defaults (the geo panel's bps unit and
 * percentage thresholds), and applyFieldOverrides apply them as Grafana does.
 * Ids, paths and defaults follow Grafana's; the editors are the playground's (never drawn here).
 */
type Item = FieldConfigPropertyItem<any, any, any>;

const CATEGORY = ['Standard options'];
const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;

function item(id: string, editorId: string, process: Item['process'], extra: Partial<Item> = {}): Item {
  const editor = standardEditorsRegistry.get(editorId).editor as Item['editor'];
  return { id, path: id, name: id, editor, override: editor, process, shouldApply: () => true, category: CATEGORY, settings: {}, ...extra };
}

let installed = false;

export function installStandardFieldConfigs(): void {
  if (installed) {
    return;
  }
  installed = true;
  installOptionEditors();
  standardFieldConfigEditorRegistry.setInit(() => [
    item('unit', 'unit', stringOverrideProcessor),
    item('min', 'number', numberOverrideProcessor, { shouldApply: isNumber }),
    item('max', 'number', numberOverrideProcessor, { shouldApply: isNumber }),
    item('decimals', 'number', numberOverrideProcessor, { shouldApply: isNumber }),
    item('displayName', 'text', displayNameOverrideProcessor, { settings: { expandTemplateVars: true } }),
    item('color', 'color', identityOverrideProcessor),
    item('noValue', 'text', stringOverrideProcessor),
    item('links', 'text', dataLinksOverrideProcessor),
    item('mappings', 'text', valueMappingsOverrideProcessor, { defaultValue: [], shouldApply: (f) => f.type !== FieldType.time }),
    item('thresholds', 'text', thresholdsOverrideProcessor, {
      defaultValue: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
    }),
  ]);
}
