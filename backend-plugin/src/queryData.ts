import { toFlowAtlasError } from '../../src/datasource/errors';
import { toAlertFrames } from './alertFrames';
import { frameToArrowFile } from './arrowFrames';
import { compileDataQuery, DataQueryMessage, QueryModelError } from './compile';
import { log } from './log';
import { postQuery } from './proxyClient';
import { InstanceSettingsMessage, readSettings, SettingsError } from './settings';

/**
 * QueryData: every refId gets an answer, frames or an error, and one failing query never fails
 * the others (alert rules send several queries per request, and a rule with an error goes to its
 * Error state, which is what the operator must see).
 */
export interface DataResponseMessage {
  frames: Uint8Array[];
  error: string;
  status: number;
  errorSource?: string;
}

/** Grafana's errorSource values: "plugin" (a bug here) or "downstream" (the query, the settings, the proxy). */
function errorResponse(message: string, status: number, source: 'plugin' | 'downstream'): DataResponseMessage {
  return { frames: [], error: `FlowAtlas: ${message}`, status, errorSource: source };
}

export async function runQuery(settings: InstanceSettingsMessage | null | undefined, query: DataQueryMessage): Promise<DataResponseMessage> {
  const started = Date.now();
  try {
    const compiled = compileDataQuery(query);
    const proxy = await postQuery(readSettings(settings), { ...compiled.request });
    const frames = toAlertFrames(proxy.frames ?? [], compiled.model, query.refId);
    log('debug', 'query done', { refId: query.refId, mode: compiled.model.mode, frames: frames.length, ms: Date.now() - started });
    return { frames: frames.map(frameToArrowFile), error: '', status: 200 };
  } catch (err) {
    if (err instanceof QueryModelError || err instanceof SettingsError) {
      return errorResponse(err.message, 400, 'downstream');
    }
    // proxy failures are plain objects (proxyClient); an Error here is a bug of ours
    const ours = err instanceof Error;
    const e = toFlowAtlasError(err);
    log(ours ? 'error' : 'warn', 'query failed', { refId: query.refId, status: e.status, error: e.message });
    return errorResponse(e.message, e.status ?? (ours ? 500 : 502), ours ? 'plugin' : 'downstream');
  }
}

export async function queryData(
  settings: InstanceSettingsMessage | null | undefined,
  queries: DataQueryMessage[]
): Promise<Record<string, DataResponseMessage>> {
  const answers = await Promise.all(queries.map((q) => runQuery(settings, q)));
  return Object.fromEntries(queries.map((q, i) => [q.refId, answers[i]]));
}
