import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/database.js';
import { httpError } from './errors.js';
import { parseIsoTime } from '../model/iso-time.js';

/** Share of one side's connections also logged by the other above which logging is reported as duplicated. */
const DUPLICATE_SHARE = 0.5;
const DAY_MS = 86_400_000;

interface OverlapRow {
  nsg: string | null;
  vnet: string | null;
  vnet_id: string | null;
  subnet: string | null;
  matched: number;
  nsg_connections: number;
  vnet_connections: number;
}

function timeParam(value: string | undefined, fallback: number, field: string): number {
  if (value === undefined || value === '') return fallback;
  const ms = /^\d+$/.test(value) ? Number(value) : parseIsoTime(value);
  if (ms === null || !Number.isFinite(ms)) throw httpError(400, `${field} must be ISO 8601 or epoch milliseconds, got "${value}"`, { field });
  return ms;
}

/**
 * Azure can log the same traffic twice: an NSG flow log on a subnet's NSG and a VNet flow log on
 * the VNet or subnet (Microsoft's migration path runs both for a while). Then every query counts
 * those connections twice. This report finds it: connections (initiator rows, same 5-tuple in the
 * same minute) present in both source types, per NSG and VNet flow-log target.
 */
export function ingestOverlapRoutes(app: FastifyInstance, db: Database): void {
  app.get<{ Querystring: { from?: string; to?: string } }>('/api/v1/ingest/duplicate-logging', async (request) => {
    const to = timeParam(request.query.to, Date.now(), 'to');
    const from = timeParam(request.query.from, to - DAY_MS, 'from');
    if (from >= to) throw httpError(400, '"from" must be before "to"', { field: 'from' });
    const r = await db.pool.query<OverlapRow>(
      `WITH nsg AS (
         SELECT resource, src_ip, dst_ip, src_port, dst_port, protocol, date_trunc('minute', time) AS minute
         FROM flows WHERE source_type = 'azure-nsg' AND initiated AND time >= $1 AND time < $2
       ), vnet AS (
         SELECT resource, vpc, subnet, src_ip, dst_ip, src_port, dst_port, protocol, date_trunc('minute', time) AS minute
         FROM flows WHERE source_type = 'azure-vnet' AND initiated AND time >= $1 AND time < $2
       ), pairs AS (
         SELECT nsg.resource AS nsg, vnet.resource AS vnet, vnet.vpc AS vnet_id, vnet.subnet, count(*)::int AS matched
         FROM nsg JOIN vnet USING (src_ip, dst_ip, src_port, dst_port, protocol, minute)
         GROUP BY 1, 2, 3, 4
       )
       SELECT p.*,
         (SELECT count(*)::int FROM nsg WHERE nsg.resource IS NOT DISTINCT FROM p.nsg) AS nsg_connections,
         (SELECT count(*)::int FROM vnet WHERE vnet.resource IS NOT DISTINCT FROM p.vnet) AS vnet_connections
       FROM pairs p ORDER BY matched DESC LIMIT 100`,
      [new Date(from).toISOString(), new Date(to).toISOString()],
    );
    const pairs = r.rows.map((row) => {
      const share = row.matched / Math.max(1, Math.min(row.nsg_connections, row.vnet_connections));
      return {
        nsg: row.nsg,
        vnetFlowLogTarget: row.vnet,
        virtualNetwork: row.vnet_id,
        subnet: row.subnet,
        matchedConnections: row.matched,
        nsgConnections: row.nsg_connections,
        vnetConnections: row.vnet_connections,
        share: Math.round(share * 1000) / 1000,
        duplicated: share >= DUPLICATE_SHARE,
      };
    });
    return {
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      duplicated: pairs.some((p) => p.duplicated),
      pairs,
      advice: pairs.some((p) => p.duplicated)
        ? 'the same traffic is logged by an NSG flow log and a VNet flow log: disable one of them (Microsoft recommends VNet flow logs), or filter queries on source_type'
        : null,
    };
  });
}
