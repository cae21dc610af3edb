import { isIP } from 'node:net';

/** Shared field checks for every parser; each returns an error reason or null. */

export const EARLIEST_MS = Date.UTC(2000, 0, 1);
/** Clock skew we tolerate from devices before calling a timestamp "in the future". */
export const FUTURE_SLACK_MS = 24 * 3600 * 1000;

export function checkTime(ms: number, now: number): string | null {
  if (!Number.isFinite(ms)) return 'not a timestamp';
  if (ms < EARLIEST_MS) return `time ${new Date(ms).toISOString()} is before 2000`;
  if (ms > now + FUTURE_SLACK_MS) return `time ${new Date(ms).toISOString()} is in the future`;
  return null;
}

export function checkIp(value: string): string | null {
  return isIP(value) ? null : `"${value}" is not an IPv4 or IPv6 address`;
}

/** Parses a port: integer 0..65535. */
export function parsePort(value: string): number | null {
  if (!/^\d{1,5}$/.test(value)) return null;
  const n = Number(value);
  return n <= 65535 ? n : null;
}

/** Parses a non-negative integer counter; `empty` is what an empty string means (null = invalid). */
export function parseCounter(value: string, empty: number | null): number | null {
  if (value === '') return empty;
  if (!/^\d+$/.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

export function truncateRaw(raw: string, max = 1024): string {
  return raw.length > max ? `${raw.slice(0, max)}…` : raw;
}
