import {
  CoreApp,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  LoadingState,
  PanelData,
  TimeRange,
} from '@grafana/data';
import { lastValueFrom, Observable, toArray } from 'rxjs';
import { FlowAtlasDataSource } from '../../src/datasource/datasource';
import { FlowQuery } from '../../src/datasource/types';
import { intervalFor } from './timeRange';

let requestCounter = 0;

/** The request a Grafana panel would send: same ids, interval and data-point budget. */
export function buildRequest(queries: FlowQuery[], range: TimeRange, maxDataPoints: number): DataQueryRequest<FlowQuery> {
  const { interval, intervalMs } = intervalFor(range, maxDataPoints);
  return {
    app: CoreApp.Dashboard,
    requestId: `playground-${++requestCounter}`,
    dashboardUID: 'playground',
    panelId: 1,
    interval,
    intervalMs,
    maxDataPoints,
    range,
    scopedVars: {},
    targets: queries,
    timezone: 'browser',
    startTime: Date.now(),
  };
}

/** Folds the per-query responses of one request into what a panel receives (with the request, as Grafana's PanelData has it). */
export function assemble(responses: DataQueryResponse[], range: TimeRange, done: boolean, request?: DataQueryRequest<FlowQuery>): PanelData {
  const series: DataFrame[] = [];
  const errors: DataQueryError[] = [];
  for (const r of responses) {
    const refId = typeof r.key === 'string' ? r.key.split('/').pop() : undefined;
    for (const frame of r.data as DataFrame[]) {
      series.push(frame.refId || !refId ? frame : { ...frame, refId });
    }
    errors.push(...(r.errors ?? (r.error ? [r.error] : [])));
  }
  const state = errors.length ? LoadingState.Error : done ? LoadingState.Done : LoadingState.Loading;
  return { state, series, errors, timeRange: range, ...(request ? { request } : {}) };
}

/** Runs one request to completion; the data source emits once per query. */
export function runToCompletion(ds: FlowAtlasDataSource, request: DataQueryRequest<FlowQuery>): Promise<DataQueryResponse[]> {
  return lastValueFrom((ds.query(request) as Observable<DataQueryResponse>).pipe(toArray()));
}

/** Time (epoch ms) of the largest value of any numeric field next to a time field, or null. */
export function peakTime(frames: DataFrame[]): number | null {
  let best: { t: number; v: number } | null = null;
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === 'time');
    if (!time) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== 'number') {
        continue;
      }
      field.values.forEach((v: unknown, i: number) => {
        const n = Math.abs(Number(v));
        if (Number.isFinite(n) && (!best || n > best.v)) {
          best = { t: Number(time.values[i]), v: n };
        }
      });
    }
  }
  return best ? (best as { t: number }).t : null;
}
