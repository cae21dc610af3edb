import {
  Bool,
  DataType,
  Field,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampNanosecond,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { BackendField, BackendFrame } from './alertFrames';

/**
 * One frame → one Arrow IPC *file*, as Grafana's plugin SDK writes them: schema metadata `name`,
 * `refId`, `meta` (JSON); field metadata `name`, `labels` and `config` (JSON); time as Timestamp in
 * nanoseconds (Grafana's reader assumes ns whatever the unit says); strings as plain Utf8, because
 * apache-arrow would infer a Dictionary type that Grafana's reader does not take.
 */
function arrowType(field: BackendField): DataType {
  switch (field.type) {
    case 'time':
      return new TimestampNanosecond();
    case 'number':
      return new Float64();
    case 'boolean':
      return new Bool();
    default:
      return new Utf8();
  }
}

/** Values as the builder of each type wants them; anything unusable is null. */
function normalise(field: BackendField): unknown[] {
  return field.values.map((v) => {
    if (v === null || v === undefined) {
      return null;
    }
    switch (field.type) {
      case 'time': {
        const ms = typeof v === 'number' ? v : Date.parse(String(v));
        return Number.isFinite(ms) ? ms : null;
      }
      case 'number': {
        const n = Number(v);
        return Number.isFinite(n) ? n : null;
      }
      case 'boolean':
        return Boolean(v);
      default:
        return String(v);
    }
  });
}

function fieldMetadata(field: BackendField): Map<string, string> {
  const metadata = new Map<string, string>([['name', field.name]]);
  if (field.labels && Object.keys(field.labels).length > 0) {
    metadata.set('labels', JSON.stringify(field.labels));
  }
  if (field.config && Object.keys(field.config).length > 0) {
    metadata.set('config', JSON.stringify(field.config));
  }
  return metadata;
}

export function frameToArrowFile(frame: BackendFrame): Uint8Array {
  const length = Math.max(0, ...frame.fields.map((f) => f.values.length));
  const columns = frame.fields.map((f) => {
    const values = normalise(f);
    values.length = length;
    return Array.from(values, (v) => (v === undefined ? null : v));
  });
  const vectors: Vector[] = frame.fields.map((f, i) => vectorFromArray(columns[i], arrowType(f) as never));
  // nullable decides whether Grafana reads []float64 or []*float64: only a nullable field keeps its nulls
  const fields = frame.fields.map((f, i) => new Field(f.name, vectors[i].type, columns[i].includes(null), fieldMetadata(f)));
  const metadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId],
  ]);
  if (frame.meta && Object.keys(frame.meta).length > 0) {
    metadata.set('meta', JSON.stringify(frame.meta));
  }
  const schema = new Schema(fields, metadata);
  const struct = makeData({
    type: new Struct(fields),
    length,
    nullCount: 0,
    children: vectors.map((v) => v.data[0] ?? makeData({ type: v.type, length: 0 })),
  });
  const batch = new RecordBatch(schema, struct);
  // RecordBatch rebuilds its schema with Schema.assign, which merges fields *by name*: a wide frame
  // (every series named after the metric) would lose all labels but the last. Put ours back.
  (batch as { schema: Schema }).schema = schema;
  return tableToIPC(new Table([batch]), 'file');
}
