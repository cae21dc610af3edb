import type pg from 'pg';
import { flowsMigration } from './001-flows.js';
import { rollupMigration } from './002-rollups.js';
import { ingestRecordsMigration } from './003-ingest-records.js';
import { alertViewsMigration } from './004-alert-views.js';
import { setUpReaderRole } from './005-reader-role.js';
import { demoStateMigration } from './007-demo-state.js';
import { tableRollupMigration } from './006-table-rollups.js';
import { dropRollupGroupIndexes } from './008-rollup-indexes.js';
import { geoRollupMigration } from './009-geo-rollup.js';
import { geo5mRollupMigration } from './010-geo-5m-rollup.js';
import { deadLetterFormatMigration } from './011-dead-letter-format.js';
import { siteTenantRoleMigration } from './012-site-tenant-role.js';
import { ingestContentUniqueMigration } from './013-ingest-content-unique.js';
import { asnBigintMigration } from './014-asn-bigint.js';

export interface Migration {
  version: number;
  name: string;
  /** SQL statements for this database flavour, run in one transaction. */
  statements(timescale: boolean): string[];
  /** Steps that need more than fixed SQL (detect a capability, skip with a log line); runs after statements. */
  run?(client: pg.PoolClient | pg.Pool, timescale: boolean): Promise<void>;
  /** false for statements TimescaleDB refuses inside a transaction block (some aggregate DDL). */
  transactional?: boolean;
}

/** Every schema change, in order. Append only: a released migration never changes. */
export const migrations: Migration[] = [
  { version: 1, name: 'flows', statements: flowsMigration },
  { version: 2, name: 'rollups', statements: (timescale) => rollupMigration(timescale) },
  { version: 3, name: 'ingest-records', statements: ingestRecordsMigration },
  { version: 4, name: 'alert-views', statements: alertViewsMigration },
  { version: 5, name: 'reader-role', statements: () => [], run: async (client) => void (await setUpReaderRole(client)) },
  {
    version: 6,
    name: 'table-rollups',
    statements: tableRollupMigration,
    // The views were replaced: grant the read-only role SELECT on the new ones again.
    run: async (client, timescale) => void (timescale ? undefined : await setUpReaderRole(client)),
  },
  { version: 7, name: 'demo-state', statements: demoStateMigration },
  { version: 8, name: 'rollup-indexes', statements: () => [], run: dropRollupGroupIndexes },
  { version: 9, name: 'geo-rollup', statements: geoRollupMigration },
  { version: 10, name: 'geo-5m-rollup', statements: geo5mRollupMigration },
  { version: 11, name: 'dead-letter-format', statements: deadLetterFormatMigration },
  { version: 12, name: 'site-tenant-role', statements: siteTenantRoleMigration },
  { version: 13, name: 'ingest-content-unique', statements: ingestContentUniqueMigration },
  { version: 14, name: 'asn-bigint', statements: asnBigintMigration },
];
