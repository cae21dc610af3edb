/** Grafana unit ids that are already per second (bits/s, packets/s, …) apart from the "…ps" family. */
const RATE_UNITS = new Set(['KBs', 'MBs', 'GBs', 'TBs', 'PBs', 'KiBs', 'MiBs', 'GiBs', 'TiBs', 'PiBs', 'Kbits', 'Mbits', 'Gbits', 'Tbits', 'Pbits']);

/**
 * Whether a field's unit is a rate. Rates are averaged when buckets merge, volumes summed, so
 * knowing this keeps the volume ratio right when A and B come at different bucket sizes.
 */
export function isRateUnit(unit?: string): boolean {
  if (!unit) {
    return false;
  }
  return RATE_UNITS.has(unit) || /(ps|\/s|\/sec|persec|per second)$/i.test(unit.trim());
}
