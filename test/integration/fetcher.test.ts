import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedError } from '#domain/errors.js';
import { createFeedFetcher, DEFAULT_USER_AGENT, parseRetryAfter } from '#adapters/http/feed-fetcher.js';

const FEED = `<?xml version="1.0"?><rss version="2.0"><channel><title>Loopback news</title></channel></rss>`;

interface TestServer {
  base: string;
  requests: http.IncomingMessage[];
  connections: number;
  closedSockets: number;
}

const servers: http.Server[] = [];
const openSockets = new Set<Socket>();

async function startServer(handler: http.RequestListener): Promise<TestServer> {
  const state: TestServer = { base: '', requests: [], connections: 0, closedSockets: 0 };
  const server = http.createServer((req, res) => {
    state.requests.push(req);
    handler(req, res);
  });
  server.on('connection', (socket) => {
    state.connections += 1;
    openSockets.add(socket);
    socket.on('close', () => {
      state.closedSockets += 1;
      openSockets.delete(socket);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

afterEach(async () => {
  for (const socket of openSockets) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function fetchError(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

const loopback = { allowLoopback: true };

describe('createFeedFetcher against loopback servers', () => {
  it('returns the decompressed body of a gzip response with its validators and identifies itself', async () => {
    // Prepare
    const server = await startServer((req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/rss+xml; charset=utf-8',
        'Content-Encoding': 'gzip',
        ETag: '"v1"',
        'Last-Modified': 'Mon, 03 Jun 2024 07:00:00 GMT',
      });
      res.end(zlib.gzipSync(FEED));
    });
    const fetcher = createFeedFetcher({ policy: loopback });

    // Act
    const result = await fetcher.fetch({ url: `${server.base}/feed.xml` });

    // Assess
    expect(result).toMatchObject({
      status: 'ok',
      httpStatus: 200,
      url: `${server.base}/feed.xml`,
      finalUrl: `${server.base}/feed.xml`,
      permanentRedirect: false,
      contentType: 'application/rss+xml; charset=utf-8',
      etag: '"v1"',
      lastModified: 'Mon, 03 Jun 2024 07:00:00 GMT',
    });
    expect(result.status === 'ok' && result.body.toString('utf8')).toBe(FEED);
    const [request] = server.requests;
    expect(request?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(request?.headers['accept']).toContain('application/rss+xml');
    expect(request?.headers['accept-encoding']).toContain('gzip');
  });

  it.each([
    ['deflate', (body: string) => zlib.deflateSync(body)],
    ['deflate', (body: string) => zlib.deflateRawSync(body)],
    ['br', (body: string) => zlib.brotliCompressSync(body)],
  ])('decodes %s bodies', async (encoding, compress) => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': encoding });
      res.end(compress(FEED));
    });

    const result = await createFeedFetcher({ policy: loopback }).fetch({ url: server.base });

    expect(result.status === 'ok' && result.body.toString('utf8')).toBe(FEED);
  });

  it('resolves a host name through the guarded lookup when the policy allows the address', async () => {
    const server = await startServer((_req, res) => res.end(FEED));
    const byName = server.base.replace('127.0.0.1', 'localhost');

    const result = await createFeedFetcher({ policy: loopback }).fetch({ url: `${byName}/feed` });

    expect(result).toMatchObject({ status: 'ok', finalUrl: `${byName}/feed` });
  });

  it('sends the stored validators and reports 304 as not-modified', async () => {
    // Prepare
    const server = await startServer((req, res) => {
      if (req.headers['if-none-match'] === '"abc"') {
        res.writeHead(304, { ETag: '"abc"' });
        res.end();
        return;
      }
      res.end(FEED);
    });

    // Act
    const result = await createFeedFetcher({ policy: loopback }).fetch({
      url: `${server.base}/feed`,
      etag: '"abc"',
      lastModified: 'Sun, 02 Jun 2024 10:00:00 GMT',
    });

    // Assess
    expect(result).toEqual({
      status: 'not-modified',
      httpStatus: 304,
      url: `${server.base}/feed`,
      finalUrl: `${server.base}/feed`,
      permanentRedirect: false,
      etag: '"abc"',
      lastModified: 'Sun, 02 Jun 2024 10:00:00 GMT',
    });
    expect(server.requests[0]?.headers['if-modified-since']).toBe('Sun, 02 Jun 2024 10:00:00 GMT');
  });

  it('follows a 301 and reports the final URL as a permanent redirect', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/old') {
        res.writeHead(301, { Location: '/new' });
        res.end();
        return;
      }
      res.end(FEED);
    });

    const result = await createFeedFetcher({ policy: loopback }).fetch({ url: `${server.base}/old` });

    expect(result).toMatchObject({ status: 'ok', url: `${server.base}/old`, finalUrl: `${server.base}/new`, permanentRedirect: true });
  });

  it('does not call a chain permanent when one hop is temporary', async () => {
    const server = await startServer((req, res) => {
      const next: Record<string, [number, string]> = { '/a': [301, '/b'], '/b': [302, '/c'], '/c': [308, '/d'] };
      const hop = next[req.url ?? ''];
      if (hop) {
        res.writeHead(hop[0], { Location: hop[1] });
        res.end();
        return;
      }
      res.end(FEED);
    });

    const result = await createFeedFetcher({ policy: loopback }).fetch({ url: `${server.base}/a` });

    expect(result).toMatchObject({ status: 'ok', finalUrl: `${server.base}/d`, permanentRedirect: false });
  });

  it('gives up on a redirect loop with too-many-redirects after maxRedirects hops', async () => {
    const server = await startServer((req, res) => {
      res.writeHead(302, { Location: req.url === '/ping' ? '/pong' : '/ping' });
      res.end();
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback, maxRedirects: 3 }).fetch({ url: `${server.base}/ping` }));

    expect(error.reason).toBe('too-many-redirects');
    expect(server.requests).toHaveLength(4);
  });

  it('times out a server that never answers and closes the socket', async () => {
    // Prepare
    const server = await startServer(() => {
      // Never respond.
    });
    const started = Date.now();

    // Act
    const error = await fetchError(createFeedFetcher({ policy: loopback, totalTimeoutMs: 300 }).fetch({ url: server.base }));

    // Assess
    expect(error.reason).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => server.closedSockets === 1);
  });

  it('times out a body that trickles in forever', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
      res.write('<rss version="2.0">');
      const timer = setInterval(() => res.write(' '), 20);
      res.on('close', () => clearInterval(timer));
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback, totalTimeoutMs: 300 }).fetch({ url: server.base }));

    expect(error.reason).toBe('timeout');
    await waitFor(() => server.closedSockets === 1);
  });

  it('aborts an endless body as too-large soon after the cap', async () => {
    // Prepare
    let sent = 0;
    const server = await startServer((_req, res) => {
      const chunk = Buffer.alloc(16 * 1024, 0x20);
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const started = Date.now();

    // Act
    const error = await fetchError(createFeedFetcher({ policy: loopback, maxBodyBytes: 256 * 1024 }).fetch({ url: server.base }));

    // Assess
    expect(error.reason).toBe('too-large');
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor(() => server.closedSockets === 1);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('applies the size cap to the decompressed bytes of a gzip bomb', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': bomb.length });
      res.end(bomb);
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback, maxBodyBytes: 1024 * 1024 }).fetch({ url: server.base }));

    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(error.reason).toBe('too-large');
  });

  it('refuses a declared Content-Length above the cap without reading the body', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Length': 10 * 1024 * 1024 });
      res.write(Buffer.alloc(1024));
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback, maxBodyBytes: 1024 * 1024 }).fetch({ url: server.base }));

    expect(error.reason).toBe('too-large');
  });

  it('reports a corrupt gzip body as a decompression failure', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(Buffer.from('this is not gzip at all'));
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback }).fetch({ url: server.base }));

    expect(error.reason).toBe('decompression');
  });

  it('turns 429 with Retry-After: 120 into http-429 with retryAfterSeconds 120', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(429, { 'Retry-After': '120' });
      res.end('slow down');
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback }).fetch({ url: server.base }));

    expect(error).toMatchObject({ reason: 'http-429', httpStatus: 429, retryAfterSeconds: 120 });
  });

  it('reports other statuses as http-<status> without a retry hint', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(404, { 'Retry-After': '60' });
      res.end('gone');
    });

    const error = await fetchError(createFeedFetcher({ policy: loopback }).fetch({ url: server.base }));

    expect(error).toMatchObject({ reason: 'http-404', httpStatus: 404, retryAfterSeconds: undefined });
  });

  it('blocks a loopback server when the policy forbids loopback, before any connection', async () => {
    const server = await startServer((_req, res) => res.end(FEED));

    const direct = await fetchError(createFeedFetcher({ policy: { allowLoopback: false } }).fetch({ url: server.base }));
    const byName = await fetchError(
      createFeedFetcher({ policy: { allowLoopback: false } }).fetch({ url: server.base.replace('127.0.0.1', 'localhost') }),
    );

    expect(direct.reason).toBe('blocked-address');
    expect(byName.reason).toBe('blocked-address');
    expect(server.connections).toBe(0);
  });

  it.each(['http://10.0.0.1/feed', 'http://169.254.169.254/latest/meta-data/', 'http://[::ffff:a9fe:a9fe]/'])(
    'refuses a redirect from an allowed server to %s without connecting to it',
    async (target) => {
      // Prepare
      const server = await startServer((_req, res) => {
        res.writeHead(302, { Location: target });
        res.end();
      });
      const started = Date.now();

      // Act: a connection attempt to these addresses would hang until the connect timeout.
      const error = await fetchError(createFeedFetcher({ policy: loopback, connectTimeoutMs: 5_000 }).fetch({ url: server.base }));

      // Assess
      expect(error.reason).toBe('blocked-address');
      expect(Date.now() - started).toBeLessThan(1_000);
    },
  );

  it('reports a refused connection as a connection failure', async () => {
    const server = await startServer(() => undefined);
    const closedUrl = server.base;
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));

    const error = await fetchError(createFeedFetcher({ policy: loopback }).fetch({ url: closedUrl }));

    expect(error.reason).toBe('connection');
  });

  it('rejects a URL that is not http(s) as invalid-url', async () => {
    const error = await fetchError(createFeedFetcher({ policy: loopback }).fetch({ url: 'file:///etc/passwd' }));

    expect(error.reason).toBe('invalid-url');
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates relative to now, never negative', () => {
    const now = Date.parse('2024-06-03T10:00:00Z');

    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Mon, 03 Jun 2024 10:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('Mon, 03 Jun 2024 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
