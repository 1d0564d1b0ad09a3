// The classifying functions' assets carry the classifier's data files beside the bundle, where the adapter reads them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { classifierDataHooks } from '../../infra/constructs/node-function.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
let outputDir: string | undefined;

afterEach(() => {
  if (outputDir !== undefined) rmSync(outputDir, { recursive: true, force: true });
});

describe('classifier data in the Lambda asset', () => {
  it('copies the language model, the gazetteers and the publisher list into classifier-data/', () => {
    // Prepare
    outputDir = mkdtempSync(join(tmpdir(), 'asset-'));

    // Act
    for (const command of classifierDataHooks().afterBundling(REPO_ROOT, outputDir)) execFileSync('sh', ['-c', command]);

    // Assess
    expect(readdirSync(join(outputDir, 'classifier-data')).sort()).toEqual(
      expect.arrayContaining(['gazetteer-languages.json', 'gazetteer.json', 'lid.176.ftz', 'publishers.json']),
    );
  });
});
