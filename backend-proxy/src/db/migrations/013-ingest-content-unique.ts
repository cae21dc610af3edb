/**
 * One completed ingest per (source, content): the ingest service checks for an earlier batch of
 * the same object before it commits, but two identical sends at the same moment both pass that
 * check (neither sees the other's uncommitted batch) and would both commit, storing every flow
 * twice. With this index the second one's closing UPDATE waits for the first and fails with a
 * unique violation once it commits; the service then answers it as alreadyIngested. Batches
 * without a source, or not completed (content_sha256 still null), are not constrained.
 * Duplicates already stored by such a race keep their rows; only the later batch's digest is
 * cleared so the index can be built.
 */
export const INGEST_CONTENT_INDEX = 'ingest_batches_source_content_key';

export function ingestContentUniqueMigration(): string[] {
  return [
    `UPDATE ingest_batches b SET content_sha256 = NULL
     WHERE b.content_sha256 IS NOT NULL
       AND EXISTS (SELECT 1 FROM ingest_batches o WHERE o.source = b.source AND o.content_sha256 = b.content_sha256 AND o.id < b.id)`,
    `CREATE UNIQUE INDEX ${INGEST_CONTENT_INDEX} ON ingest_batches (source, content_sha256) WHERE content_sha256 IS NOT NULL`,
  ];
}
