import { PanelPlugin } from '@grafana/data';

import { CorrelationPanel } from './components/CorrelationPanel';
import { ChartLayout, CorrelationPanelOptions, DEFAULT_OPTIONS, DirectionForA, SeriesSource } from './types';

const SERIES = 'Series A and B';
const STATS = 'Statistics';
const VERDICT = 'Verdict thresholds';
const LOOK = 'Display';

export const plugin = new PanelPlugin<CorrelationPanelOptions>(CorrelationPanel).useFieldConfig().setPanelOptions((builder) =>
  builder
    .addRadio({
      path: 'source',
      name: 'A and B come from',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.source,
      settings: {
        options: [
          { value: SeriesSource.Auto, label: 'Auto', description: 'Directions when a reverse (negative-Y) series is present' },
          { value: SeriesSource.Queries, label: 'Two queries' },
          { value: SeriesSource.Directions, label: 'Two directions' },
        ],
      },
    })
    .addTextInput({
      path: 'refIdA',
      name: 'Query for A',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.refIdA,
      showIf: (o) => o.source !== SeriesSource.Directions,
    })
    .addTextInput({
      path: 'refIdB',
      name: 'Query for B',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.refIdB,
      showIf: (o) => o.source !== SeriesSource.Directions,
    })
    .addTextInput({
      path: 'directionRefId',
      name: 'Bidirectional query',
      description: 'refId of the query whose directions are compared; empty = all queries',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.directionRefId,
      showIf: (o) => o.source !== SeriesSource.Queries,
    })
    .addRadio({
      path: 'directionForA',
      name: 'A is the',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.directionForA,
      settings: {
        options: [
          { value: DirectionForA.Forward, label: 'Forward direction' },
          { value: DirectionForA.Reverse, label: 'Reverse direction' },
        ],
      },
      showIf: (o) => o.source !== SeriesSource.Queries,
    })
    .addTextInput({
      path: 'seriesMatch',
      name: 'Only series named',
      description: 'Keep series whose name contains this text; otherwise all series of a query are summed',
      category: [SERIES],
      defaultValue: DEFAULT_OPTIONS.seriesMatch,
    })
    .addNumberInput({
      path: 'maxLag',
      name: 'Lag window (buckets)',
      description: 'Cross-correlation is searched from −N to +N buckets',
      category: [STATS],
      defaultValue: DEFAULT_OPTIONS.maxLag,
      settings: { min: 0, max: 500, integer: true },
    })
    .addNumberInput({
      path: 'spikeK',
      name: 'Spike threshold k',
      description: 'A bucket spikes above median + k × robust standard deviation (1.4826 × MAD)',
      category: [STATS],
      defaultValue: DEFAULT_OPTIONS.spikeK,
      settings: { min: 0.5, max: 20, step: 0.5 },
    })
    .addNumberInput({
      path: 'minPoints',
      name: 'Fewest buckets',
      description: 'Below this many buckets with data the panel says "not enough data"',
      category: [STATS],
      defaultValue: DEFAULT_OPTIONS.minPoints,
      settings: { min: 3, integer: true },
    })
    .addRadio({
      path: 'missing',
      name: 'Missing buckets',
      category: [STATS],
      defaultValue: DEFAULT_OPTIONS.missing,
      settings: {
        options: [
          { value: 'zero', label: 'No traffic (0)' },
          { value: 'gap', label: 'Unknown (skip)' },
        ],
      },
    })
    .addSliderInput({
      path: 'strongR',
      name: 'Strong correlation from r',
      category: [VERDICT],
      defaultValue: DEFAULT_OPTIONS.strongR,
      settings: { min: 0.5, max: 1, step: 0.01 },
    })
    .addSliderInput({
      path: 'weakR',
      name: 'Loose correlation from r',
      category: [VERDICT],
      defaultValue: DEFAULT_OPTIONS.weakR,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addSliderInput({
      path: 'volumeTolerance',
      name: 'Volumes match within',
      description: '|A − B| / max(A, B) up to this share counts as the same volume',
      category: [VERDICT],
      defaultValue: DEFAULT_OPTIONS.volumeTolerance,
      settings: { min: 0, max: 1, step: 0.01 },
    })
    .addRadio({
      path: 'layout',
      name: 'Layout',
      category: [LOOK],
      defaultValue: DEFAULT_OPTIONS.layout,
      settings: {
        options: [
          { value: ChartLayout.Mirrored, label: 'Mirrored (B below)' },
          { value: ChartLayout.Overlaid, label: 'Overlaid' },
        ],
      },
    })
    .addColorPicker({ path: 'colorA', name: 'Colour of A', category: [LOOK], defaultValue: DEFAULT_OPTIONS.colorA })
    .addColorPicker({ path: 'colorB', name: 'Colour of B', category: [LOOK], defaultValue: DEFAULT_OPTIONS.colorB })
    .addColorPicker({ path: 'spikeColor', name: 'Joint spike shading', category: [LOOK], defaultValue: DEFAULT_OPTIONS.spikeColor })
);
