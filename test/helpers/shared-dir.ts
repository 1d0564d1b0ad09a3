// Tests that read the workplace's public data (../shared) run when it is there (CI has it) and skip, saying why,
// on a user's fresh clone. NEWSALERT_SHARED_DIR overrides the location.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(process.env.NEWSALERT_SHARED_DIR ?? '../shared');
export const HAS_SHARED = existsSync(resolve(SHARED_DIR, 'README.md'));
export const SHARED_SKIP_REASON = `shared data not found at ${SHARED_DIR} (set NEWSALERT_SHARED_DIR)`;

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}
