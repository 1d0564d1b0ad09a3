// Reads the classifier's data files from disk, synchronously, once each: beside the bundle in a Lambda asset
// (`classifier-data/` next to the handler's index.mjs), or in the source tree when run from a checkout.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hasClassifierDataReader, installClassifierDataReader } from '#domain/classification/data-source.js';

const CANDIDATE_DIRS = [
  new URL('./classifier-data/', import.meta.url),
  new URL('../domain/classification/data/', import.meta.url),
];

/** The first directory that holds the data files. */
export function classifierDataDir(): string {
  for (const dir of CANDIDATE_DIRS) {
    const path = fileURLToPath(dir);
    if (existsSync(path)) return path;
  }
  throw new Error(`classifier data not found in ${CANDIDATE_DIRS.map((dir) => fileURLToPath(dir)).join(' or ')}`);
}

/** Installs a reader of the data directory (idempotent): call once at the composition root. */
export function installClassifierDataFiles(dir?: string): void {
  if (dir === undefined && hasClassifierDataReader()) return;
  let base: string | undefined = dir;
  installClassifierDataReader((name) => {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`bad classifier data name ${name}`);
    base ??= classifierDataDir();
    const buffer = readFileSync(`${base}/${name}`);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  });
}
