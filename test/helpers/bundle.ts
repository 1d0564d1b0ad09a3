// Builds a Lambda entry exactly as NodeFunction bundles it for deployment (infra/constructs/node-function.ts,
// LAMBDA_BUNDLING), so size budgets and cold-start figures describe what actually ships.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import type { Metafile } from 'esbuild';
import { LAMBDA_BUNDLING, REPO_ROOT } from '../../infra/constructs/node-function.js';

/** Every Lambda entry: functions/lambda/<name>.ts. */
export function lambdaEntries(): { name: string; entry: string }[] {
  return readdirSync(path.join(REPO_ROOT, 'functions', 'lambda'))
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({ name: file.replace(/\.ts$/, ''), entry: `functions/lambda/${file}` }));
}

export interface BundleReport {
  name: string;
  bytes: number;
  /** Bytes in the output per npm package (or per top-level folder of ours), largest first. */
  contributors: { source: string; bytes: number }[];
}

function sourceOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return pkg ? (pkg[1] as string) : input.split('/').slice(0, 2).join('/');
}

export function summarise(name: string, metafile: Metafile): BundleReport {
  const [output] = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('.mjs'));
  if (!output) throw new Error(`${name}: esbuild produced no .mjs output`);
  const bySource = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output[1].inputs)) {
    bySource.set(sourceOf(input), (bySource.get(sourceOf(input)) ?? 0) + bytesInOutput);
  }
  const contributors = [...bySource]
    .map(([source, bytes]) => ({ source, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
  return { name, bytes: output[1].bytes, contributors };
}

/** Bundles one entry; with `outdir` the bundle is written there as `<name>.mjs`, otherwise kept in memory. */
export async function bundleEntry(name: string, entry: string, outdir?: string): Promise<BundleReport> {
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: LAMBDA_BUNDLING.platform,
    target: LAMBDA_BUNDLING.target,
    format: LAMBDA_BUNDLING.format,
    minify: LAMBDA_BUNDLING.minify,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    external: [...LAMBDA_BUNDLING.external],
    banner: { js: LAMBDA_BUNDLING.banner },
    charset: LAMBDA_BUNDLING.charset,
    metafile: true,
    write: outdir !== undefined,
    outfile: path.join(outdir ?? path.join(REPO_ROOT, '.bundle-budget'), `${name}.mjs`),
    logLevel: 'silent',
  });
  return summarise(name, result.metafile);
}
