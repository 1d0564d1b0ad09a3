// The web console's built files as the API serves them, read from a folder: `console/` beside the Lambda bundle
// (NodeFunction builds them there, infra/constructs/node-function.ts), or any folder a caller names. Each file is
// read once, on its first request, and kept: the build is a few tens of KB.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsoleAsset, ConsoleAssets } from '#handlers/api/console-routes.js';

/** The folder name of the build inside a Lambda asset. */
export const CONSOLE_DIR_NAME = 'console';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  map: 'application/json',
};

export function contentTypeOf(name: string): string | undefined {
  const ext = /\.([a-z]+)$/.exec(name)?.[1];
  return ext === undefined ? undefined : CONTENT_TYPES[ext];
}

/** A folder of built files; names are checked here too (only plain file names of a known type are read). */
export function consoleFilesIn(dir: string): ConsoleAssets {
  const cache = new Map<string, Promise<ConsoleAsset | undefined>>();
  const load = async (name: string): Promise<ConsoleAsset | undefined> => {
    const contentType = contentTypeOf(name);
    if (contentType === undefined || !/^[a-z0-9][a-z0-9.-]*$/.test(name)) return undefined;
    try {
      return { body: await readFile(join(dir, name), 'utf8'), contentType };
    } catch {
      return undefined;
    }
  };
  return {
    get(name) {
      let found = cache.get(name);
      if (found === undefined) {
        found = load(name);
        // A miss is not kept: a deploy that adds the file is seen without a cold start, and misses cost one stat.
        void found.then((asset) => asset === undefined && cache.delete(name));
        cache.set(name, found);
      }
      return found;
    },
  };
}

/** `console/` beside this module: in a Lambda bundle, the folder NodeFunction built. */
export function consoleFilesBesideBundle(): ConsoleAssets {
  return consoleFilesIn(fileURLToPath(new URL(`./${CONSOLE_DIR_NAME}/`, import.meta.url)));
}
