import { flowsMigration } from './001-flows.js';
import { rollupMigration } from './002-rollups.js';
import { ingestRecordsMigration } from './003-ingest-records.js';

export interface Migration {
  version: number;
  name: string;
  /** SQL statements for this database flavour, run in one transaction. */
  statements(timescale: boolean): string[];
  /** false for statements TimescaleDB refuses inside a transaction block (some aggregate DDL). */
  transactional?: boolean;
}

/** Every schema change, in order. Append only: a released migration never changes. */
export const migrations: Migration[] = [
  { version: 1, name: 'flows', statements: flowsMigration },
  { version: 2, name: 'rollups', statements: (timescale) => rollupMigration(timescale) },
  { version: 3, name: 'ingest-records', statements: ingestRecordsMigration },
];
