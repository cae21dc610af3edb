import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared public sample files live beside the repository: ../shared/fixtures/public/. */
export const FIXTURES_DIR = fileURLToPath(new URL('../../../../shared/fixtures/public/', import.meta.url));

export function readFixture(relative: string): Buffer {
  return readFileSync(FIXTURES_DIR + relative);
}
