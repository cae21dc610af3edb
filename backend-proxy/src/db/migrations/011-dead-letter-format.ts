/**
 * The field layout a rejected record was read with. An AWS line means nothing without its field
 * order (the S3 object's header line, or the `format` parameter), and replaying a custom-order
 * line with the default layout would store wrong values in the wrong columns; replay reads the
 * line with the layout kept here (an explicit --aws-format still overrides it). Null for the
 * formats whose records describe themselves (JSON).
 */
export function deadLetterFormatMigration(): string[] {
  return ['ALTER TABLE dead_letters ADD COLUMN record_format text'];
}
