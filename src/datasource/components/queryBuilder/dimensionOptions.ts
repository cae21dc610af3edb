import { SelectableValue } from '@grafana/data';
import { DimensionInfo } from '../../../shared/flowQuery';

/** Category headings in the order operators look for them. */
export const CATEGORY_ORDER = ['addresses', 'ports & apps', 'geography', 'cloud & sites', 'firewall', 'other'];

/** Used when the proxy does not send a category for a dimension. */
function guessCategory(name: string): string {
  if (/ip|asn|as_name|mac|prefix|inside/.test(name)) {
    return 'addresses';
  }
  if (/port|protocol|application|tcp_flags/.test(name)) {
    return 'ports & apps';
  }
  if (/country|region|city|continent/.test(name)) {
    return 'geography';
  }
  if (/site|provider|account|vpc|subnet|instance|cloud/.test(name)) {
    return 'cloud & sites';
  }
  if (/action|rule|resource|direction|flow_state|source_type|encryption/.test(name)) {
    return 'firewall';
  }
  return 'other';
}

/** Select options grouped by category (react-select nested `options`), labels from the proxy. */
export function groupedDimensionOptions(dimensions: DimensionInfo[]): Array<SelectableValue<string>> {
  const groups = new Map<string, Array<SelectableValue<string>>>();
  for (const d of dimensions) {
    const category = (d.category ?? guessCategory(d.name)).toLowerCase();
    const list = groups.get(category) ?? [];
    list.push({ label: d.label || d.name, value: d.name, description: d.name });
    groups.set(category, list);
  }
  const rank = (c: string) => (CATEGORY_ORDER.includes(c) ? CATEGORY_ORDER.indexOf(c) : CATEGORY_ORDER.length);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([category, options]) => ({ label: category.charAt(0).toUpperCase() + category.slice(1), options }));
}

export function dimensionLabel(dimensions: DimensionInfo[], name: string): string {
  return dimensions.find((d) => d.name === name)?.label ?? name;
}
