/**
 * Fingerprints of the JSON records already stored from each source object. Azure appends records
 * to an hour's PT1H.json for the whole hour; a shipper reading the grown blob again must add
 * only the records that are new, never count the old ones twice.
 */
export function ingestRecordsMigration(): string[] {
  return [
    `CREATE TABLE ingest_records (
      source text NOT NULL,
      fingerprint text NOT NULL,
      ingest_id bigint NOT NULL REFERENCES ingest_batches (id),
      PRIMARY KEY (source, fingerprint)
    )`,
  ];
}
