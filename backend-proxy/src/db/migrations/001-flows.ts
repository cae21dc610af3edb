/**
 * Base schema: the directional `flows` table, ingest bookkeeping and the dead-letter table.
 * TimescaleDB: a hypertable with daily chunks and a compression policy. Plain PostgreSQL: the same
 * table with a BRIN index on time, so both paths answer the same queries with the same results.
 */
export function flowsMigration(timescale: boolean): string[] {
  const statements = [
    `CREATE TABLE flows (
      time timestamptz NOT NULL,
      time_end timestamptz NOT NULL,
      src_ip inet NOT NULL,
      dst_ip inet NOT NULL,
      src_port integer,
      dst_port integer,
      protocol smallint NOT NULL,
      direction text,
      action text,
      flow_state text,
      packets bigint NOT NULL DEFAULT 0,
      bytes bigint NOT NULL DEFAULT 0,
      flows smallint NOT NULL DEFAULT 0,
      initiated boolean,
      source_type text NOT NULL,
      resource text,
      rule text,
      mac text,
      tcp_flags integer,
      encryption text,
      account text,
      vpc text,
      subnet text,
      instance text,
      cloud_region text,
      src_country text,
      dst_country text,
      src_site text,
      dst_site text,
      src_region text,
      dst_region text,
      src_provider text,
      dst_provider text,
      provider text,
      application text,
      src_asn integer,
      dst_asn integer,
      src_as_name text,
      dst_as_name text,
      ingest_id bigint
    )`,
    // Host drill-downs ("everything this address did") must not scan every chunk.
    'CREATE INDEX flows_src_ip_time_idx ON flows (src_ip, time DESC)',
    'CREATE INDEX flows_dst_ip_time_idx ON flows (dst_ip, time DESC)',
    `CREATE TABLE ingest_batches (
      id bigserial PRIMARY KEY,
      source text,
      format text NOT NULL,
      content_sha256 text,
      bytes_read bigint NOT NULL DEFAULT 0,
      accepted bigint NOT NULL DEFAULT 0,
      rejected bigint NOT NULL DEFAULT 0,
      skipped bigint NOT NULL DEFAULT 0,
      received_at timestamptz NOT NULL DEFAULT now()
    )`,
    'CREATE INDEX ingest_batches_source_idx ON ingest_batches (source)',
    `CREATE TABLE dead_letters (
      id bigserial PRIMARY KEY,
      ingest_id bigint REFERENCES ingest_batches (id),
      source text,
      format text NOT NULL,
      record integer,
      tuple integer,
      field text,
      reason text NOT NULL,
      raw text,
      created_at timestamptz NOT NULL DEFAULT now(),
      replayed_at timestamptz
    )`,
  ];
  if (timescale) {
    statements.push(
      "SELECT create_hypertable('flows', by_range('time', INTERVAL '1 day'))",
      `ALTER TABLE flows SET (timescaledb.compress,
         timescaledb.compress_segmentby = 'source_type',
         timescaledb.compress_orderby = 'time DESC')`,
      "SELECT add_compression_policy('flows', INTERVAL '7 days')",
    );
  } else {
    statements.push('CREATE INDEX flows_time_brin ON flows USING brin (time)');
  }
  return statements;
}
