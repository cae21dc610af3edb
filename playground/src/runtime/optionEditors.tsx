import React from 'react';
import { SelectableValue, StandardEditorProps, StandardEditorsRegistryItem, standardEditorsRegistry } from '@grafana/data';
import { ColorPicker, Input, RadioButtonGroup, Select, Slider, Switch } from '@grafana/ui';

/**
 * Grafana core fills @grafana/data's standardEditorsRegistry with its option editors; a plugin's
 * `setPanelOptions` builder looks them up by id. Outside Grafana the registry is empty, so the
 * playground registers small editors built from @grafana/ui for the ids FlowAtlas panels use.
 */
type Props = StandardEditorProps<any, any, any>;

interface ChoiceSettings {
  options?: Array<SelectableValue<unknown>>;
}

function NumberEditor({ value, onChange, item, id }: Props) {
  return (
    <Input
      id={id}
      type="number"
      defaultValue={value ?? ''}
      min={item.settings?.min}
      max={item.settings?.max}
      step={item.settings?.step}
      onBlur={(e) => {
        const n = Number(e.currentTarget.value);
        onChange(e.currentTarget.value === '' || Number.isNaN(n) ? undefined : n);
      }}
    />
  );
}

function SliderEditor({ value, onChange, item }: Props) {
  const s = item.settings ?? {};
  return <Slider min={s.min ?? 0} max={s.max ?? 100} step={s.step ?? 1} value={value ?? s.min ?? 0} onChange={onChange} />;
}

function TextEditor({ value, onChange, id }: Props) {
  return <Input id={id} defaultValue={value ?? ''} onBlur={(e) => onChange(e.currentTarget.value)} />;
}

function SelectEditor({ value, onChange, item, id }: Props) {
  const options = (item.settings as ChoiceSettings | undefined)?.options ?? [];
  return <Select inputId={id} options={options} value={value} onChange={(v) => onChange(v?.value)} />;
}

function RadioEditor({ value, onChange, item }: Props) {
  const options = (item.settings as ChoiceSettings | undefined)?.options ?? [];
  return <RadioButtonGroup size="sm" options={options} value={value} onChange={onChange} />;
}

function BooleanEditor({ value, onChange, id }: Props) {
  return <Switch id={id} value={Boolean(value)} onChange={(e) => onChange(e.currentTarget.checked)} />;
}

function ColorEditor({ value, onChange }: Props) {
  return <ColorPicker color={value ?? 'green'} onChange={onChange} />;
}

function editor(id: string, component: React.ComponentType<Props>): StandardEditorsRegistryItem {
  return { id, name: id, editor: component as StandardEditorsRegistryItem['editor'] };
}

let installed = false;

export function installOptionEditors(): void {
  if (installed) {
    return;
  }
  installed = true;
  standardEditorsRegistry.setInit(() => [
    editor('number', NumberEditor),
    editor('slider', SliderEditor),
    editor('text', TextEditor),
    editor('strings', TextEditor),
    editor('select', SelectEditor),
    editor('radio', RadioEditor),
    editor('boolean', BooleanEditor),
    editor('color', ColorEditor),
    editor('unit', TextEditor),
  ]);
}
