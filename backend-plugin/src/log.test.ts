import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLogLine, goTimestamp } from './log';

test('log lines are the JSON go-plugin parses, with a six-digit fraction in @timestamp', () => {
  const at = new Date('2026-01-05T10:00:00.123Z');
  assert.equal(goTimestamp(at), '2026-01-05T10:00:00.123000Z');
  const line = formatLogLine('warn', 'query failed', { refId: 'A' }, at);
  assert.ok(line.endsWith('\n'));
  assert.deepEqual(JSON.parse(line), { '@level': 'warn', '@message': 'query failed', '@timestamp': '2026-01-05T10:00:00.123000Z', refId: 'A' });
});
