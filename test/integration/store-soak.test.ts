// Bounded memory of the local store (issue 16): test/soak/store-soak.ts runs in its own process, with --expose-gc,
// and reports rss and heap after GC around each phase; this asserts fixed bounds on what each phase adds.
//
// npm test runs a scaled-down soak (about 30 s of CPU); `npm run soak` runs the sizes with the same bounds
// (figures in docs/operations.md). What each phase added (MB), without the engine fixes of dynalite-engine.ts -> with
// them:
//   4,000 queries        heap after GC +32.1 -> +0.1   rss +155 -> +74
//   200-item feed        heap after GC  +3.6 -> +2.2   rss   -6 -> +24 (rss is noisy at this size)
//   1,000 memory items   ArrayBuffers   +8.2 -> +0.1
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { soakViolations, type SoakResult } from '../soak/soak-bounds.js';

const QUERIES = 2_000;
const FEED_ITEMS = 100;
const MEMORY_ITEMS = 1_000;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runSoak(): Promise<SoakResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/soak/store-soak.ts', String(QUERIES), String(FEED_ITEMS), String(MEMORY_ITEMS)],
      { cwd: ROOT, timeout: 600_000, maxBuffer: 1 << 20, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
      (error, stdout, stderr) => {
        if (error) return reject(new Error(`soak failed: ${error.message}\n${stderr}`));
        const last = stdout.trim().split('\n').at(-1) ?? '';
        try {
          resolve(JSON.parse(last) as SoakResult);
        } catch (parseError) {
          reject(new Error(`soak printed no result: ${stdout}\n${stderr}`, { cause: parseError }));
        }
      },
    );
  });
}

describe('local store memory soak', () => {
  it(`stays within fixed bounds over ${QUERIES} queries, a ${FEED_ITEMS}-item feed and ${MEMORY_ITEMS} in-memory items`, async () => {
    // Act
    const result = await runSoak();

    // Assess (figures in MB, after GC; the bounds are SOAK_BOUNDS)
    expect(result.queries && result.feed && result.memoryStore, JSON.stringify(result)).toBeDefined();
    expect(soakViolations(result, FEED_ITEMS), JSON.stringify(result)).toEqual([]);
  }, 620_000);
});
