import { DataQueryError } from '@grafana/data';
import { ProxyErrorBody } from '../shared/flowQuery';

/** The parts of a proxy error the editor and the panel show. */
export interface FlowAtlasError {
  message: string;
  status?: number;
  field?: string;
  line?: number;
  column?: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Turns whatever failed (a backendSrv FetchError carrying the proxy's JSON body, a timeout, a network
 * error) into one message that names the offending field, so the panel says what to fix.
 */
export function toFlowAtlasError(err: unknown): FlowAtlasError {
  if (isObject(err) && isObject(err.data)) {
    const body = err.data as Partial<ProxyErrorBody>;
    const status = typeof err.status === 'number' ? err.status : body.statusCode;
    const base =
      typeof body.message === 'string' && body.message
        ? body.message
        : typeof err.statusText === 'string' && err.statusText
          ? err.statusText
          : 'request failed';
    const where: string[] = [];
    if (body.field) {
      where.push(`field ${body.field}`);
    }
    if (body.line !== undefined && body.column !== undefined) {
      where.push(`line ${body.line}, column ${body.column}`);
    }
    const message = where.length > 0 ? `${base} (${where.join(', ')})` : base;
    return { message, status, field: body.field, line: body.line, column: body.column };
  }
  if (isObject(err) && typeof err.message === 'string') {
    return { message: err.message, status: typeof err.status === 'number' ? err.status : undefined };
  }
  return { message: typeof err === 'string' ? err : 'request failed' };
}

export function toDataQueryError(err: unknown, refId: string): DataQueryError {
  const e = toFlowAtlasError(err);
  return { refId, message: `FlowAtlas: ${e.message}`, status: e.status };
}
