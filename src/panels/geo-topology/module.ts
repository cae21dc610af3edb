import { FieldConfigProperty, PanelPlugin, ThresholdsMode } from '@grafana/data';
import { GeoTopologyPanel } from './components/GeoTopologyPanel';
import { DEFAULT_OPTIONS as D, FitMode, GeoTopologyOptions, ProjectionKind } from './types';

export const plugin = new PanelPlugin<GeoTopologyOptions>(GeoTopologyPanel)
  .useFieldConfig({
    standardOptions: {
      [FieldConfigProperty.Unit]: { defaultValue: 'bps' },
      // Percentages of the busiest arc, so the defaults make sense whatever the traffic volume.
      [FieldConfigProperty.Thresholds]: {
        defaultValue: {
          mode: ThresholdsMode.Percentage,
          steps: [
            { value: -Infinity, color: 'green' },
            { value: 50, color: 'yellow' },
            { value: 80, color: 'red' },
          ],
        },
      },
    },
    disableStandardOptions: [FieldConfigProperty.NoValue, FieldConfigProperty.Links, FieldConfigProperty.Mappings],
  })
  .setPanelOptions((builder) =>
    builder
      .addSelect({
        path: 'projection',
        name: 'Projection',
        category: ['Map'],
        defaultValue: D.projection,
        settings: {
          options: [
            { value: ProjectionKind.NaturalEarth, label: 'Natural Earth' },
            { value: ProjectionKind.Equirectangular, label: 'Equirectangular' },
            { value: ProjectionKind.Mercator, label: 'Mercator' },
          ],
        },
      })
      .addRadio({
        path: 'fit',
        name: 'Initial view',
        category: ['Map'],
        defaultValue: D.fit,
        settings: {
          options: [
            { value: FitMode.World, label: 'Whole world' },
            { value: FitMode.Nodes, label: 'Fit to places' },
          ],
        },
      })
      .addBooleanSwitch({ path: 'nocMode', name: 'NOC wall mode', description: 'Large labels, high contrast, no controls', category: ['Map'], defaultValue: D.nocMode })
      .addBooleanSwitch({ path: 'showLabels', name: 'Labels', category: ['Map'], defaultValue: D.showLabels })
      .addBooleanSwitch({ path: 'showLegend', name: 'Legend', category: ['Map'], defaultValue: D.showLegend })
      .addTextInput({
        path: 'nodeVariable',
        name: 'Variable set by a node click',
        description: 'Dashboard variable name (without $); a second click clears it',
        category: ['Drill-down'],
        defaultValue: D.nodeVariable,
      })
      .addTextInput({ path: 'srcVariable', name: 'Variable for the arc source', category: ['Drill-down'], defaultValue: D.srcVariable })
      .addTextInput({ path: 'dstVariable', name: 'Variable for the arc destination', category: ['Drill-down'], defaultValue: D.dstVariable })
      .addBooleanSwitch({
        path: 'animate',
        name: 'Animate traffic direction',
        description: 'Moving dashes; always off when the browser asks for reduced motion',
        category: ['Arcs'],
        defaultValue: D.animate,
      })
      .addBooleanSwitch({ path: 'markBorderCrossing', name: 'Mark arcs crossing a border', category: ['Arcs'], defaultValue: D.markBorderCrossing })
      .addColorPicker({
        path: 'borderColor',
        name: 'Border-crossing colour',
        category: ['Arcs'],
        defaultValue: D.borderColor,
        showIf: (o) => o.markBorderCrossing,
      })
      .addSliderInput({ path: 'curvature', name: 'Arc bend', category: ['Arcs'], defaultValue: D.curvature, settings: { min: 0.05, max: 0.5, step: 0.01 } })
      .addSliderInput({ path: 'maxArcWidth', name: 'Widest arc (px)', category: ['Arcs'], defaultValue: D.maxArcWidth, settings: { min: 2, max: 20, step: 1 } })
      .addSliderInput({ path: 'minNodeRadius', name: 'Smallest node (px)', category: ['Nodes'], defaultValue: D.minNodeRadius, settings: { min: 2, max: 20, step: 1 } })
      .addSliderInput({ path: 'maxNodeRadius', name: 'Largest node (px)', category: ['Nodes'], defaultValue: D.maxNodeRadius, settings: { min: 6, max: 40, step: 1 } })
      .addSliderInput({
        path: 'clusterRadius',
        name: 'Cluster distance (px)',
        description: 'Places closer than this on screen merge into a cluster that opens on click',
        category: ['Nodes'],
        defaultValue: D.clusterRadius,
        settings: { min: 0, max: 60, step: 1 },
      })
  );
