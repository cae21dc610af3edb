// The query that finds which Azure tuples continue a connection stored by an earlier body (its
// begin tuple was in an earlier blob): one index probe per candidate, on the address index that
// finds the fewest rows. Pure: text and values only, run by the ingest service.
import type { FlowRecord } from '../model/flow-row.js';

/**
 * Set around the lookup, inside the ingest transaction: with the planner's statistics stale there
 * (the table as it was before the import, empty on a first one) it hashed or scanned the whole
 * table for every batch, and a 150 MiB VNet blob took 9 minutes instead of one.
 */
export const PROBE_SETTINGS = 'SET LOCAL enable_seqscan = off; SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off';
export const RESET_PROBE_SETTINGS = 'RESET enable_seqscan; RESET enable_hashjoin; RESET enable_mergejoin';

export interface ContinuationLookup {
  text: string;
  values: unknown[];
  /** The address whose index each probe walks. */
  probedBy: 'src_ip' | 'dst_ip';
}

/**
 * Both address indexes (address, time) fit the probe, and the planner, whose statistics inside a
 * big ingest transaction describe the table as it was before it, takes either. Walking the wrong
 * one reads every row of a busy host in the window for each candidate: 20,000 tuples inbound to
 * one server took 270 s on the embedded database instead of 9. The side with more distinct
 * addresses among the candidates is the selective one (inbound to a server: its clients;
 * outbound from it: its destinations); the other equality is wrapped in IS TRUE, which no index
 * serves, so the planner cannot take it. LATERAL … LIMIT 1 keeps the probe per candidate (an
 * EXISTS becomes a semi-join that may materialize the whole window instead).
 */
export function continuationLookup(rows: FlowRecord[], indices: number[], windowMs: number): ContinuationLookup {
  const candidates = indices.map((i) => rows[i]!);
  const probedBy = distinct(candidates, 'srcIp') >= distinct(candidates, 'dstIp') ? 'src_ip' : 'dst_ip';
  const addresses = probedBy === 'src_ip' ? 'f.src_ip = k.src AND (f.dst_ip = k.dst) IS TRUE' : 'f.dst_ip = k.dst AND (f.src_ip = k.src) IS TRUE';
  const text = `SELECT k.i FROM unnest($1::int[], $2::inet[], $3::inet[], $4::int[], $5::int[], $6::smallint[], $7::text[], $8::timestamptz[]) AS k(i, src, dst, sp, dp, proto, res, t)
       CROSS JOIN LATERAL (SELECT 1 FROM flows f
         WHERE ${addresses} AND f.src_port = k.sp AND f.dst_port = k.dp AND f.protocol = k.proto
           AND f.resource IS NOT DISTINCT FROM k.res AND f.initiated AND f.time < k.t AND f.time >= k.t - $9::interval
         LIMIT 1) AS hit`;
  const values = [
    indices,
    candidates.map((r) => r.srcIp),
    candidates.map((r) => r.dstIp),
    candidates.map((r) => r.srcPort),
    candidates.map((r) => r.dstPort),
    candidates.map((r) => r.protocol),
    candidates.map((r) => r.resource),
    candidates.map((r) => new Date(r.startMs).toISOString()),
    `${windowMs / 1000} seconds`,
  ];
  return { text, values, probedBy };
}

function distinct(rows: FlowRecord[], field: 'srcIp' | 'dstIp'): number {
  return new Set(rows.map((r) => r[field])).size;
}
