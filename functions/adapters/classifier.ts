// The classifier every caller uses (the poller and WebSub Lambdas, the local runtime, the CLI, the benches, the
// evaluation, the tests): the pure domain classifier, with its data files (topic model, language model, gazetteers)
// read from disk through the reader this module installs on import (functions/domain/classification/data-source.ts).
// Nothing is read before first use: each file is read synchronously, once per process, when a stage first needs it.
// Where the files are: NEWSALERT_CLASSIFIER_DATA when set; else `classifier-data/` beside this module, which is
// where each Lambda asset has them (NodeFunction copies them next to index.mjs); else the source tree's
// functions/domain/classification/data/ (tsx, tests, the CLI).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ClassifierDataError, hasClassifierDataReader, installClassifierDataReader } from '#domain/classification/data-source.js';

export { readClassifierData } from '#domain/classification/data-source.js';

export { classify, CLASSIFIER_VERSION } from '#domain/classification/index.js';

/** The folder name of the data inside a Lambda asset (infra/constructs/node-function.ts copies it there). */
export const CLASSIFIER_DATA_DIR_NAME = 'classifier-data';

/** The directory the data files are read from (see the header). */
export function classifierDataDir(): string {
  const override = process.env.NEWSALERT_CLASSIFIER_DATA;
  if (override !== undefined && override !== '') return override;
  const beside = fileURLToPath(new URL(`./${CLASSIFIER_DATA_DIR_NAME}/`, import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../domain/classification/data/', import.meta.url));
}

/** Installs a reader of `dir` (default: classifierDataDir(), resolved on the first read). */
export function installClassifierDataFiles(dir?: string): void {
  let base = dir;
  installClassifierDataReader((name) => {
    if (!/^[\w.-]+$/.test(name)) throw new ClassifierDataError(`bad classifier data file name ${JSON.stringify(name)}`);
    base ??= classifierDataDir();
    const path = join(base, name);
    let buffer: Buffer;
    try {
      buffer = readFileSync(path);
    } catch (error: unknown) {
      throw new ClassifierDataError(`classifier data file ${path} cannot be read (set NEWSALERT_CLASSIFIER_DATA to its folder)`, { cause: error });
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  });
}

if (!hasClassifierDataReader()) installClassifierDataFiles();
