/**
 * Who owns and what is each end of a flow (src/dst_tenant, src/dst_role: the site's `tenant` and
 * `role` in the network config), and the Azure resource group of the recording NSG / VNet flow-log
 * target (`resource_group`, parsed from resourceId / targetResourceID). Nullable without a
 * default, so existing rows need no rewrite: on TimescaleDB that is also what adding a column to a
 * hypertable with compression enabled allows (one column per statement), compressed chunks
 * included; on plain PostgreSQL it is a catalogue change. The rollups do not carry them (queries
 * grouping by them read the raw table).
 */
export const SITE_TENANT_ROLE_COLUMNS = ['src_tenant', 'dst_tenant', 'src_role', 'dst_role', 'resource_group'] as const;

export function siteTenantRoleMigration(): string[] {
  return SITE_TENANT_ROLE_COLUMNS.map((column) => `ALTER TABLE flows ADD COLUMN ${column} text`);
}
