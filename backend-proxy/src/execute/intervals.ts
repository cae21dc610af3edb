/** Milliseconds of a "<number> <unit>" interval as the rollup options spell them (months = 30 days, years = 365). */
const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
  month: 30 * 86_400_000,
  year: 365 * 86_400_000,
};

export function intervalMs(text: string): number {
  const m = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(text.trim());
  if (!m) throw new Error(`invalid interval ${JSON.stringify(text)}: expected "<number> <unit>", e.g. "30 days"`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}
