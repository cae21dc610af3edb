import type { EnrichedFlow } from './flow-row.js';

/** How a column's values are written (each writer encodes the kinds in its own wire format). */
export type ColumnKind = 'time' | 'inet' | 'int' | 'bool' | 'text';

/**
 * The `flows` columns in storage order, with their PostgreSQL type and how to read each from an
 * enriched row. The one list every writer (unnest batches, COPY) and the schema test agree on.
 */
export interface ColumnSpec {
  name: string;
  pgType: string;
  kind: ColumnKind;
  get(row: EnrichedFlow, ingestId: number | null): string | number | boolean | null;
}

export const FLOW_COLUMNS: ColumnSpec[] = [
  { name: 'time', pgType: 'timestamptz', kind: 'time', get: (r) => r.startMs },
  { name: 'time_end', pgType: 'timestamptz', kind: 'time', get: (r) => r.endMs },
  { name: 'src_ip', pgType: 'inet', kind: 'inet', get: (r) => r.srcIp },
  { name: 'dst_ip', pgType: 'inet', kind: 'inet', get: (r) => r.dstIp },
  { name: 'src_port', pgType: 'integer', kind: 'int', get: (r) => r.srcPort },
  { name: 'dst_port', pgType: 'integer', kind: 'int', get: (r) => r.dstPort },
  { name: 'protocol', pgType: 'smallint', kind: 'int', get: (r) => r.protocol },
  { name: 'direction', pgType: 'text', kind: 'text', get: (r) => r.direction },
  { name: 'action', pgType: 'text', kind: 'text', get: (r) => r.action },
  { name: 'flow_state', pgType: 'text', kind: 'text', get: (r) => r.flowState },
  { name: 'packets', pgType: 'bigint', kind: 'int', get: (r) => r.packets },
  { name: 'bytes', pgType: 'bigint', kind: 'int', get: (r) => r.bytes },
  { name: 'flows', pgType: 'smallint', kind: 'int', get: (r) => r.flows },
  { name: 'initiated', pgType: 'boolean', kind: 'bool', get: (r) => r.initiated },
  { name: 'source_type', pgType: 'text', kind: 'text', get: (r) => r.sourceType },
  { name: 'resource', pgType: 'text', kind: 'text', get: (r) => r.resource },
  { name: 'resource_group', pgType: 'text', kind: 'text', get: (r) => r.resourceGroup },
  { name: 'rule', pgType: 'text', kind: 'text', get: (r) => r.rule },
  { name: 'mac', pgType: 'text', kind: 'text', get: (r) => r.mac },
  { name: 'tcp_flags', pgType: 'integer', kind: 'int', get: (r) => r.tcpFlags },
  { name: 'encryption', pgType: 'text', kind: 'text', get: (r) => r.encryption },
  { name: 'account', pgType: 'text', kind: 'text', get: (r) => r.account },
  { name: 'vpc', pgType: 'text', kind: 'text', get: (r) => r.vpc },
  { name: 'subnet', pgType: 'text', kind: 'text', get: (r) => r.subnet },
  { name: 'instance', pgType: 'text', kind: 'text', get: (r) => r.instance },
  { name: 'cloud_region', pgType: 'text', kind: 'text', get: (r) => r.cloudRegion },
  { name: 'src_country', pgType: 'text', kind: 'text', get: (r) => r.srcCountry },
  { name: 'dst_country', pgType: 'text', kind: 'text', get: (r) => r.dstCountry },
  { name: 'src_site', pgType: 'text', kind: 'text', get: (r) => r.srcSite },
  { name: 'dst_site', pgType: 'text', kind: 'text', get: (r) => r.dstSite },
  { name: 'src_region', pgType: 'text', kind: 'text', get: (r) => r.srcRegion },
  { name: 'dst_region', pgType: 'text', kind: 'text', get: (r) => r.dstRegion },
  { name: 'src_provider', pgType: 'text', kind: 'text', get: (r) => r.srcProvider },
  { name: 'dst_provider', pgType: 'text', kind: 'text', get: (r) => r.dstProvider },
  { name: 'src_tenant', pgType: 'text', kind: 'text', get: (r) => r.srcTenant },
  { name: 'dst_tenant', pgType: 'text', kind: 'text', get: (r) => r.dstTenant },
  { name: 'src_role', pgType: 'text', kind: 'text', get: (r) => r.srcRole },
  { name: 'dst_role', pgType: 'text', kind: 'text', get: (r) => r.dstRole },
  { name: 'provider', pgType: 'text', kind: 'text', get: (r) => r.provider },
  { name: 'application', pgType: 'text', kind: 'text', get: (r) => r.application },
  { name: 'src_asn', pgType: 'bigint', kind: 'int', get: (r) => r.srcAsn },
  { name: 'dst_asn', pgType: 'bigint', kind: 'int', get: (r) => r.dstAsn },
  { name: 'src_as_name', pgType: 'text', kind: 'text', get: (r) => r.srcAsName },
  { name: 'dst_as_name', pgType: 'text', kind: 'text', get: (r) => r.dstAsName },
  { name: 'ingest_id', pgType: 'bigint', kind: 'int', get: (_r, id) => id },
];

/** Position of the `flows` column (the service corrects it after the continuation check). */
export const FLOWS_COLUMN_INDEX = FLOW_COLUMNS.findIndex((c) => c.name === 'flows');
