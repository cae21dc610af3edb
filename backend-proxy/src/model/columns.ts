import type { EnrichedFlow } from './flow-row.js';

/**
 * The `flows` columns in storage order, with their PostgreSQL type and how to read each from an
 * enriched row. The one list every writer (unnest batches, COPY) and the schema test agree on.
 */
export interface ColumnSpec {
  name: string;
  pgType: string;
  get(row: EnrichedFlow, ingestId: number | null): string | number | boolean | null;
}

export const FLOW_COLUMNS: ColumnSpec[] = [
  { name: 'time', pgType: 'timestamptz', get: (r) => new Date(r.startMs).toISOString() },
  { name: 'time_end', pgType: 'timestamptz', get: (r) => new Date(r.endMs).toISOString() },
  { name: 'src_ip', pgType: 'inet', get: (r) => r.srcIp },
  { name: 'dst_ip', pgType: 'inet', get: (r) => r.dstIp },
  { name: 'src_port', pgType: 'integer', get: (r) => r.srcPort },
  { name: 'dst_port', pgType: 'integer', get: (r) => r.dstPort },
  { name: 'protocol', pgType: 'smallint', get: (r) => r.protocol },
  { name: 'direction', pgType: 'text', get: (r) => r.direction },
  { name: 'action', pgType: 'text', get: (r) => r.action },
  { name: 'flow_state', pgType: 'text', get: (r) => r.flowState },
  { name: 'packets', pgType: 'bigint', get: (r) => r.packets },
  { name: 'bytes', pgType: 'bigint', get: (r) => r.bytes },
  { name: 'flows', pgType: 'smallint', get: (r) => r.flows },
  { name: 'initiated', pgType: 'boolean', get: (r) => r.initiated },
  { name: 'source_type', pgType: 'text', get: (r) => r.sourceType },
  { name: 'resource', pgType: 'text', get: (r) => r.resource },
  { name: 'rule', pgType: 'text', get: (r) => r.rule },
  { name: 'mac', pgType: 'text', get: (r) => r.mac },
  { name: 'tcp_flags', pgType: 'integer', get: (r) => r.tcpFlags },
  { name: 'encryption', pgType: 'text', get: (r) => r.encryption },
  { name: 'account', pgType: 'text', get: (r) => r.account },
  { name: 'vpc', pgType: 'text', get: (r) => r.vpc },
  { name: 'subnet', pgType: 'text', get: (r) => r.subnet },
  { name: 'instance', pgType: 'text', get: (r) => r.instance },
  { name: 'cloud_region', pgType: 'text', get: (r) => r.cloudRegion },
  { name: 'src_country', pgType: 'text', get: (r) => r.srcCountry },
  { name: 'dst_country', pgType: 'text', get: (r) => r.dstCountry },
  { name: 'src_site', pgType: 'text', get: (r) => r.srcSite },
  { name: 'dst_site', pgType: 'text', get: (r) => r.dstSite },
  { name: 'src_region', pgType: 'text', get: (r) => r.srcRegion },
  { name: 'dst_region', pgType: 'text', get: (r) => r.dstRegion },
  { name: 'src_provider', pgType: 'text', get: (r) => r.srcProvider },
  { name: 'dst_provider', pgType: 'text', get: (r) => r.dstProvider },
  { name: 'provider', pgType: 'text', get: (r) => r.provider },
  { name: 'application', pgType: 'text', get: (r) => r.application },
  { name: 'src_asn', pgType: 'integer', get: (r) => r.srcAsn },
  { name: 'dst_asn', pgType: 'integer', get: (r) => r.dstAsn },
  { name: 'src_as_name', pgType: 'text', get: (r) => r.srcAsName },
  { name: 'dst_as_name', pgType: 'text', get: (r) => r.dstAsName },
  { name: 'ingest_id', pgType: 'bigint', get: (_r, id) => id },
];
