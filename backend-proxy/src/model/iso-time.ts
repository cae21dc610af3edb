// One reading of ISO 8601 time text for queries and for every log format.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * ISO 8601 / RFC 3339 date or date-time text → epoch ms, or null. Strict where Date.parse is
 * lenient: no free text ("1" is not 2001, "May 5" is no time), no impossible dates (2026-02-30 is
 * not 2 March: a forensic timeline must not show times the log never said), and a time without
 * an offset is UTC, not the server's local time (the same text means the same instant on every
 * machine). Fractions beyond milliseconds (GCP writes nanoseconds) are cut.
 */
export function parseIsoTime(value: string): number | null {
  const m = ISO_TIME.exec(value);
  if (!m) return null;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const millis = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second! > 59) return null;
  const utc = new Date(0);
  utc.setUTCFullYear(year!, month! - 1, day!);
  utc.setUTCHours(hour!, minute!, second!, millis);
  // The day must exist in its month: Date rolls 02-30 over into March.
  if (utc.getUTCDate() !== day || utc.getUTCMonth() !== month! - 1) return null;
  const zone = m[8];
  let offsetMinutes = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0));
  }
  return utc.getTime() - offsetMinutes * 60_000;
}
