import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GcpBodyParser, GCP_STREAM_KEYS, parseGcpVpc } from './gcp-vpc.js';
import { JsonRecordReader } from './json-records.js';
import { JsonBodyError } from '../json-body.js';
import { fixtureText, NOW } from './test-fixtures.js';

const opts = { nowMs: NOW, source: 'gcp.json' };
const counts = (r: { rows: unknown[]; errors: unknown[]; skipped: number }) => [r.rows.length, r.errors.length, r.skipped];

const vm = (name: string) => ({ project_id: 'proj', vm_name: name, region: 'europe-west1', zone: 'europe-west1-b' });
const vpc = { project_id: 'proj', vpc_name: 'prod', subnetwork_name: 'app', subnetwork_region: 'europe-west1' };
function entry(reporter: 'SRC' | 'DEST', overrides: Record<string, unknown> = {}, connection: Record<string, unknown> = {}) {
  return {
    insertId: 'x',
    jsonPayload: {
      reporter,
      connection: { src_ip: '10.0.0.2', dest_ip: '10.0.0.3', src_port: 45000, dest_port: 5432, protocol: 6, ...connection },
      bytes_sent: '123456',
      packets_sent: '789',
      start_time: '2026-03-01T10:00:00.123456789Z',
      end_time: '2026-03-01T10:00:05.5Z',
      src_instance: vm('app-1'),
      dest_instance: vm('db-1'),
      src_vpc: vpc,
      dest_vpc: vpc,
      ...overrides,
    },
    resource: { type: 'gce_subnetwork', labels: { project_id: 'proj', subnetwork_name: 'app', location: 'europe-west1-b' } },
    timestamp: '2026-03-01T10:00:10Z',
  };
}

test('fixture: DEST reporter with src_location, dest_vpc, int64 strings', () => {
  const r = parseGcpVpc(fixtureText('gcp-vpc/otel-dest-reporter-rtt-vpc-flow-logs-config.json'), opts);
  assert.deepEqual(counts(r), [1, 0, 0]);
  const row = r.rows[0];
  assert.deepEqual([row.srcIp, row.dstIp, row.srcPort, row.dstPort, row.protocol, row.bytes, row.packets], ['203.0.113.5', '192.0.2.5', 45004, 22, 6, 11590, 90]);
  assert.deepEqual([row.startMs, row.endMs], [Date.parse('2025-09-27T21:13:15.686Z'), Date.parse('2025-09-27T21:13:15.943Z')]);
  assert.deepEqual([row.direction, row.action, row.flows, row.initiated, row.sourceType], ['inbound', 'allow', 1, true, 'gcp-vpc']);
  assert.deepEqual([row.account, row.vpc, row.subnet, row.instance, row.cloudRegion, row.resource], ['test-project-id', 'default', 'default', 'service-integration-dev-idc-ubuntu25-4', 'asia-south1', 'joe-test-flow-logs-default']);
  // "ind" (ISO alpha-3) → IN.
  assert.deepEqual(row.hints, { srcCountry: 'IN', srcAsn: 24560, dstRegion: 'asia-south1', dstProvider: 'gcp' });
});

test('fixture: ICMP without port keys, SRC reporter, dest location', () => {
  const r = parseGcpVpc(fixtureText('gcp-vpc/otel-internet-routing-icmp-no-ports.json'), opts);
  assert.deepEqual(counts(r), [1, 0, 0]);
  const row = r.rows[0];
  assert.deepEqual([row.srcIp, row.dstIp, row.protocol, row.srcPort, row.dstPort, row.packets, row.bytes], ['192.0.2.6', '203.0.113.6', 1, null, null, 20, 800]);
  assert.deepEqual([row.direction, row.instance, row.flows, row.initiated], ['outbound', 'service-integration-dev-idc-ubuntu25-4', 1, null]);
  assert.equal(row.hints?.dstCountry, 'US');
  assert.equal(row.hints?.dstAsn, 14618);
});

test('the same VM-to-VM flow reported by SRC and DEST is counted once', () => {
  const r = parseGcpVpc(JSON.stringify([entry('SRC'), entry('DEST', { bytes_sent: '120000' })]), opts);
  assert.deepEqual(counts(r), [1, 0, 1]);
  assert.deepEqual([r.rows[0].bytes, r.rows[0].packets, r.rows[0].instance, r.rows[0].direction], [123456, 789, 'app-1', 'outbound']);
  // A DEST report whose sender is not a GCP VM is the only report: kept.
  const external = entry('DEST', { src_instance: undefined }, { src_ip: '198.51.100.9' });
  assert.deepEqual(counts(parseGcpVpc(JSON.stringify(external), opts)), [1, 0, 0]);
  // 'all' keeps both.
  assert.deepEqual(counts(parseGcpVpc(JSON.stringify([entry('SRC'), entry('DEST')]), { ...opts, reporters: 'all' })), [2, 0, 0]);
});

test('byte and packet counts as strings or numbers; bad ones rejected', () => {
  const r = parseGcpVpc(JSON.stringify([entry('SRC', { bytes_sent: 42, packets_sent: '3' }), entry('SRC', { bytes_sent: '12x' })]), opts);
  assert.deepEqual(counts(r), [1, 1, 0]);
  assert.deepEqual([r.rows[0].bytes, r.rows[0].packets], [42, 3]);
  assert.deepEqual([r.errors[0].record, r.errors[0].field], [2, 'jsonPayload.bytes_sent']);
});

test('keys are case-sensitive: Connection / SRC_IP are not recognised', () => {
  const upper = entry('SRC');
  const p = upper.jsonPayload as Record<string, unknown>;
  p.Connection = p.connection;
  delete p.connection;
  const lowerIp = entry('SRC');
  const c = (lowerIp.jsonPayload as { connection: Record<string, unknown> }).connection;
  c.SRC_IP = c.src_ip;
  delete c.src_ip;
  const r = parseGcpVpc(JSON.stringify([upper, lowerIp, entry('SRC')]), opts);
  assert.deepEqual(counts(r), [1, 2, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[1, 'jsonPayload.connection'], [2, 'jsonPayload.connection.src_ip']]);
});

test('IPv6, NDJSON with line numbers, streamed byte by byte, bad JSON line kept apart', () => {
  const v6 = entry('SRC', {}, { src_ip: '2001:db8::2', dest_ip: '2001:db8::3' });
  const text = `${JSON.stringify(v6)}\nnot json\n\n${JSON.stringify(entry('SRC', { start_time: '1970-01-01T00:00:01Z' }))}\n${JSON.stringify(entry('SRC', { start_time: '2030-01-01T00:00:00Z' }))}\n`;
  const r = parseGcpVpc(text, opts);
  assert.deepEqual(counts(r), [1, 3, 0]);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].dstIp], ['2001:db8::2', '2001:db8::3']);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field ?? null]), [[2, null], [4, 'jsonPayload.start_time'], [5, 'jsonPayload.start_time']]);
  assert.match(r.errors[0].reason, /malformed JSON at byte offset \d+ \(line 2\)/);
  assert.match(r.errors[1].reason, /before 2000/);
  assert.match(r.errors[2].reason, /future/);
  // The same body one byte at a time: the same answer.
  const parser = new GcpBodyParser(opts);
  const reader = new JsonRecordReader(GCP_STREAM_KEYS, parser);
  for (const byte of Buffer.from(text)) reader.push(Buffer.from([byte]));
  reader.end();
  const streamed = parser.take();
  assert.deepEqual(counts(streamed), [1, 3, 0]);
  assert.deepEqual(streamed.errors.map((e) => e.record), [2, 4, 5]);
});

test('entries.list response wrapper and invalid pretty JSON', () => {
  assert.deepEqual(counts(parseGcpVpc(JSON.stringify({ entries: [entry('SRC'), entry('SRC')] }), opts)), [2, 0, 0]);
  // Nothing readable at all: the body is refused (HTTP 400) with where it broke.
  assert.throws(() => parseGcpVpc('{\n  "jsonPayload": {\n', opts), (err: unknown) => err instanceof JsonBodyError && err.offset === 21 && /truncated/.test(err.message));
  // An array cut short keeps its complete entries and reports the cut as the next record.
  const cut = JSON.stringify([entry('SRC'), entry('SRC'), entry('SRC')]);
  const partial = parseGcpVpc(cut.slice(0, cut.length - 40), opts);
  assert.deepEqual(counts(partial), [2, 1, 0]);
  assert.equal(partial.errors[0].record, 3);
  assert.match(partial.errors[0].reason, /truncated/);
});

test('start_time must be an RFC 3339 time of a real date; an end_time in the future is rejected', () => {
  const r = parseGcpVpc(
    JSON.stringify([
      entry('SRC', { start_time: '2026-02-30T10:00:00Z' }), // Date.parse made it 2 March
      entry('SRC', { start_time: '1' }), // Date.parse made it 2001-01-01
      entry('SRC', { start_time: 'Mar 1 2026 10:00' }),
      entry('SRC', { end_time: '9999-01-01T00:00:00Z' }), // was stored as the row's end
      entry('SRC'),
    ]),
    opts,
  );
  assert.deepEqual(counts(r), [1, 4, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[1, 'jsonPayload.start_time'], [2, 'jsonPayload.start_time'], [3, 'jsonPayload.start_time'], [4, 'jsonPayload.end_time']]);
  assert.equal(r.errors[1]!.reason, 'not an RFC 3339 time: 1');
  assert.deepEqual([r.rows[0]!.startMs, r.rows[0]!.endMs], [Date.parse('2026-03-01T10:00:00.123Z'), Date.parse('2026-03-01T10:00:05.5Z')]);
});
