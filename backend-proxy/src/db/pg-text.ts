/**
 * PostgreSQL text cannot hold U+0000 ("invalid byte sequence for encoding UTF8: 0x00"): one NUL
 * in a rule name, a raw line or a `source` failed the whole ingest batch. It is stored as U+FFFD,
 * the replacement character the UTF-8 decoder already puts in place of bytes it cannot read.
 */
export function pgText(value: string): string {
  return value.includes('\0') ? value.replace(/\0/g, '\uFFFD') : value;
}

/** pgText for a nullable value. */
export function pgTextOrNull(value: string | null | undefined): string | null {
  return value === null || value === undefined ? null : pgText(value);
}
