// The local data directory holds the admin key, the store key and the store itself: only its owner may read it.
// Modes are set on what exists (a directory made by an older version is 0755 with 0644 files), and the process
// umask makes everything created later private too, whoever creates it: LevelDB keeps writing new .log, .ldb and
// MANIFEST files for as long as the store is open, with no mode of ours to give them.
import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
/** Removes group and other permissions from every file and directory the process creates. */
export const PRIVATE_UMASK = 0o077;

/**
 * Creates `dir` (0700) if needed, makes what is already in it private, and sets the process umask to 0077.
 * The umask is process-wide: the local runtime owns its process, and nothing it writes is meant for other users.
 */
export function preparePrivateDataDir(dir: string): void {
  // Worker threads cannot change the umask; the main thread that started them has set it for the process.
  if (isMainThread) process.umask(PRIVATE_UMASK);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  restrictTree(dir);
}

function restrictTree(dir: string): void {
  chmodSync(dir, PRIVATE_DIR_MODE);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // A symbolic link is not followed: its target may be anything anywhere, and its own mode means nothing.
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) restrictTree(path);
    else if ((lstatSync(path).mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
  }
}
