/** Inputs of the golden compiler tests (compile.test.ts holds the expected SQL and parameters). */
import type { PlanContext } from './types.js';

const H = 3_600_000;
export const T0 = Date.UTC(2026, 0, 5);

export const goldenContext: PlanContext = {
  timescale: true,
  now: T0 + 24 * H,
  rollups: [
    { name: 'flows_1m', bucketMs: 60_000, oldestMs: T0 - 7 * 24 * H },
    { name: 'flows_1h', bucketMs: H, oldestMs: T0 - 30 * 24 * H },
  ],
  sites: [],
  limits: { maxRows: 100_000, maxSeries: 100, maxTopN: 100 },
};

export const plainContext: PlanContext = { ...goldenContext, timescale: false, rollups: [] };

/** TimescaleDB with the narrow geography levels (migrations 009 and 010) as well. */
export const geoContext: PlanContext = {
  ...goldenContext,
  rollups: [
    ...goldenContext.rollups,
    { name: 'flows_geo_1m', bucketMs: 60_000, oldestMs: T0 - 7 * 24 * H },
    { name: 'flows_geo_5m', bucketMs: 300_000, oldestMs: T0 - 7 * 24 * H },
  ],
};

/** Plain PostgreSQL with the proxy's rollup stores, materialized up to 10:37 (minutes) / 10:00 (hours) on day T0. */
export const storeContext: PlanContext = {
  ...goldenContext,
  timescale: false,
  rollups: [
    { name: 'flows_1m', bucketMs: 60_000, oldestMs: T0 - 7 * 24 * H, store: { relation: 'flows_1m_store', untilMs: T0 + 10 * H + 37 * 60_000 } },
    { name: 'flows_1h', bucketMs: H, oldestMs: T0 - 30 * 24 * H, store: { relation: 'flows_1h_store', untilMs: T0 + 10 * H } },
  ],
};

/** Plain PostgreSQL with every store: narrow minutes up to 10:37, narrow five minutes up to 10:35. */
export const geoStoreContext: PlanContext = {
  ...storeContext,
  rollups: [
    ...storeContext.rollups,
    { name: 'flows_geo_1m', bucketMs: 60_000, oldestMs: T0 - 7 * 24 * H, store: { relation: 'flows_geo_1m_store', untilMs: T0 + 10 * H + 37 * 60_000 } },
    { name: 'flows_geo_5m', bucketMs: 300_000, oldestMs: T0 - 7 * 24 * H, store: { relation: 'flows_geo_5m_store', untilMs: T0 + 10 * H + 35 * 60_000 } },
  ],
};

export const goldenCases: { name: string; ctx: PlanContext; body: Record<string, unknown> }[] = [
  {
    name: 'skeleton: top ssh sources of the jump host (flat filters, raw because of addresses)',
    ctx: goldenContext,
    body: {
      from: '2026-01-05T00:00:00Z', to: '2026-01-05T06:00:00Z', mode: 'table', metric: 'flows',
      dimensions: ['src_ip', 'src_country'],
      filters: [
        { dimension: 'dst_port', op: '=', values: [22] },
        { dimension: 'dst_ip', op: '=', values: ['10.10.1.4'] },
        { dimension: 'src_ip', op: 'cidr', values: ['10.0.0.0/8', '172.16.0.0/12'], exclude: true },
      ],
      topN: 10,
    },
  },
  {
    name: 'every operator, negations and nested groups',
    ctx: plainContext,
    body: {
      from: T0, to: T0 + H, metric: 'packets', dimensions: ['protocol'], topN: 3,
      filters: {
        op: 'or',
        rules: [
          { dimension: 'src_port', op: '<', values: [1024] },
          { dimension: 'dst_port', op: '>=', values: ['8000'] },
          { dimension: 'action', op: '!=', values: ['deny'] },
          { dimension: 'application', op: 'not_in', values: ['ssh', 'https'] },
          { op: 'and', not: true, rules: [
            { dimension: 'rule', op: 'like', values: ['Deny%'] },
            { dimension: 'rule', op: 'not_like', values: ['%Vnet%', '%Lb%'] },
            { dimension: 'mac', op: 'exists', values: [] },
            { dimension: 'src_as_name', op: 'exists', values: [], not: true },
          ] },
          { dimension: 'dst_ip', op: 'not_cidr', values: ['2001:db8::/32'] },
          { dimension: 'protocol', op: 'in', values: ['tcp', 'icmp', '47'] },
          { dimension: 'src_inside', op: '=', values: ['outside'] },
          { dimension: 'src_ip/24', op: '=', values: ['10.1.2.0/24'] },
        ],
      },
    },
  },
  {
    name: 'filterText, time series, bidirectional with Other (raw: address filter)',
    ctx: goldenContext,
    body: {
      from: '2026-01-05T00:00:00Z', to: '2026-01-05T06:00:00Z', mode: 'timeseries', metric: 'bits_per_second',
      dimensions: ['application'], topN: 5, intervalMs: 300_000, bidirectional: true, other: true,
      filterText: 'not src_ip cidr 10.0.0.0/8 and (src_country in (CN, RU) or action = deny)',
    },
  },
  {
    name: 'scan detection: unique destination ports per inside host, with Other (row membership path)',
    ctx: goldenContext,
    body: {
      from: T0, to: T0 + H, mode: 'timeseries', metric: 'unique_dst_ports', dimensions: ['dst_ip'], topN: 3, other: true,
      intervalMs: 60_000, filterText: 'src_ip = 10.10.1.4 and dst_inside = inside and not dst_ip = 203.0.113.9',
    },
  },
  {
    name: 'time series by site on the 1h rollup (step 2h)',
    ctx: goldenContext,
    body: { from: T0 + 1234, to: T0 + 24 * H - 1, mode: 'timeseries', metric: 'bytes', dimensions: ['dst_site'], topN: 3, maxDataPoints: 12 },
  },
  {
    name: 'no dimensions: one total, and its reverse twin',
    ctx: goldenContext,
    body: { from: T0, to: T0 + H, metric: 'packets_per_second', bidirectional: true, filters: [{ dimension: 'src_site', op: '=', values: ['azure-eastus'] }] },
  },
  {
    name: 'table p95 of the per-bucket rate on the 1h rollup',
    ctx: goldenContext,
    body: { from: T0, to: T0 + 6 * H, metric: 'bits_per_second', aggregation: 'p95', dimensions: ['dst_site'], maxDataPoints: 6 },
  },
  {
    name: 'table avg and max',
    ctx: plainContext,
    body: { from: T0, to: T0 + 6 * H, metric: 'unique_dst_ports', aggregation: 'max', dimensions: ['src_ip'], topN: 5, intervalMs: 600_000 },
  },
  {
    name: 'stitched range: 1h middle, 1m and raw edges',
    ctx: goldenContext,
    body: { from: T0 + 17 * 60_000 + 23_000, to: T0 + 3 * H + 42 * 60_000 + 10_000, metric: 'bytes_per_flow', dimensions: ['application'], topN: 5 },
  },
  {
    name: 'prefix dimensions, bidirectional table',
    ctx: plainContext,
    body: { from: T0, to: T0 + H, metric: 'bytes', dimensions: ['src_ip/24', 'dst_ip/64'], topN: 20, bidirectional: true },
  },
  {
    name: 'topology by country on the 1h rollup',
    ctx: goldenContext,
    body: { from: T0, to: T0 + 24 * H, mode: 'topology', level: 'country', metric: 'bytes', filters: [{ dimension: 'action', op: '=', values: ['allow'] }] },
  },
  {
    name: 'plain PostgreSQL stores: bidirectional series by site, stored minutes then raw rows after the watermark',
    ctx: storeContext,
    body: { from: T0 + 8 * H, to: T0 + 11 * H, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], bidirectional: true, topN: 5, intervalMs: 300_000 },
  },
  {
    name: 'plain PostgreSQL stores: table total stitched from stored hours, stored minutes and raw rows',
    ctx: storeContext,
    body: { from: T0 + 7 * H + 30 * 60_000, to: T0 + 11 * H, metric: 'bytes', dimensions: ['application'], topN: 5 },
  },
  {
    name: 'geography level: bidirectional series by site in 5-minute steps reads the narrow five-minute rollup',
    ctx: geoContext,
    body: { from: T0, to: T0 + 24 * H, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], bidirectional: true, topN: 5, maxDataPoints: 288 },
  },
  {
    name: 'geography level: 2-minute steps, which five-minute buckets do not tile, read the narrow minute rollup',
    ctx: geoContext,
    body: { from: T0, to: T0 + 6 * H, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], bidirectional: true, topN: 5, intervalMs: 120_000 },
  },
  {
    name: 'geography level: topology over an unaligned range, whole hours from flows_1h, then five-minute, minute and raw edges',
    ctx: geoContext,
    body: { from: T0 + 7 * 60_000 + 30_000, to: T0 + 3 * H + 22 * 60_000 + 30_000, mode: 'topology', level: 'site', metric: 'bytes' },
  },
  {
    name: 'plain PostgreSQL stores: series by site, stored five minutes, then stored narrow minutes, then raw rows after the watermarks',
    ctx: geoStoreContext,
    body: { from: T0 + 8 * H, to: T0 + 11 * H, mode: 'timeseries', metric: 'bits_per_second', dimensions: ['src_site'], topN: 5, intervalMs: 300_000 },
  },
  {
    name: 'geography level: a service dimension needs the full minute level',
    ctx: geoContext,
    body: { from: T0, to: T0 + 24 * H, mode: 'timeseries', metric: 'bytes', dimensions: ['src_site', 'application'], topN: 5, maxDataPoints: 288 },
  },
  {
    name: 'data leaving a country, any estate: crosses_border filter (a boolean parameter) and dimension, from the hourly rollup',
    ctx: geoContext,
    body: { from: T0, to: T0 + 6 * H, metric: 'bits_per_second', dimensions: ['src_site', 'src_country', 'crosses_border'], filterText: 'src_inside = inside and crosses_border = yes', topN: 5 },
  },
  {
    name: 'crosses_border is its own reverse twin: bidirectional series on the narrow five-minute level, unknown crossings kept by !=',
    ctx: geoContext,
    body: { from: T0, to: T0 + 24 * H, mode: 'timeseries', metric: 'bytes', dimensions: ['crosses_border'], filters: [{ dimension: 'crosses_border', op: '!=', values: ['false'] }], bidirectional: true, topN: 3, maxDataPoints: 288 },
  },
  {
    name: 'topology with the top applications of each direction: a second statement on the same rows, off the narrow levels (they keep no application)',
    ctx: geoContext,
    body: { from: T0, to: T0 + 6 * H, mode: 'topology', level: 'site', metric: 'bits_per_second', topApplications: true, filters: [{ dimension: 'src_inside', op: '=', values: ['inside'] }] },
  },
];
