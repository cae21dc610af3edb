// force timezone to UTC to allow tests to work regardless of local timezone
// generally used by snapshots, but can affect specific tests
process.env.TZ = 'UTC';

const { grafanaESModules, nodeModulesToTransform } = require('./.config/jest/utils');

module.exports = {
  // Jest configuration provided by Grafana scaffolding
  ...require('./.config/jest.config'),
  // The d3 modules (d3-geo, d3-array, …) and their helpers ship ESM only; the panels import them directly.
  transformIgnorePatterns: [
    nodeModulesToTransform([...grafanaESModules, 'd3-[a-z-]+', 'internmap', 'delaunator', 'robust-predicates', 'topojson-client']),
  ],
  // the playground's pure modules are tested beside them too
  testMatch: [...require('./.config/jest.config').testMatch, '<rootDir>/playground/src/**/*.test.{ts,tsx}'],
  // editor tests render real @grafana/ui components; on a 2-core CI runner the first test of a file
  // also pays for loading them
  testTimeout: 30000,
};
