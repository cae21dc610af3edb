/**
 * What `npm start` is loading as demo data, so an interrupted load resumes with the same plan
 * (seed, size and "now" decide every body) instead of leaving a partial story behind.
 */
export function demoStateMigration(): string[] {
  return [
    `CREATE TABLE demo_state (
      id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
      seed integer NOT NULL,
      flows integer NOT NULL,
      now_ms bigint NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      completed_at timestamptz
    )`,
  ];
}
