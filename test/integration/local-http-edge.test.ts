// The local server's front door with request targets no browser would send, written raw on a socket: each gets a
// problem answer below 500 (or Node's own 4xx for what HTTP itself refuses), never a crash or an internal error.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#local/runtime.js';
import { startTestRuntime } from '../helpers/runtime.js';

let runtime: LocalRuntime;

beforeAll(async () => {
  runtime = await startTestRuntime();
});
afterAll(async () => {
  await runtime?.stop();
});

/** Sends one raw HTTP/1.1 request and returns the status line's code and the body. */
function raw(target: string, method = 'GET'): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(runtime.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${runtime.adminKey.key}\r\nconnection: close\r\n\r\n`);
    });
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text });
    });
  });
}

describe('local HTTP server with odd request targets', () => {
  it.each([
    'http://[',
    'http://127.0.0.1/feeds',
    '*',
    '/feeds/%',
    '/feeds/%E0%A4%A',
    '/feeds/%2F..%2Fkeys',
    '/feeds/../keys',
    '//',
    '/feeds?limit=%zz',
    '/feeds?limit=1&limit=2',
    '/feeds?__proto__=1',
    `/feeds/${'a'.repeat(6000)}`,
  ])('answers %j below 500, as problem+json when it reaches the API', async (target) => {
    const answer = await raw(target);

    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.text).not.toMatch(/\bat [^\s]+ \(|internal/i);
    if (answer.text.includes('content-type:')) expect(answer.text.toLowerCase()).toContain('application/problem+json');
  });
});
