import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNdjson } from './ndjson.js';
import { NOW } from './test-fixtures.js';

const opts = { nowMs: NOW, source: 'flows.ndjson' };
const counts = (r: { rows: unknown[]; errors: unknown[]; skipped: number }) => [r.rows.length, r.errors.length, r.skipped];

test('full and minimal lines', () => {
  const full = {
    time: '2026-02-03T04:05:06.789Z', time_end: 1770091566789 + 1000, src_ip: '10.1.1.1', dst_ip: '203.0.113.9', src_port: 51000, dst_port: 22,
    protocol: 'tcp', direction: 'outbound', action: 'allow', flow_state: 'E', packets: '120', bytes: 9000, flows: 0, initiated: true,
    resource: 'fw-1', rule: 'allow-ssh', mac: '00:11:22:33:44:55', tcp_flags: 27, encryption: null, account: 'acct', vpc: 'v', subnet: 's',
    instance: 'jump-1', cloud_region: 'westeurope', src_site: 'hq', dst_country: 'DE', dst_asn: 3320, _comment: 'ignored',
  };
  const text = `${JSON.stringify(full)}\n{"time":1770091566,"src_ip":"2001:db8::1","dst_ip":"2001:db8::2","protocol":17}\n`;
  const r = parseNdjson(text, opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  const [a, b] = r.rows;
  assert.deepEqual([a.startMs, a.endMs, a.protocol, a.packets, a.bytes, a.flows, a.initiated], [1770091506789, 1770091567789, 6, 120, 9000, 0, true]);
  assert.deepEqual([a.flowState, a.resource, a.rule, a.mac, a.tcpFlags, a.instance, a.cloudRegion, a.sourceType], ['E', 'fw-1', 'allow-ssh', '00:11:22:33:44:55', 27, 'jump-1', 'westeurope', 'ndjson']);
  assert.deepEqual(a.hints, { srcSite: 'hq', dstCountry: 'DE', dstAsn: 3320 });
  // Defaults: epoch seconds accepted, counters 0, flows 1, unknown initiation.
  assert.deepEqual([b.startMs, b.srcIp, b.srcPort, b.packets, b.bytes, b.flows, b.initiated, b.direction], [1770091566000, '2001:db8::1', null, 0, 0, 1, null, null]);
});

test('bad lines are rejected with line and field; good lines kept', () => {
  const ok = '{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}';
  const lines = [
    ok,
    '{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6,"byte":5}',
    '{"time":"2026-01-01T00:00:00Z","Src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}',
    '{"time":"1970-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}',
    '{"time":"2099-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}',
    '{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"::1","protocol":6}',
    '{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":"bogus"}',
    '{"time":"2026-01-01T00:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6,"bytes":"12"}',
    '[1,2]',
    '{bad json',
    '',
  ];
  const r = parseNdjson(lines.join('\n'), opts);
  assert.deepEqual(counts(r), [2, 8, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field ?? null]), [[2, 'byte'], [3, 'Src_ip'], [4, 'time'], [5, 'time'], [6, 'dst_ip'], [7, 'protocol'], [9, null], [10, null]]);
  assert.equal(r.rows[1].bytes, 12);
  assert.equal(r.errors[0].source, 'flows.ndjson');
});

test('the docs/formats.md example parses as documented', async () => {
  const { readFile } = await import('node:fs/promises');
  const readme = await readFile(new URL('../../../../docs/formats.md', import.meta.url), 'utf8');
  const block = readme.slice(readme.indexOf('```json') + 7, readme.indexOf('```', readme.indexOf('```json') + 7));
  const r = parseNdjson(block, opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual(r.rows.map((x) => [x.srcIp, x.dstPort, x.bytes, x.flows, x.initiated, x.protocol]), [['198.51.100.23', 22, 6120, 1, true, 6], ['10.1.0.4', 51514, 52011, 0, false, 6]]);
});

test('resource_group is stored and site tenant/role are taken as hints', () => {
  const line = JSON.stringify({ time: '2026-01-01T00:00:00Z', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', protocol: 'tcp', resource_group: 'rg-a', src_tenant: 'contoso', dst_role: 'dmz' });
  const r = parseNdjson(line, { nowMs: Date.UTC(2026, 0, 2) });
  assert.equal(r.errors.length, 0, JSON.stringify(r.errors));
  assert.equal(r.rows[0]!.resourceGroup, 'rg-a');
  assert.deepEqual(r.rows[0]!.hints, { srcTenant: 'contoso', dstRole: 'dmz' });
});

test('time and time_end: impossible dates and loose text are rejected, time_end is range-checked as time is', () => {
  const line = (extra: Record<string, unknown>) => JSON.stringify({ time: '2026-11-30T10:00:00Z', src_ip: '10.0.0.1', dst_ip: '10.0.0.2', protocol: 6, ...extra });
  const r = parseNdjson(
    [
      line({}),
      line({ time: '2026-02-30T00:00:00Z' }), // Date.parse made it 2 March
      line({ time: '2026-11-30 garbage' }),
      line({ time_end: '9999-12-31T00:00:00Z' }), // was stored
      line({ time_end: 1e300 }), // was a 500 when the row was written
      line({ time: 1e300 }), // was a 500 in the future-time reason
      line({ time_end: '2026-11-30T10:01:00+01:00' }), // before time once the offset is applied
      line({ time: '2024-02-29T00:00:00Z', time_end: '2024-02-29 00:01:00Z' }),
    ].join('\n'),
    opts,
  );
  assert.deepEqual(
    r.errors.map((e) => [e.record, e.field]),
    [[2, 'time'], [3, 'time'], [4, 'time_end'], [5, 'time_end'], [6, 'time'], [7, 'time_end']],
  );
  assert.match(r.errors[2]!.reason, /9999-12-31T00:00:00.000Z is more than 1 day in the future/);
  assert.deepEqual(r.rows.map((row) => [row.startMs, row.endMs]), [[Date.UTC(2026, 10, 30, 10), Date.UTC(2026, 10, 30, 10)], [Date.UTC(2024, 1, 29), Date.UTC(2024, 1, 29, 0, 1)]]);
});

test('a UTF-8 byte order mark before the first line is not part of it', () => {
  const line = '{"time":"2026-11-30T10:00:00Z","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","protocol":6}';
  const r = parseNdjson(`\uFEFF${line}\n${line}\n`, opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  // Only at the start of the body: elsewhere it is a bad line as before.
  assert.deepEqual(parseNdjson(`${line}\n\uFEFF${line}\n`, opts).errors.map((e) => e.record), [2]);
});
