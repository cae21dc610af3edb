import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { createAwsVpcParser, parseAwsVpc, parseAwsCloudWatchEnvelope, parseAwsFormat, timeFromS3Key } from './aws-vpc.js';
import { decodeStream } from './gzip.js';
import { readLines } from './lines.js';
import { fixtureText, NOW } from './test-fixtures.js';

const opts = { nowMs: NOW, source: 'test.log' };
const counts = (r: { rows: unknown[]; errors: unknown[]; skipped: number }) => [r.rows.length, r.errors.length, r.skipped];

test('fixture: default v2 with IPv6, NODATA, SKIPDATA and ICMP', () => {
  const r = parseAwsVpc(fixtureText('aws-vpc/elastic-v2-default-ipv6-nodata-skipdata-icmp.log'), opts);
  assert.deepEqual(counts(r), [5, 0, 2]);
  const v6 = r.rows[0];
  assert.equal(v6.srcIp, '2001:db8:1234:a100:8d6e:3477:df66:f105');
  assert.equal(v6.dstIp, '2001:db8:1234:a102:3304:8879:34cf:4071');
  assert.deepEqual([v6.srcPort, v6.dstPort, v6.protocol, v6.packets, v6.bytes], [34892, 22, 6, 54, 8855]);
  assert.deepEqual([v6.startMs, v6.endMs], [1477913708000, 1477913820000]);
  assert.deepEqual([v6.action, v6.flowState, v6.account, v6.resource, v6.sourceType], ['allow', 'OK', '123456789010', 'eni-1235b8ca123456789', 'aws-vpc']);
  // Client (ephemeral → 22) opened it.
  assert.deepEqual([v6.flows, v6.initiated], [1, true]);
  const reject = r.rows[2];
  assert.deepEqual([reject.dstPort, reject.action], [3389, 'deny']);
  const icmp = r.rows[3];
  assert.deepEqual([icmp.protocol, icmp.srcPort, icmp.dstPort, icmp.packets, icmp.bytes], [1, 0, 0, 4, 336]);
});

test('fixture: custom 21-field header repeated before every record, tcp-flags', () => {
  const r = parseAwsVpc(fixtureText('aws-vpc/elastic-custom-header-repeated-tcpflags.log'), opts);
  assert.deepEqual(counts(r), [1, 0, 2]);
  const row = r.rows[0];
  assert.deepEqual([row.srcIp, row.dstIp, row.srcPort, row.dstPort], ['52.213.180.42', '10.0.0.62', 43416, 5001]);
  assert.deepEqual([row.protocol, row.bytes, row.packets, row.tcpFlags], [6, 568, 8, 2]);
  assert.deepEqual([row.vpc, row.subnet, row.instance, row.resource], ['vpc-abcdefab012345678', 'subnet-aaaaaaaa012345678', 'i-01234567890123456', 'eni-1235b8ca123456789']);
  // tcp-flags 2 = SYN only: this window opened the connection.
  assert.deepEqual([row.flows, row.initiated], [1, true]);
});

test('fixture: v5 all fields; its 9-digit start (1975) is rejected with the reason, the corrected record stored', () => {
  const text = fixtureText('aws-vpc/elastic-v5-all-fields-single-line.log');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [0, 1, 0]);
  assert.deepEqual([r.errors[0].record, r.errors[0].field], [1, 'start']);
  assert.equal(r.errors[0].reason, 'start 164000066: time 1975-03-14T03:34:26.000Z is before 2000-01-01');
  // The same record with its start fixed (the dead letter corrected by hand) maps every field.
  const fixed = parseAwsVpc(text.replace(' 164000066 ', ' 1640000066 '), opts);
  assert.deepEqual(counts(fixed), [1, 0, 0]);
  const row = fixed.rows[0];
  // pkt-dstaddr (10.200.0.80) wins over dstaddr (10.200.0.0).
  assert.deepEqual([row.srcIp, row.dstIp], ['89.160.20.156', '10.200.0.80']);
  assert.deepEqual([row.startMs, row.endMs], [1640000066000, 1640000297000]);
  assert.deepEqual([row.direction, row.action, row.cloudRegion, row.protocol, row.packets, row.bytes], ['inbound', 'deny', 'us-east-1', 17, 52, 1]);
  assert.deepEqual([row.vpc, row.subnet, row.instance, row.tcpFlags], ['vpc-09676f97xxxxxb8a7', 'subnet-02d645xxxxxxxdbc0', 'i-0axxxxxx1ad77', 1]);
});

test('fixture: Transit Gateway default layout, NODATA/SKIPDATA with counters are skipped', () => {
  const r = parseAwsVpc(fixtureText('aws-vpc/elastic-tgw-custom-ipv6-nodata-skipdata.log'), opts);
  assert.deepEqual(counts(r), [3, 0, 7]);
  const row = r.rows[0];
  assert.deepEqual([row.srcIp, row.dstIp, row.srcPort, row.dstPort, row.protocol], ['216.160.83.56', '89.160.20.128', 36721, 8080, 17]);
  assert.deepEqual([row.resource, row.account, row.vpc, row.direction, row.packets, row.bytes], ['tgw-attach-0123abcd', '748335378900', 'vpc-0abc1234', 'inbound', 13, 6842]);
});

test('fixture: header + 2 records without trailing newline', () => {
  const r = parseAwsVpc(fixtureText('aws-vpc/otel-v2-header-no-trailing-newline.log'), opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual([r.rows[1].srcIp, r.rows[1].dstIp, r.rows[1].dstPort, r.rows[1].action], ['172.31.9.69', '172.31.9.12', 3389, 'deny']);
});

test('fixture: too few fields is rejected with line, field and raw text', () => {
  const r = parseAwsVpc(fixtureText('aws-vpc/otel-invalid-too-few-fields.log'), opts);
  assert.deepEqual(counts(r), [0, 1, 0]);
  assert.deepEqual(r.errors[0], {
    source: 'test.log',
    record: 2,
    field: 'log-status',
    reason: 'too few fields: 13, the format has 14',
    raw: '2 12345678910 eni-0eb1e4178af74336c - - - - - - - 1742570089 1742570142 -',
    // The header it was read with, kept with the dead letter for replay.
    recordFormat: 'version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status',
  });
});

test('fixture: CloudWatch subscription envelope with a configured 4-field format', () => {
  const text = fixtureText('aws-vpc/otel-cloudwatch-subscription-custom-format.json');
  const r = parseAwsVpc(text, { ...opts, format: '${version} ${interface-id} ${srcaddr} ${dstaddr}' });
  assert.deepEqual(counts(r), [2, 0, 0]);
  // No start/end in the format: the event timestamp is the time.
  assert.deepEqual([r.rows[1].srcIp, r.rows[1].dstIp, r.rows[1].startMs, r.rows[1].resource], ['172.31.9.69', '172.31.9.12', 1733430001000, 'eni-1235b8ca123456789']);
  assert.deepEqual([r.rows[0].protocol, r.rows[0].packets, r.rows[0].srcPort], [0, 0, null]);
  // Without the format the 4-field messages cannot be read: each event is rejected, by index.
  const bare = parseAwsVpc(text, opts);
  assert.deepEqual(counts(bare), [0, 2, 0]);
  assert.deepEqual(bare.errors.map((e) => e.record), [1, 2]);
  assert.match(bare.errors[0].reason, /4 fields and no header/);
});

test('fixture: NAT gateway custom header without version column; pkt-dstaddr wins; time from the S3 name', () => {
  const text = fixtureText('aws-vpc/beats-custom-nat-gateway-no-version.log');
  // No start/end columns and no time anywhere: rejected with the reason.
  const none = parseAwsVpc(text, opts);
  assert.deepEqual(counts(none), [0, 2, 0]);
  assert.match(none.errors[0].reason, /no start or end time/);
  const source = '123456789010_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz';
  const r = parseAwsVpc(text, { nowMs: NOW, source });
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].dstIp, r.rows[0].instance, r.rows[0].resource], ['10.0.1.5', '203.0.113.5', null, 'eni-1235b8ca123456789']);
  assert.equal(r.rows[0].startMs, Date.UTC(2018, 5, 20, 16, 20));
  assert.equal(r.rows[1].instance, 'i-01234567890123456');
});

test('`-` in pkt-srcaddr/pkt-dstaddr falls back to srcaddr/dstaddr', () => {
  const text = [
    'version srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status',
    '3 10.0.0.5 10.0.0.9 - - 40000 443 6 10 900 1700000000 1700000060 ACCEPT OK',
    '3 10.0.0.5 10.0.0.9 - 198.51.100.7 40001 443 6 10 900 1700000000 1700000060 ACCEPT OK',
  ].join('\n');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].dstIp], ['10.0.0.5', '10.0.0.9']);
  assert.deepEqual([r.rows[1].srcIp, r.rows[1].dstIp], ['10.0.0.5', '198.51.100.7']);
});

test('custom format with extra fields and no version column, from a configured format string', () => {
  const format = '${srcaddr} ${dstaddr} ${start} ${end} ${bytes} ${packets} ${protocol} ${srcport} ${dstport} ${az-id} ${ecs-cluster-name} ${reject-reason} ${traffic-path}';
  const text = '192.0.2.1 10.1.2.3 1700000000 1700000030 4096 12 17 53000 53 use1-az1 prod-cluster - 1\n';
  const r = parseAwsVpc(text, { ...opts, format });
  assert.deepEqual(counts(r), [1, 0, 0]);
  const row = r.rows[0];
  assert.deepEqual([row.srcIp, row.dstIp, row.protocol, row.srcPort, row.dstPort, row.bytes, row.packets], ['192.0.2.1', '10.1.2.3', 17, 53000, 53, 4096, 12]);
  assert.deepEqual([row.startMs, row.endMs, row.action, row.flowState], [1700000000000, 1700000030000, null, null]);
  assert.deepEqual(parseAwsFormat('a b,c ${d}'), ['a', 'b', 'c', 'd']);
});

test('NODATA/SKIPDATA lines with no addresses are skipped, not errors', () => {
  const text = [
    '2 123456789010 eni-1 - - - - - - - 1700000000 1700000060 - NODATA',
    '2 123456789010 eni-1 - - - - - - - 1700000000 1700000060 - SKIPDATA',
    '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
  ].join('\n');
  assert.deepEqual(counts(parseAwsVpc(text, opts)), [1, 0, 2]);
});

test('a header line inside the file switches the layout from there on', () => {
  const text = [
    '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
    'srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction',
    '10.0.0.3 10.0.0.4 2345 443 6 5 500 1700000100 1700000160 REJECT OK egress',
  ].join('\n');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [2, 0, 0]);
  assert.deepEqual([r.rows[1].srcIp, r.rows[1].dstPort, r.rows[1].action, r.rows[1].direction, r.rows[1].account], ['10.0.0.3', 443, 'deny', 'outbound', null]);
});

test('a line with too few fields is rejected, the rest kept; bad values name their field', () => {
  const text = [
    '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
    '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000',
    '2 123456789010 eni-1 10.0.0.1 10.0.0.999 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
    '2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 99999 6 3 180 1700000000 1700000060 ACCEPT OK',
    '2 123456789010 eni-1 10.0.0.1 2001:db8::1 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
    '2 123456789010 eni-1 10.0.0.7 10.0.0.8 1234 80 6 x 180 1700000000 1700000060 ACCEPT OK',
  ].join('\n');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [1, 5, 0]);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[2, 'end'], [3, 'dstaddr'], [4, 'dstport'], [5, 'dstaddr'], [6, 'packets']]);
  assert.match(r.errors[0].reason, /too few fields: 11, the format has 14/);
});

test('IPv6 flow in a custom format', () => {
  const text = 'srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n2001:db8::10 2001:db8::20 51000 443 6 7 700 1700000000 1700000001 ACCEPT OK';
  const r = parseAwsVpc(text, opts);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].dstIp, r.rows[0].packets], ['2001:db8::10', '2001:db8::20', 7]);
});

test('times in the future or in 1970 are rejected with the reason', () => {
  const future = Math.floor(NOW / 1000) + 3 * 86400;
  const text = [
    `2 1 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 ${future} ${future + 60} ACCEPT OK`,
    '2 1 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 0 60 ACCEPT OK',
    '2 1 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK',
    // A 1970 start next to a good end is not moved to the end: rejected, as is a future end.
    '2 1 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 0 1700000060 ACCEPT OK',
    `2 1 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 ${future} ACCEPT OK`,
  ].join('\n');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [1, 4, 0]);
  assert.match(r.errors[0].reason, /more than 1 day in the future/);
  assert.match(r.errors[1].reason, /1970-01-01T00:00:00.000Z is before 2000-01-01/);
  assert.equal(r.errors[2].reason, 'start 0: time 1970-01-01T00:00:00.000Z is before 2000-01-01');
  assert.match(r.errors[3].reason, new RegExp(`^end ${future}: time .* is more than 1 day in the future$`));
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[1, 'start'], [2, 'start'], [4, 'start'], [5, 'end']]);
  assert.deepEqual([r.rows[0].startMs, r.rows[0].endMs], [1700000000000, 1700000060000]);
});

test('tcp-flags decide connection counting: SYN opens, SYN-ACK is the responder, later windows add no flow', () => {
  const h = 'srcaddr dstaddr srcport dstport protocol packets bytes start end tcp-flags log-status';
  const text = [h, '10.0.0.1 10.0.0.2 40000 22 6 3 180 1700000000 1700000060 2 OK', '10.0.0.2 10.0.0.1 22 40000 6 3 180 1700000000 1700000060 18 OK', '10.0.0.1 10.0.0.2 40000 22 6 30 1800 1700000060 1700000120 0 OK', '10.0.0.1 10.0.0.2 40000 22 6 3 180 1700000120 1700000180 1 OK'].join('\n');
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(r.rows.map((x) => [x.flows, x.initiated]), [[1, true], [0, false], [0, true], [0, true]]);
});

test('streaming: lines pushed one by one, rows taken in batches, header state kept across batches', async () => {
  const lines = ['version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status'];
  for (let i = 0; i < 2500; i++) lines.push(`2 1 eni-1 10.0.${i >> 8}.${i & 255} 10.9.9.9 ${1024 + i} 443 6 1 60 1700000000 1700000060 ACCEPT OK`);
  lines.push('garbage');
  const parser = createAwsVpcParser(opts);
  const batches: number[] = [];
  let errors = 0;
  // Chunks of odd sizes so lines straddle chunk borders.
  const body = Buffer.from(lines.join('\r\n'));
  const chunks = Readable.from(Array.from({ length: Math.ceil(body.length / 777) }, (_, i) => body.subarray(i * 777, (i + 1) * 777)));
  for await (const line of readLines(chunks)) {
    if (parser.push(line) >= 1000) batches.push(parser.take().rows.length);
  }
  const last = parser.end();
  batches.push(last.rows.length);
  errors += last.errors.length;
  assert.deepEqual(batches, [1000, 1000, 500]);
  assert.equal(errors, 1);
  assert.equal(last.errors[0].record, 2502);
});

test('truncated gzip: the readable lines are kept and the truncation reported', async () => {
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(`2 1 eni-1 10.0.${i >> 8}.${i & 255} 10.9.9.9 ${1024 + i} 443 6 1 60 1700000000 1700000060 ACCEPT OK`);
  const gz = gzipSync(Buffer.from(lines.join('\n')));
  const cut = gz.subarray(0, Math.floor(gz.length / 2));
  const streamErrors: unknown[] = [];
  const parser = createAwsVpcParser(opts);
  for await (const line of readLines(decodeStream(Readable.from([cut.subarray(0, 1), cut.subarray(1)]), (e) => streamErrors.push(e), 'x.log.gz'))) parser.push(line);
  const r = parser.end();
  assert.equal(streamErrors.length, 1);
  assert.match((streamErrors[0] as { reason: string }).reason, /truncated/);
  // About half the lines survive; the cut-off last line is rejected as too short, not lost silently.
  assert.ok(r.rows.length > 1000 && r.rows.length < 5000, `rows ${r.rows.length}`);
  assert.ok(r.errors.length <= 1);
  assert.equal(r.rows[r.rows.length - 1].srcPort, 1024 + r.rows.length - 1);
});

test('CloudWatch: CONTROL_MESSAGE skipped, non-envelope rejected; S3 key time parsing', () => {
  assert.deepEqual(counts(parseAwsCloudWatchEnvelope({ messageType: 'CONTROL_MESSAGE', logEvents: [] }, opts)), [0, 0, 1]);
  const bad = parseAwsCloudWatchEnvelope({ foo: 1 }, opts);
  assert.deepEqual([bad.errors[0].field, bad.errors[0].record], ['logEvents', 1]);
  assert.equal(timeFromS3Key('x_20240102T0305Z_y.log'), Date.UTC(2024, 0, 2, 3, 5));
  assert.equal(timeFromS3Key('plain.log'), undefined);
});

test('a header with a column AWS added later is still a header; the unknown column is ignored', () => {
  const text = 'srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status some-future-field\n10.0.0.1 10.0.0.2 1234 80 6 3 180 1700000000 1700000060 ACCEPT OK whatever';
  const r = parseAwsVpc(text, opts);
  assert.deepEqual(counts(r), [1, 0, 0]);
  assert.deepEqual([r.rows[0].srcIp, r.rows[0].bytes], ['10.0.0.1', 180]);
  // A data line made only of ids is not mistaken for a header.
  const ids = parseAwsVpc('instance-id interface-id srcaddr dstaddr start end\ni-0abc eni-0def 10.0.0.1 10.0.0.2 1700000000 1700000060', opts);
  assert.deepEqual(counts(ids), [1, 0, 0]);
});

test('a counter above 2^53 is rejected, not rounded; 2^53 - 1 is stored exactly', () => {
  const line = (bytes: string) => `2 123456789010 eni-1 10.0.0.1 10.0.0.2 1234 80 6 3 ${bytes} 1700000000 1700000060 ACCEPT OK`;
  const r = parseAwsVpc([line('9999999999999999'), line('9007199254740993'), line('9007199254740991')].join('\n'), opts);
  assert.deepEqual(r.errors.map((e) => [e.record, e.field]), [[1, 'bytes'], [2, 'bytes']]);
  assert.deepEqual(r.rows.map((row) => row.bytes), [9007199254740991]);
});
