import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseIsoTime } from './iso-time.js';

test('ISO 8601 / RFC 3339 text: offsets, nanoseconds, leap days, and UTC whatever the server’s zone', () => {
  const zone = process.env.TZ;
  try {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      assert.equal(parseIsoTime('2026-12-04T10:00:00'), Date.UTC(2026, 11, 4, 10), tz);
      assert.equal(parseIsoTime('2026-12-04'), Date.UTC(2026, 11, 4), tz);
    }
  } finally {
    process.env.TZ = zone;
  }
  assert.equal(parseIsoTime('2026-12-04T10:00:00.123456789Z'), Date.UTC(2026, 11, 4, 10, 0, 0, 123));
  assert.equal(parseIsoTime('2026-12-04t10:00:00+05:30'), Date.UTC(2026, 11, 4, 4, 30));
  assert.equal(parseIsoTime('0001-01-01T00:00:00Z'), Date.parse('0001-01-01T00:00:00Z'));
  assert.equal(parseIsoTime('2000-02-29T00:00:00Z'), Date.UTC(2000, 1, 29));
  for (const bad of ['1', '2026', 'Dec 4 2026', '2026-02-29', '2100-02-29', '2026-04-31T00:00:00Z', '2026-12-04T25:00:00Z', '2026-12-04T10:00:00+5']) {
    assert.equal(parseIsoTime(bad), null, bad);
  }
});
