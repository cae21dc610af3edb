import { getValueFormat, getValueFormatterIndex, scaledUnits, ValueFormatter } from '@grafana/data';

/**
 * Grafana's `bps` scales small rates down to millibits ("24.3 mb/s" for 0.0243 b/s), which reads
 * as megabits. Flow rates below 1 b/s are common (a quiet host over three weeks), so FlowAtlas
 * formats bits/s with SI prefixes from the unit up only: "0.0243 b/s", "24.3 kb/s", "1.20 Gb/s".
 */
export const BITS_PER_SECOND = 'b/s';

const SI_UP = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

function siWithoutMilli(symbol: string): ValueFormatter {
  // offset 0 at the unit itself: scaledUnits clamps smaller magnitudes to it instead of going to m, µ, …
  return scaledUnits(1000, SI_UP.map((prefix) => ` ${prefix}${symbol}`));
}

/**
 * Adds the FlowAtlas unit to @grafana/data's value format index (the host's instance inside
 * Grafana), once. The id is also its own fallback: a Grafana without it (a snapshot viewed
 * before the data source loaded) prints the unknown id as a suffix, "24300 b/s", still right.
 */
export function registerFlowAtlasUnits(): void {
  const index = getValueFormatterIndex();
  if (!index[BITS_PER_SECOND]) {
    index[BITS_PER_SECOND] = siWithoutMilli('b/s');
  }
}

/** Proxy unit ids whose Grafana rendering misleads for flow data, and what the plugin shows instead. */
const BETTER_UNITS: Record<string, string> = {
  bps: BITS_PER_SECOND,
  // Grafana's cps reads "c/s"; these count units spell the thing out and never go below 1.
  cps: 'count:flows/s',
  pps: 'count:packets/s',
};

export function flowAtlasUnit(unit: string): string {
  return BETTER_UNITS[unit] ?? unit;
}

/** Formats a value as a panel would (tests and the playground check what operators read). */
export function formatWithUnit(value: number, unit: string, decimals?: number): string {
  const v = getValueFormat(unit)(value, decimals);
  return `${v.prefix ?? ''}${v.text}${v.suffix ?? ''}`;
}
