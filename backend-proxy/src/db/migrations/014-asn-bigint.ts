/**
 * AS numbers are 32-bit unsigned (RFC 6793): up to 4294967295, and the ASN data shipped with the
 * proxy holds such numbers (e.g. AS4294967294, reserved for private use, announced for real
 * ranges). migration 001 stored them as a signed `integer`, so one such address made a whole
 * ingest batch fail ("value out of range for type integer"). They become `bigint`.
 *
 * TimescaleDB refuses to change a column's type while the hypertable has compression enabled:
 * the compressed chunks are decompressed, compression is turned off for the change and turned on
 * again with the same settings, and the policy compresses the old chunks again on its next run.
 * A one-time cost proportional to the compressed data.
 */
const ALTER = 'ALTER TABLE flows ALTER COLUMN src_asn TYPE bigint, ALTER COLUMN dst_asn TYPE bigint';

export function asnBigintMigration(timescale: boolean): string[] {
  if (!timescale) return [ALTER];
  return [
    "SELECT remove_compression_policy('flows', if_exists => true)",
    "SELECT decompress_chunk(c, if_compressed => true) FROM show_chunks('flows') c",
    'ALTER TABLE flows SET (timescaledb.compress = false)',
    ALTER,
    // As in migration 001.
    `ALTER TABLE flows SET (timescaledb.compress,
       timescaledb.compress_segmentby = 'source_type',
       timescaledb.compress_orderby = 'time DESC')`,
    "SELECT add_compression_policy('flows', INTERVAL '7 days')",
  ];
}
