// The local runtime as tests use it: a free port, nothing persisted, no timer (tests tick), fast queues, quiet.
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '#local/runtime.js';

export function testRuntimeOptions(overrides: Partial<LocalRuntimeOptions> = {}): LocalRuntimeOptions {
  return {
    port: 0,
    demo: false,
    catalogue: false,
    schedulerIntervalMs: 0,
    timeScale: 0.01,
    logLevel: 'SILENT',
    say: () => {},
    ...overrides,
  };
}

export function startTestRuntime(overrides: Partial<LocalRuntimeOptions> = {}): Promise<LocalRuntime> {
  return startLocalRuntime(testRuntimeOptions(overrides));
}
