export const testIds = {
  panel: 'flowatlas-geotopology-panel',
  overlay: 'flowatlas-geotopology-overlay',
  arcLayer: 'flowatlas-geotopology-arc-layer',
  node: (id: string) => `flowatlas-geotopology-node-${id}`,
  tooltip: 'flowatlas-geotopology-tooltip',
  card: 'flowatlas-geotopology-card',
  legend: 'flowatlas-geotopology-legend',
  links: 'flowatlas-geotopology-links',
  warnings: 'flowatlas-geotopology-warnings',
};
