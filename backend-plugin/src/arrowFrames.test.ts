import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBatchFileReader, TimeUnit, Type } from 'apache-arrow';
import { frameToArrowFile } from './arrowFrames';

function read(bytes: Uint8Array) {
  const reader = RecordBatchFileReader.from(bytes);
  reader.open();
  const schema = reader.schema;
  const [batch] = [...reader];
  return { schema, batch };
}

test('an Arrow IPC file with Grafana metadata, ns timestamps, Utf8 strings and nullable Float64', () => {
  const bytes = frameToArrowFile({
    name: 'bps',
    refId: 'A',
    meta: { type: 'timeseries-wide' },
    fields: [
      { name: 'time', type: 'time', values: [1_700_000_000_000, 1_700_000_060_000] },
      { name: 'v', type: 'number', values: [1.5, null], labels: { site: 'a' }, config: { unit: 'bps' } },
      { name: 'v', type: 'number', values: [2, 3], labels: { site: 'b' } },
      { name: 'country', type: 'string', values: ['NL', 'NL'] },
    ],
  });
  assert.equal(Buffer.from(bytes.subarray(0, 6)).toString(), 'ARROW1');
  const { schema, batch } = read(bytes);
  assert.deepEqual(Object.fromEntries(schema.metadata), { name: 'bps', refId: 'A', meta: '{"type":"timeseries-wide"}' });
  const [time, v1, v2, country] = schema.fields;
  assert.equal(time.type.typeId, Type.Timestamp);
  assert.equal((time.type as { unit: TimeUnit }).unit, TimeUnit.NANOSECOND);
  assert.equal((batch.getChildAt(0)!.data[0].values as BigInt64Array)[1], 1_700_000_060_000_000_000n);
  assert.equal(v1.type.typeId, Type.Float);
  assert.equal(v1.nullable, true);
  assert.equal(v2.nullable, false);
  // same-named fields keep their own labels (a wide frame names every series after the metric)
  assert.equal(v1.metadata.get('labels'), '{"site":"a"}');
  assert.equal(v2.metadata.get('labels'), '{"site":"b"}');
  assert.equal(v1.metadata.get('config'), '{"unit":"bps"}');
  assert.equal(country.type.typeId, Type.Utf8, 'plain Utf8, not the Dictionary apache-arrow would infer');
  assert.deepEqual([...batch.getChildAt(1)!], [1.5, null]);
});

test('an empty frame is still a valid file', () => {
  const { schema, batch } = read(frameToArrowFile({ refId: 'A', fields: [{ name: 'time', type: 'time', values: [] }] }));
  assert.equal(schema.fields.length, 1);
  assert.equal(batch?.numRows ?? 0, 0);
});
