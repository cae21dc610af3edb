import { jsonErrorPosition } from './json-error-position.js';

/** A body that is not valid JSON: the client gets 400 with the byte offset (and line) of the fault. */
export class JsonBodyError extends Error {
  readonly statusCode = 400;
  constructor(
    message: string,
    readonly offset: number | null,
    readonly line?: number,
  ) {
    super(message);
  }
}

/**
 * Character index of the syntax error JSON.parse found in `text`. V8 says "... at position N"
 * only for some errors ("Unexpected token } … is not valid JSON" has none), so the text is
 * scanned when the message does not tell.
 */
export function jsonErrorIndex(text: string, err: Error): number | null {
  const match = /position (\d+)/.exec(err.message);
  return match ? Number(match[1]) : jsonErrorPosition(text);
}
