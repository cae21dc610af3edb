/**
 * One stored row of traffic in ONE direction: sender (src_*) → receiver (dst_*), with the
 * packets and bytes that flowed that way during [startMs, endMs].
 *
 * Why directional rows: a record with counters for both directions (NSG v2 C/E tuples, VNet
 * tuples, biflows) becomes up to two rows, initiator→responder with the forward counters and
 * responder→initiator with the reverse ones. Then "bytes from A to B" is always just
 * `src_ip = A and dst_ip = B`, and bidirectional queries are the same query with src/dst swapped.
 *
 * `flows` is 1 on the row that opens a connection and 0 on continuation and reverse rows, so
 * summing it counts connections once.
 */
export interface FlowRecord {
  /** Start of the interval the counters cover (epoch milliseconds). */
  startMs: number;
  /** End of that interval (epoch milliseconds); equal to startMs when the source gives one instant. */
  endMs: number;
  srcIp: string;
  dstIp: string;
  srcPort: number | null;
  dstPort: number | null;
  /** IANA protocol number (6 tcp, 17 udp, 1 icmp, 58 icmpv6). */
  protocol: number;
  /** Direction as the recording device saw it, relative to the protected resource. */
  direction: 'inbound' | 'outbound' | null;
  action: 'allow' | 'deny' | null;
  /** Source-specific flow state code, e.g. NSG v2 B/C/E, VNet B/C/E/D, AWS log-status. */
  flowState: string | null;
  packets: number;
  bytes: number;
  /** 1 on the row that opens a connection, 0 otherwise. */
  flows: number;
  /** Whether the sender of this row initiated the connection; null when unknown. */
  initiated: boolean | null;
  /** azure-nsg, azure-vnet, aws-vpc, gcp-vpc, ndjson, netflow, ipfix. */
  sourceType: string;
  /** The recording resource: NSG name, VNet flow log target, VPC interface, ... */
  resource: string | null;
  /** Azure resource group of the recording resource (from the NSG resourceId / VNet targetResourceID). */
  resourceGroup: string | null;
  rule: string | null;
  mac: string | null;
  tcpFlags: number | null;
  /** Azure VNet encryption status (X, NX, ...). */
  encryption: string | null;
  /** Cloud account / subscription id, VPC id, subnet id, instance id, cloud region of the record. */
  account: string | null;
  vpc: string | null;
  subnet: string | null;
  instance: string | null;
  cloudRegion: string | null;
  /**
   * Optional enrichment facts the log itself states (e.g. GCP's src/dest location country and
   * ASN, the cloud region of a GCP VM end). The enricher may prefer them over its own lookups.
   */
  hints?: Partial<Enrichment>;
}

/** Enrichment added by the proxy before storage (looked up from addresses, ports and config). */
export interface Enrichment {
  srcCountry: string | null;
  dstCountry: string | null;
  srcSite: string | null;
  dstSite: string | null;
  srcRegion: string | null;
  dstRegion: string | null;
  srcProvider: string | null;
  dstProvider: string | null;
  /** Tenant and role of the site an address belongs to (network config), null outside the estate. */
  srcTenant: string | null;
  dstTenant: string | null;
  srcRole: string | null;
  dstRole: string | null;
  /** Cloud provider of the log source (azure, aws, gcp) or null. */
  provider: string | null;
  application: string | null;
  srcAsn: number | null;
  dstAsn: number | null;
  srcAsName: string | null;
  dstAsName: string | null;
}

export type EnrichedFlow = FlowRecord & Enrichment;

/** A record a parser could not turn into rows: where it was and why. */
export interface RecordError {
  /** Object / file name as given by the client (query parameter `source`), if any. */
  source?: string;
  /** Index of the record (JSON) or 1-based line number (text formats). */
  record: number;
  /** Index of the tuple inside the record, where the format has tuples. */
  tuple?: number;
  /** Name of the offending field, when one field is to blame. */
  field?: string;
  reason: string;
  /** The raw text of the bad record or tuple (truncated), kept for the dead-letter table. */
  raw?: string;
  /**
   * The field layout the record was read with, where the raw text alone does not say (AWS: the
   * header line or `format` parameter that applied, as space-separated field names). Kept with
   * the dead letter so a replay reads the line the same way.
   */
  recordFormat?: string;
}

/** What a parser returns for one body: rows to store, rejected pieces, and non-error skips. */
export interface ParseResult {
  rows: FlowRecord[];
  errors: RecordError[];
  /** Records deliberately not stored and not errors (e.g. AWS NODATA / SKIPDATA lines). */
  skipped: number;
}

/** What a streaming parser hands over for one batch of a body. */
export interface ParsedBatch extends ParseResult {
  /** Records stored as counted by the format (tuples, lines); defaults to rows.length. */
  accepted?: number;
  /** Repeats of records already stored (same body or an earlier read of the same object). */
  duplicates?: number;
  /** Fingerprints of the JSON records this batch added, remembered per source. */
  newRecords?: string[];
  /**
   * Rows counted as opening a connection only because its start is not in this body (NSG v2
   * and VNet C/E without B). If the same connection already has rows from an earlier body (a flow that
   * spans the hourly blob boundary), the service sets their `flows` to 0: counted once.
   */
  continuations?: number[];
}
