import { DataFrame, DataTransformerConfig, LoadingState, PanelData, TimeRange, transformDataFrame } from '@grafana/data';
import { lastValueFrom, Observable } from 'rxjs';
import type { FlowAtlasDataSource } from '../../../src/datasource/datasource';
import type { FlowQuery } from '../../../src/datasource/types';
import { assemble, buildRequest } from '../runQueries';
import type { DashboardPanel } from './model';

/**
 * Runs one dashboard panel the way Grafana's panel query runner does: its targets in one request
 * (maxDataPoints = the panel's width, interval from the range), the responses folded into
 * PanelData, then the panel's transformations (@grafana/data's own transformers).
 * Calls `onData` with partial data as queries answer, resolves with the final data.
 */
export function runPanel(
  ds: FlowAtlasDataSource,
  dashboardUid: string,
  panel: DashboardPanel,
  range: TimeRange,
  width: number,
  onData: (data: PanelData) => void
): { done: Promise<PanelData>; cancel: () => void } {
  const targets = (panel.targets ?? []) as FlowQuery[];
  const request = { ...buildRequest(targets, range, Math.max(100, Math.min(Math.round(width), 2000))), dashboardUID: dashboardUid, panelId: panel.id };
  const responses: any[] = [];
  let cancelled = false;
  let subscription: { unsubscribe(): void } | undefined;
  const done = new Promise<PanelData>((resolve) => {
    subscription = (ds.query(request) as Observable<any>).subscribe({
      next: (r) => {
        responses.push(r);
        onData(assemble(responses, range, false));
      },
      complete: () => {
        const data = assemble(responses, range, true);
        void transform(data, panel.transformations ?? []).then((out) => {
          if (!cancelled) {
            onData(out);
          }
          resolve(out);
        });
      },
      error: (err: unknown) => {
        const data: PanelData = { state: LoadingState.Error, series: [], errors: [{ message: String((err as Error)?.message ?? err) }], timeRange: range };
        onData(data);
        resolve(data);
      },
    });
  });
  return {
    done,
    cancel: () => {
      cancelled = true;
      subscription?.unsubscribe();
    },
  };
}

async function transform(data: PanelData, transformations: DashboardPanel['transformations'] & object): Promise<PanelData> {
  const active = transformations.filter((t) => !t.disabled) as DataTransformerConfig[];
  if (active.length === 0 || data.state === LoadingState.Error) {
    return data;
  }
  try {
    const series: DataFrame[] = await lastValueFrom(transformDataFrame(active, data.series));
    return { ...data, series };
  } catch (err) {
    return { ...data, state: LoadingState.Error, errors: [{ message: `transformation failed: ${(err as Error).message}` }] };
  }
}
