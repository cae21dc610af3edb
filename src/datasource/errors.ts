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

/** A panel error that keeps where it went wrong, so the query editor can underline it too. */
export interface FlowAtlasQueryError extends DataQueryError {
  field?: string;
  line?: number;
  column?: number;
}

/**
 * A filter text the proxy's checks reject (POST /api/v1/filter/validate said ok: false); line and
 * column refer to the text as the user typed it.
 */
export class FilterTextError extends Error {
  readonly status = 400;
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
    readonly field: string = 'filterText'
  ) {
    super(message);
    this.name = 'FilterTextError';
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/**
 * One message that says what and where: "expected value, found "=" (field filterText, line 1,
 * column 32)". The proxy starts filter text messages with the position; it is said once, at the end.
 */
function describe(base: string, field?: string, line?: number, column?: number): string {
  const hasPosition = line !== undefined && column !== undefined;
  const text = hasPosition ? base.replace(/^\S+ line \d+ column \d+: /, '') : base;
  const where: string[] = [];
  if (field) {
    where.push(`field ${field}`);
  }
  if (hasPosition) {
    where.push(`line ${line}, column ${column}`);
  }
  return where.length > 0 ? `${text} (${where.join(', ')})` : text;
}

/**
 * Turns whatever failed (a backendSrv FetchError carrying the proxy's JSON body, a rejected filter
 * text, a timeout, a network error) into one message that names the offending field, so the panel
 * says what to fix.
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
    const line = num(body.line);
    const column = num(body.column);
    return { message: describe(base, body.field, line, column), status, field: body.field, line, column };
  }
  if (isObject(err) && typeof err.message === 'string') {
    const field = typeof err.field === 'string' ? err.field : undefined;
    const line = num(err.line);
    const column = num(err.column);
    return { message: describe(err.message, field, line, column), status: num(err.status), field, line, column };
  }
  return { message: typeof err === 'string' ? err : 'request failed' };
}

export function toDataQueryError(err: unknown, refId: string): FlowAtlasQueryError {
  const e = toFlowAtlasError(err);
  const error: FlowAtlasQueryError = { refId, message: `FlowAtlas: ${e.message}`, status: e.status };
  if (e.field !== undefined) {
    error.field = e.field;
  }
  if (e.line !== undefined && e.column !== undefined) {
    error.line = e.line;
    error.column = e.column;
  }
  return error;
}
