import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { createFlowExportDecoder, readPcapUdp } from './formats/index.js';
import { FlowCollector } from './flow-collector.js';
import { openTestApp, type TestApp } from '../test-support/app.js';
import { readFixture } from '../test-support/fixtures.js';

let t: TestApp;
before(async () => {
  t = await openTestApp();
});
after(async () => {
  await t.close();
});

test('NetFlow v5 and v9 datagrams replayed over UDP are stored as the decoder reads them', async () => {
  const collector = new FlowCollector(t.ingest, { port: 0, host: '127.0.0.1', flushIntervalMs: 60_000 });
  const port = await collector.start();
  const sender = createSocket('udp4');
  const reference = createFlowExportDecoder();
  let packet = 0;
  for (const file of ['netflow/graylog-nfv5-netgraph-4pkts-30records.pcap', 'netflow/graylog-nfv9-templates-options-then-data-9pkts.pcap']) {
    for (const d of readPcapUdp(readFixture(file))) {
      reference.decode(d.payload, { ip: '127.0.0.1', port: 1 }, ++packet);
      await new Promise<void>((resolve, reject) => sender.send(d.payload, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    }
  }
  sender.close();
  // Loopback delivery is asynchronous: wait until every datagram has been decoded.
  for (let i = 0; i < 100 && (collector as unknown as { datagrams: number }).datagrams < packet; i++) await new Promise((r) => setTimeout(r, 20));
  await collector.stop();
  const expected = reference.end();
  const stored = await t.db.pool.query<{ n: number; bytes: number }>("SELECT count(*)::int AS n, sum(bytes)::float8 AS bytes FROM flows WHERE source_type IN ('netflow', 'ipfix')");
  assert.equal(stored.rows[0]!.n, expected.rows.length);
  assert.equal(stored.rows[0]!.bytes, expected.rows.reduce((s, r) => s + r.bytes, 0));
  assert.equal(expected.rows.length, 141);
});
