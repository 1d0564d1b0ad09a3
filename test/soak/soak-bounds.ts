// The bounds of the memory soak (store-soak.ts), shared by the soak script (`npm run soak`) and the test that runs
// it in npm test (test/integration/store-soak.test.ts).

export interface MemoryFigures {
  rssMb: number;
  heapMb: number;
  arrayBuffersMb: number;
}

export interface PhaseResult {
  before: MemoryFigures;
  after: MemoryFigures;
  operations: number;
  ms: number;
  /** CPU time of the whole process during the phase (user + system). */
  cpuMs: number;
}

export interface SoakResult {
  queries?: PhaseResult;
  feed?: PhaseResult & { alerts: number };
  memoryStore?: PhaseResult;
}

/** What a phase may add (MB, after GC), whatever its size: the leaks fixed in dynalite-engine.ts grow with it. */
export const SOAK_BOUNDS = {
  queries: { heapMb: 6, rssMb: 120 },
  feed: { heapMb: 10, rssMb: 120 },
  memoryStore: { heapMb: 8, arrayBuffersMb: 3 },
} as const satisfies Record<keyof SoakResult, Partial<Record<keyof MemoryFigures, number>>>;

/** Every bound the result exceeds, and a feed that did not alert every item once; empty when it holds. */
export function soakViolations(result: SoakResult, feedItems: number): string[] {
  const violations: string[] = [];
  for (const name of Object.keys(SOAK_BOUNDS) as (keyof SoakResult)[]) {
    const phase = result[name];
    if (phase === undefined) continue;
    for (const [figure, bound] of Object.entries(SOAK_BOUNDS[name]) as [keyof MemoryFigures, number][]) {
      const grew = Math.round((phase.after[figure] - phase.before[figure]) * 10) / 10;
      if (!(grew < bound)) violations.push(`${name}: ${figure} grew ${grew} MB, bound ${bound} MB`);
    }
  }
  if (result.feed !== undefined && result.feed.alerts !== feedItems) violations.push(`feed: ${result.feed.alerts} alerts for ${feedItems} items`);
  return violations;
}
