/**
 * Logging the way go-plugin reads it: one JSON object per stderr line with @level, @message and
 * @timestamp. Grafana re-logs such lines under the plugin's name; anything else lands as raw debug.
 */
export type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/** go-plugin parses @timestamp with Go's layout `2006-01-02T15:04:05.000000Z07:00` (six digits). */
export function goTimestamp(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function formatLogLine(level: Level, message: string, fields: Record<string, unknown> = {}, now = new Date()): string {
  return JSON.stringify({ '@level': level, '@message': message, '@timestamp': goTimestamp(now), ...fields }) + '\n';
}

export function log(level: Level, message: string, fields?: Record<string, unknown>): void {
  process.stderr.write(formatLogLine(level, message, fields));
}
