import { standardTransformers, standardTransformersRegistry, TransformerRegistryItem } from '@grafana/data';

/**
 * Grafana core fills standardTransformersRegistry (with editors) at start-up; transformDataFrame
 * looks transformations up there by id. Outside Grafana it is empty: register @grafana/data's own
 * transformers, without editors. Used by the playground (which never edits a transformation) and
 * by tests that apply a dashboard panel's transformations.
 */
export function installTransformers(): void {
  // Deprecated aliases (seriesToColumns) are the same transformer under a second key: once each.
  const unique = [...new Map(Object.values(standardTransformers).map((t) => [t.id, t])).values()];
  standardTransformersRegistry.setInit(() =>
    unique.map((t): TransformerRegistryItem<any> => ({ id: t.id, name: t.name, description: t.description, transformation: t, editor: () => null }))
  );
}
