/**
 * The one error type the query pipeline throws. It carries an HTTP status (400 for a request
 * that can never work, 422 for one that is valid but asks for more than the caps allow), the
 * JSON path of the offending field, and for filter text the position and what was expected,
 * so the QueryEditor can underline the mistake.
 */
export class QueryError extends Error {
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly expected: string[] | undefined;

  constructor(
    message: string,
    options: { statusCode?: number; field?: string; line?: number; column?: number; expected?: string[] } = {},
  ) {
    super(message);
    this.name = 'QueryError';
    this.statusCode = options.statusCode ?? 400;
    this.field = options.field;
    this.line = options.line;
    this.column = options.column;
    this.expected = options.expected;
  }

  /** The body the HTTP route sends back. */
  toJSON(): Record<string, unknown> {
    const body: Record<string, unknown> = { error: this.message, statusCode: this.statusCode };
    if (this.field !== undefined) body.field = this.field;
    if (this.line !== undefined) body.line = this.line;
    if (this.column !== undefined) body.column = this.column;
    if (this.expected !== undefined) body.expected = this.expected;
    return body;
  }
}
