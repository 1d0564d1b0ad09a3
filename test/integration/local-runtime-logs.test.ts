// The local runtime's handler logs: structured JSON, one object per line, each invocation's lines carrying its
// correlation id, and never a webhook secret or an API key, even at DEBUG with requests that present keys.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalRuntime, type LocalRuntime } from '#local/runtime.js';
import { captureOutputLines } from '../helpers/output.js';

describe('local runtime logs', () => {
  let runtime: LocalRuntime;
  const lines: string[] = [];
  let secrets: string[] = [];

  beforeAll(async () => {
    // Prepare: capture everything the handlers write while the demo runs end to end and the API is called.
    captureOutputLines(lines);
    try {
      runtime = await startLocalRuntime({
        port: 0,
        demo: true,
        catalogue: false,
        schedulerIntervalMs: 0,
        timeScale: 0.01,
        logLevel: 'DEBUG',
        say: () => {},
      });
      await runtime.tick();
      await runtime.settle(20_000);
      const headers = { authorization: `Bearer ${runtime.adminKey.key}`, 'x-correlation-id': 'logs-test-1' };
      const created = await fetch(`${runtime.url}/subscriptions`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ topics: [], countries: ['FR'], keywords: [], channel: { type: 'webhook', url: `${runtime.url}/demo/receiver/x` } }),
      });
      await created.text();
      await (await fetch(`${runtime.url}/feeds`, { headers: { 'x-api-key': runtime.adminKey.key } })).text();
      secrets = (await runtime.deps.subscriptions.list()).flatMap((s) => (s.channel.type === 'webhook' ? [s.channel.secret] : []));
    } finally {
      vi.restoreAllMocks();
    }
  });
  afterAll(async () => {
    await runtime?.stop();
  });

  it('writes handler logs as one JSON object per line', () => {
    const handlerLines = lines.filter((line) => line.startsWith('{'));
    expect(handlerLines.length).toBeGreaterThan(10);
    for (const line of handlerLines) expect(() => JSON.parse(line), line).not.toThrow();
  });

  it('carries a correlation id in every line logged inside an invocation, the caller-supplied one for the API', () => {
    // Act
    const invocationLogs = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((log) => log.function_request_id !== undefined);

    // Assess
    expect(invocationLogs.length).toBeGreaterThan(0);
    for (const log of invocationLogs) {
      expect(log.correlation_id ?? log.messageIds, JSON.stringify(log)).toBeDefined();
    }
  });

  it('never writes a webhook secret or the API key', () => {
    const output = lines.join('\n');
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(output).not.toContain(secret);
    expect(output).not.toContain(runtime.adminKey.key);
    expect(output).not.toContain(runtime.adminKey.key.slice(-24));
  });
});
