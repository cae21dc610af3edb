import { FlowQueryModel, ProxyQueryRequest, toProxyRequest } from '../../src/shared/flowQuery';
import { migrateQuery } from '../../src/datasource/migration';

/**
 * One DataQuery of a QueryData request → the proxy's request body, through the same modules the
 * browser uses (migration of old saved queries, then toProxyRequest), so a query behaves the same
 * in a panel and in an alert rule.
 */
export interface DataQueryMessage {
  refId: string;
  maxDataPoints?: number | string | null;
  intervalMS?: number | string | null;
  timeRange?: { fromEpochMS?: number | string | null; toEpochMS?: number | string | null } | null;
  json?: Uint8Array | Buffer | null;
}

export interface CompiledQuery {
  refId: string;
  model: FlowQueryModel;
  request: ProxyQueryRequest;
}

export class QueryModelError extends Error {}

function num(value: number | string | null | undefined): number | undefined {
  const n = Number(value);
  return value === null || value === undefined || !Number.isFinite(n) || n <= 0 ? undefined : n;
}

/** backend-proxy's default caps (FLOWATLAS_MAX_ROWS, and 5000 buckets for bucketed table aggregations). */
export const PROXY_POINT_CAP = 10_000;
export const PROXY_TABLE_BUCKET_CAP = 5_000;

/**
 * Alerting sends maxDataPoints 43200 and intervalMs 1000 when a rule does not set them; the proxy
 * refuses more than its cap of buckets × series (422). In a panel the width keeps maxDataPoints
 * small; here the series count does: at most cap / series points, so the proxy widens the step
 * instead of refusing the rule.
 */
export function fitPointBudget(model: FlowQueryModel, maxDataPoints: number | undefined): number | undefined {
  let budget: number;
  if (model.mode === 'timeseries') {
    const groups = model.dimensions.length > 0 ? model.topN + (model.other ? 1 : 0) : 1;
    budget = Math.floor(PROXY_POINT_CAP / (groups * (model.bidirectional ? 2 : 1)));
  } else if (model.mode === 'table' && model.aggregation && model.aggregation !== 'total') {
    budget = PROXY_TABLE_BUCKET_CAP;
  } else {
    return maxDataPoints;
  }
  return Math.max(1, Math.min(maxDataPoints ?? budget, budget));
}

export function compileDataQuery(query: DataQueryMessage): CompiledQuery {
  const raw = query.json ? Buffer.from(query.json).toString('utf8') : '{}';
  let saved: unknown;
  try {
    saved = JSON.parse(raw || '{}');
  } catch {
    throw new QueryModelError('the query model is not valid JSON');
  }
  if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) {
    throw new QueryModelError('the query model is not a JSON object');
  }
  const model = migrateQuery({ ...(saved as Record<string, unknown>), refId: query.refId });
  const from = Number(query.timeRange?.fromEpochMS);
  const to = Number(query.timeRange?.toEpochMS);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) {
    throw new QueryModelError(`the time range is empty or missing (from ${query.timeRange?.fromEpochMS}, to ${query.timeRange?.toEpochMS})`);
  }
  const request = toProxyRequest(model, {
    from,
    to,
    maxDataPoints: fitPointBudget(model, num(query.maxDataPoints)),
    intervalMs: num(query.intervalMS),
  });
  return { refId: query.refId, model, request };
}
