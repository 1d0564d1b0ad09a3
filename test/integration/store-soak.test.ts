// Bounded memory of the local store (issue 16): test/soak/store-soak.ts runs in its own process, with --expose-gc,
// and reports rss and heap after GC around each phase; this asserts fixed bounds on what each phase adds.
//
// CI runs a scaled-down soak (it must stay well under a minute on two cores); the sizes of the issue run with
//   node --expose-gc --import tsx test/soak/store-soak.ts 20000 2000 5000
// What each phase added (MB) at about these sizes, without the engine fixes of dynalite-engine.ts -> with them:
//   4,000 queries        heap after GC +32.1 -> +0.1   rss +155 -> +74
//   200-item feed        heap after GC  +3.6 -> +2.2   rss   -6 -> +24 (rss is noisy at this size)
//   2,000 memory items   ArrayBuffers  +16.3 -> +0.2  (CI runs 1,000)
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MemoryFigures, PhaseResult, SoakResult } from '../soak/store-soak.js';

const QUERIES = 4_000;
const FEED_ITEMS = 200;
const MEMORY_ITEMS = 1_000;

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function runSoak(): Promise<SoakResult> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/soak/store-soak.ts', String(QUERIES), String(FEED_ITEMS), String(MEMORY_ITEMS)],
      { cwd: ROOT, timeout: 280_000, maxBuffer: 1 << 20, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
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

    // Assess (figures in MB, after GC)
    const grew = (phase: PhaseResult | undefined, figure: keyof MemoryFigures) => (phase ? phase.after[figure] - phase.before[figure] : Number.NaN);
    const report = JSON.stringify(result);
    expect(grew(result.queries, 'heapMb'), report).toBeLessThan(6);
    expect(grew(result.queries, 'rssMb'), report).toBeLessThan(120);
    expect(result.feed?.alerts, report).toBe(FEED_ITEMS);
    expect(grew(result.feed, 'heapMb'), report).toBeLessThan(10);
    expect(grew(result.feed, 'rssMb'), report).toBeLessThan(120);
    expect(grew(result.memoryStore, 'arrayBuffersMb'), report).toBeLessThan(3);
    expect(grew(result.memoryStore, 'heapMb'), report).toBeLessThan(8);
  }, 300_000);
});
