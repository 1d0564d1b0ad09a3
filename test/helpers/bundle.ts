// The Lambda bundles as they deploy: the stack is synthesised with CDK's own bundling (NodejsFunction runs esbuild
// with the options in infra/constructs/node-function.ts) and each function's staged asset is read back. Size budgets
// and cold-start figures then describe what ships, not a build that merely tries to copy CDK's options.
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { Metafile } from 'esbuild';
import { readStageConfig } from '../../infra/config.js';
import { NewsalertStack } from '../../infra/stacks/newsalert-stack.js';

export interface BundleReport {
  /** The entry's name: functions/lambda/<name>.ts. */
  name: string;
  /** The CloudFormation logical ids of the functions deployed from this bundle. */
  functions: string[];
  /** The asset folder CDK zips and uploads: index.mjs, its source map and metafile, and any data files. */
  assetDir: string;
  /** Bytes of index.mjs, the code Lambda loads. */
  bytes: number;
  /** Bytes in the output per npm package (or per top-level folder of ours), largest first. */
  contributors: { source: string; bytes: number }[];
  /** Our own source files bundled into it, relative to the repository root. */
  ownInputs: string[];
}

function sourceOf(input: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return pkg ? (pkg[1] as string) : input.split('/').slice(0, 2).join('/');
}

function summarise(metafile: Metafile): Omit<BundleReport, 'functions' | 'assetDir' | 'bytes'> {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  if (!output?.entryPoint) throw new Error('the metafile names no entry point');
  const bySource = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    bySource.set(sourceOf(input), (bySource.get(sourceOf(input)) ?? 0) + bytesInOutput);
  }
  const contributors = [...bySource].map(([source, bytes]) => ({ source, bytes })).sort((a, b) => b.bytes - a.bytes);
  return {
    name: path.basename(output.entryPoint).replace(/\.ts$/, ''),
    contributors,
    ownInputs: Object.keys(output.inputs).filter((input) => input.startsWith('functions/')),
  };
}

interface AssetsManifest {
  files: Record<string, { source: { path: string } }>;
}

/**
 * Synthesises the stage's stack into `outdir` with bundling on (about 10-30 s: esbuild runs once per distinct
 * bundle) and reports every distinct Lambda bundle, by entry name.
 */
export function synthesiseBundles(outdir: string, stage: 'dev' | 'prod' = 'dev'): BundleReport[] {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new NewsalertStack(app, `newsalert-${stage}`, { config: readStageConfig(stage, {}) });
  const artifact = app.synth().getStackByName(stack.stackName);
  const manifest = JSON.parse(readFileSync(path.join(outdir, `${artifact.id}.assets.json`), 'utf8')) as AssetsManifest;
  const resources = artifact.template.Resources as Record<string, { Type: string; Properties: { Code?: { S3Key?: unknown } } }>;
  const byAsset = new Map<string, BundleReport>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = resource.Properties.Code?.S3Key;
    const asset = typeof key === 'string' ? manifest.files[key.replace(/\.zip$/, '')] : undefined;
    // Only functions with bundled code count here (CDK's own helper functions, if any, are inline or not ours).
    if (!asset) continue;
    const assetDir = path.join(outdir, asset.source.path);
    const known = byAsset.get(assetDir);
    if (known) {
      known.functions.push(logicalId);
      continue;
    }
    const metafile = JSON.parse(readFileSync(path.join(assetDir, 'index.meta.json'), 'utf8')) as Metafile;
    byAsset.set(assetDir, {
      ...summarise(metafile),
      functions: [logicalId],
      assetDir,
      bytes: statSync(path.join(assetDir, 'index.mjs')).size,
    });
  }
  return [...byAsset.values()].sort((a, b) => a.name.localeCompare(b.name));
}
