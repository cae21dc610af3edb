/** Offset in `text` of a 1-based line/column position, clamped to the text. */
export function offsetOf(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  const l = Math.min(Math.max(line, 1), lines.length);
  let offset = 0;
  for (let i = 0; i < l - 1; i++) {
    offset += lines[i].length + 1;
  }
  return Math.min(offset + Math.max(column, 1) - 1, text.length);
}

/**
 * Splits text around the token at an error position so the editor can underline it: the token runs
 * to the next whitespace or bracket; at the end of the text an empty token still marks the spot.
 */
export function splitAtError(text: string, line: number, column: number): [string, string, string] {
  const start = offsetOf(text, line, column);
  const rest = text.slice(start);
  const token = /^[^\s()]+|^[()]/.exec(rest)?.[0] ?? '';
  return [text.slice(0, start), token, text.slice(start + token.length)];
}

/** 1-based line/column of an offset in `text` (the inverse of offsetOf). */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}
