// Loopback HTTP servers for integration tests (feeds, hubs, receivers), and waiting for what they observe.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts `server` on a free port of 127.0.0.1; its origin, e.g. http://127.0.0.1:40123. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The first defined value `probe` gives, asked every 20 ms; throws after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface RecordedRequest {
  headers: Record<string, string>;
  body: string;
}

/** A loopback receiver that answers every request with `status` and records it: `url` ends in /hook. */
export async function startRecordingReceiver(status = 200): Promise<{ server: Server; url: string; received: RecordedRequest[] }> {
  const received: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[key] = value;
      received.push({ headers, body });
      res.writeHead(status).end();
    });
  });
  return { server, url: `${await listen(server)}/hook`, received };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
