// Builds the CLI into dist/cli.mjs: ESM of our TypeScript (functions/local/cli.ts and what it imports, with npm
// packages left as imports of node_modules), so a call starts in Node without compiling anything. Each command's
// module is a chunk of its own, loaded by the dynamic import() in cli.ts: `--help` never loads the runtime's packages. `npm ci` runs
// it (the prepare script); bin/newsalert.mjs runs it again when a source file is newer than the build.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DIST = path.join(ROOT, 'dist');
export const CLI_FILE = path.join(DIST, 'cli.mjs');
/** The sources the build read, relative to ROOT: a build is stale when one of them is newer. */
export const INPUTS_FILE = path.join(DIST, 'cli.inputs.json');

/** True when dist/cli.mjs exists and no source it was built from changed since. A few hundred stat calls. */
export function isFresh() {
  let built;
  let inputs;
  try {
    built = statSync(CLI_FILE).mtimeMs;
    inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8'));
  } catch {
    return false;
  }
  for (const input of inputs) {
    try {
      if (statSync(path.join(ROOT, input)).mtimeMs > built) return false;
    } catch {
      return false;
    }
  }
  return true;
}

export async function buildCli() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ['functions/local/cli.ts'],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    charset: 'utf8',
    sourcemap: 'linked',
    metafile: true,
    write: false,
    splitting: true,
    outdir: DIST,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  mkdirSync(DIST, { recursive: true });
  // Written beside and renamed into place: two calls building at once never see half a file.
  for (const file of result.outputFiles) {
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
  }
  // Chunks of earlier builds go; a call that started before this build still has its own in memory.
  const current = new Set(result.outputFiles.map((file) => path.basename(file.path)));
  for (const name of readdirSync(DIST)) {
    if (/^chunk-.*\.mjs(\.map)?$/.test(name) && !current.has(name)) rmSync(path.join(DIST, name), { force: true });
  }
  const inputs = Object.keys(result.metafile.inputs).filter((input) => !input.includes('node_modules/'));
  writeFileSync(`${INPUTS_FILE}.${process.pid}.tmp`, `${JSON.stringify(inputs)}\n`);
  renameSync(`${INPUTS_FILE}.${process.pid}.tmp`, INPUTS_FILE);
  // The classifier finds its data in `classifier-data/` beside the module that reads it (as in a Lambda asset).
  const data = path.join(DIST, 'classifier-data');
  const link = `${data}.${process.pid}.tmp`;
  rmSync(link, { force: true, recursive: true });
  symlinkSync(path.join('..', 'functions', 'domain', 'classification', 'data'), link, 'dir');
  rmSync(data, { force: true, recursive: true });
  renameSync(link, data);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    await buildCli();
  } catch (error) {
    // `npm ci --omit=dev` has no esbuild: bin/newsalert.mjs then says what to do.
    if (error?.code === 'ERR_MODULE_NOT_FOUND') console.warn('newsalert: esbuild is not installed; the CLI is not built');
    else throw error;
  }
}
