import assert from 'node:assert/strict';
import { RecordBatch, RecordBatchFileReader, Schema } from 'apache-arrow';

/**
 * Reads one frame the way Grafana does: an Arrow IPC *file*, schema from the file itself.
 * (apache-arrow's Table merges same-named fields, which a wide frame has, so no Table here.)
 */
export interface DecodedFrame {
  schema: Schema;
  batch: RecordBatch;
  numRows: number;
  numCols: number;
}

export function decodeFrame(bytes: Uint8Array): DecodedFrame {
  const buf = Buffer.from(bytes);
  // magic "ARROW1" at both ends marks the file format (the stream format has neither)
  assert.equal(buf.subarray(0, 6).toString(), 'ARROW1');
  assert.equal(buf.subarray(buf.length - 6).toString(), 'ARROW1');
  const reader = RecordBatchFileReader.from(buf);
  reader.open();
  // iterating closes the reader, which drops its schema
  const schema = reader.schema;
  const batches = [...reader];
  assert.equal(batches.length, 1, 'one record batch per frame');
  return { schema, batch: batches[0], numRows: batches[0].numRows, numCols: schema.fields.length };
}

export function fieldMeta(frame: DecodedFrame, i: number, key: string): any {
  const v = frame.schema.fields[i].metadata.get(key);
  return v === undefined ? undefined : JSON.parse(v);
}

export function column(frame: DecodedFrame, i: number): unknown[] {
  // iterating (not toArray) keeps nulls as null
  return [...frame.batch.getChildAt(i)!] as unknown[];
}
