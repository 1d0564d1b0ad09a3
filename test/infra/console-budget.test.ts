// The web console's build stays small (it is the first thing a subscriber downloads, on a phone too) and ships the
// way it is served: the api function's afterBundling hook builds it into `console/` beside the bundle, and the
// Lambda's reader (functions/adapters/console-files.ts) serves exactly those files.
import { execSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleFilesIn } from '#adapters/console-files.js';
import { CONSOLE_ASSET_DIR, consoleAssetCommands, REPO_ROOT } from '../../infra/constructs/node-function.js';

const KB = 1024;
/** Measured sizes plus ~25% headroom: console.js 28 KB (8.6 KB gzipped), console.css 4.8 KB, index.html 0.8 KB. */
const BUDGETS: Record<string, { raw: number; gzip: number }> = {
  'console.js': { raw: 40 * KB, gzip: 12 * KB },
  'console.css': { raw: 7 * KB, gzip: 2.5 * KB },
  'index.html': { raw: 2 * KB, gzip: 1 * KB },
};

describe('web console assets', () => {
  let output: string;
  let dir: string;

  beforeAll(() => {
    output = mkdtempSync(path.join(tmpdir(), 'console-asset-'));
    for (const command of consoleAssetCommands(REPO_ROOT, output)) execSync(command, { stdio: 'pipe' });
    dir = path.join(output, CONSOLE_ASSET_DIR);
  }, 60_000);

  afterAll(() => rmSync(output, { recursive: true, force: true }));

  it('builds the page, one script and one style sheet beside the bundle', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(BUDGETS).sort());
  });

  it.each(Object.entries(BUDGETS))('keeps %s within its budget', async (name, budget) => {
    // Act
    const asset = await consoleFilesIn(dir).get(name);
    const raw = statSync(path.join(dir, name)).size;
    const gzip = gzipSync(asset?.body ?? '').length;

    // Assess
    expect(raw, `${name}: ${(raw / KB).toFixed(1)} KB`).toBeLessThanOrEqual(budget.raw);
    expect(gzip, `${name}: ${(gzip / KB).toFixed(1)} KB gzipped`).toBeLessThanOrEqual(budget.gzip);
  });

  it('serves the built files with their types, and nothing outside the folder', async () => {
    // Prepare
    const files = consoleFilesIn(dir);

    // Act
    const [page, script, traversal, unknown] = await Promise.all([files.get('index.html'), files.get('console.js'), files.get('../console/index.html'), files.get('other.js')]);

    // Assess
    expect(page?.contentType).toMatch(/^text\/html/);
    expect(page?.body).toContain('src="/console/console.js"');
    // The page loads its script from a file: the CSP (script-src 'self') allows no inline one.
    expect(page?.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page?.body).not.toMatch(/\son[a-z]+=/i);
    expect(script?.contentType).toMatch(/^text\/javascript/);
    expect(traversal).toBeUndefined();
    expect(unknown).toBeUndefined();
  });
});
