// Test helper: reads the shared public fixtures (../shared/fixtures/public/ from the repo root),
// located relative to this file so no absolute path is baked in.
import { readFileSync } from 'node:fs';

export const FIXTURES = new URL('../../../../../shared/fixtures/public/', import.meta.url);

export function fixtureText(relativePath: string): string {
  return readFileSync(new URL(relativePath, FIXTURES), 'utf8');
}

export function fixtureBytes(relativePath: string): Buffer {
  return readFileSync(new URL(relativePath, FIXTURES));
}

/** A fixed "now" for the future-time check: 2026-12-01. */
export const NOW = Date.UTC(2026, 11, 1);
