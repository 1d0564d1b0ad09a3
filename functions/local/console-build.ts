// Builds the web console (functions/console) with esbuild: one script and one style sheet, minified, plus the page.
// The one build of it: the local runtime serves it from memory; `scripts/build-console.ts` writes it beside the
// api Lambda's bundle at deploy (NodeFunction's afterBundling hook) and the asset-budget test measures it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { contentTypeOf } from '#adapters/console-files.js';
import { TOPIC_LABELS } from '#domain/classification/topic-vocabulary.js';
import { COUNTRY_CODES } from '#domain/subscription-input.js';
import type { ConsoleAsset, ConsoleAssets } from '#handlers/api/console-routes.js';

const SOURCE_DIR = fileURLToPath(new URL('../console/', import.meta.url));

/** The built files by name: index.html, console.js, console.css. */
export async function buildConsole(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: [
      { in: join(SOURCE_DIR, 'main.ts'), out: 'console' },
      { in: join(SOURCE_DIR, 'console.css'), out: 'console' },
    ],
    bundle: true,
    minify: true,
    format: 'esm',
    // Browsers of the last few years; nothing here needs a polyfill.
    target: ['chrome111', 'firefox115', 'safari16'],
    charset: 'utf8',
    legalComments: 'none',
    // The codes the API accepts and the top-level topic names, from the modules the API validates with.
    define: { __NEWSALERT_COUNTRIES__: JSON.stringify(COUNTRY_CODES.join(' ')), __NEWSALERT_TOPICS__: JSON.stringify(TOPIC_LABELS) },
    outdir: '/console',
    write: false,
    logLevel: 'silent',
  });
  const files = new Map<string, string>();
  files.set('index.html', readFileSync(join(SOURCE_DIR, 'index.html'), 'utf8'));
  for (const output of result.outputFiles) files.set(basename(output.path), output.text);
  return files;
}

/** Writes the build into `dir` (created if missing). */
export async function writeConsole(dir: string): Promise<string[]> {
  const files = await buildConsole();
  mkdirSync(dir, { recursive: true });
  for (const [name, body] of files) writeFileSync(join(dir, name), body);
  return [...files.keys()];
}

/** The build in memory, made on the first request (a fraction of a second) and kept for the process. */
export function consoleBuiltInMemory(): ConsoleAssets {
  let built: Promise<Map<string, string>> | undefined;
  return {
    async get(name): Promise<ConsoleAsset | undefined> {
      built ??= buildConsole();
      const body = (await built).get(name);
      const contentType = contentTypeOf(name);
      return body === undefined || contentType === undefined ? undefined : { body, contentType };
    },
  };
}
