// The webhook channel against real HTTP servers on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SNSClient } from '@aws-sdk/client-sns';
import { createAlertSender, createWebhookSender } from '#adapters/alert-senders/index.js';
import type { AlertSenderDeps } from '#adapters/alert-senders/index.js';
import { DeliveryError } from '#domain/errors.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import type { AlertPayload, Subscription } from '#domain/types.js';

interface ReceivedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Resolves when the server sees a connection close (the sender gave up on it). */
  closedConnections: number;
  server: http.Server;
}

const servers: http.Server[] = [];

async function startReceiver(respond: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<Receiver> {
  const receiver: Receiver = { url: '', requests: [], closedConnections: 0, server: http.createServer() };
  receiver.server.on('connection', (socket) => socket.on('close', () => receiver.closedConnections++));
  receiver.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      receiver.requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      respond(req, res);
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  servers.push(receiver.server);
  const { port } = receiver.server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks/news`;
  return receiver;
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

const secret = generateWebhookSecret((n) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) % 256));

const alert: AlertPayload = {
  type: 'alert.created',
  version: '1',
  id: 'dlv_Qm9vbS1ib29tLWJvb20',
  timestamp: '2025-03-01T10:06:00.000Z',
  subscriptionId: 'sub_1',
  article: {
    articleId: 'art_1',
    storyId: 'art_1',
    url: 'https://news.example.com/a',
    title: 'Putin and Xi meet — «diplomacy»',
    summary: 'Talks in Moscow',
    publishedAt: '2025-03-01T10:00:00.000Z',
    sourceName: 'Example News',
    language: 'en',
  },
  classification: {
    topics: [{ code: 'medtop:11000000', label: 'politics', score: 0.9, evidence: [] }],
    countries: [{ code: 'RU', role: 'primary', score: 0.9, evidence: [] }],
    classifierVersion: 'v1',
  },
  reasons: { topics: [], countries: [{ code: 'RU', role: 'primary', score: 0.9 }], keywords: [] },
};

function webhookSubscription(url: string): Subscription {
  return {
    subscriptionId: 'sub_1',
    owner: 'alice',
    topics: [],
    countries: ['RU'],
    keywords: [],
    channel: { type: 'webhook', url, secret },
    status: 'active',
    createdAt: '2025-01-01T00:00:00.000Z',
  };
}

function sender(overrides: Partial<AlertSenderDeps> = {}) {
  return createAlertSender({
    policy: { allowLoopback: true },
    sqs: new SQSClient({ region: 'eu-west-1' }),
    sns: new SNSClient({ region: 'eu-west-1' }),
    userAgent: 'newsalert-test/1',
    // The receiver verifies against its own clock, so the signature must carry real time.
    now: () => new Date(),
    ...overrides,
  });
}

async function deliveryError(promise: Promise<void>): Promise<DeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${String(error)}`);
  return error;
}

describe('webhook channel', () => {
  it('POSTs the alert JSON with Standard Webhooks headers that verify with the subscriber secret', async () => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(204).end());

    // Act
    await sender().send(webhookSubscription(receiver.url), alert);

    // Assess
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/hooks/news');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['user-agent']).toBe('newsalert-test/1');
    expect(request?.headers['webhook-id']).toBe(alert.id);
    const verified = new Webhook(secret).verify(request?.body ?? '', request?.headers as Record<string, string>);
    expect(verified).toEqual(alert);
  });

  it('signs with the timestamp of the injected clock', async () => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end('ok'));
    const at = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);

    // Act
    await sender({ now: () => at }).send(webhookSubscription(receiver.url), alert);

    // Assess
    expect(receiver.requests[0]?.headers['webhook-timestamp']).toBe(String(at.getTime() / 1000));
  });

  it('reports 410 Gone as a permanent failure with the status', async () => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(410).end('subscription removed'));

    // Act
    const error = await deliveryError(sender().send(webhookSubscription(receiver.url), alert));

    // Assess
    expect(error.permanent).toBe(true);
    expect(error.httpStatus).toBe(410);
    expect(error.message).toContain('http-410');
    expect(error.message).toContain('subscription removed');
  });

  it.each([
    [503, false],
    [500, false],
    [429, false],
    [408, false],
    [400, true],
    [401, true],
    [404, true],
  ])('treats HTTP %i as permanent=%s', async (status, permanent) => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(status).end());

    // Act
    const error = await deliveryError(sender().send(webhookSubscription(receiver.url), alert));

    // Assess
    expect(error.permanent).toBe(permanent);
    expect(error.httpStatus).toBe(status);
  });

  it('does not follow a redirect and fails permanently', async () => {
    // Prepare
    const target = await startReceiver((_req, res) => res.writeHead(200).end());
    const redirector = await startReceiver((_req, res) => res.writeHead(307, { location: target.url }).end());

    // Act
    const error = await deliveryError(sender().send(webhookSubscription(redirector.url), alert));

    // Assess
    expect(error.permanent).toBe(true);
    expect(error.httpStatus).toBe(307);
    expect(target.requests).toHaveLength(0);
  });

  it('gives up on a slow receiver after timeoutMs, closes the connection and allows a retry', async () => {
    // Prepare: the receiver reads the request and never answers.
    const receiver = await startReceiver(() => undefined);
    const started = Date.now();

    // Act
    const error = await deliveryError(sender({ timeoutMs: 300 }).send(webhookSubscription(receiver.url), alert));

    // Assess
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.permanent).toBe(false);
    expect(error.message).toContain('timeout');
    await expect.poll(() => receiver.closedConnections, { timeout: 2_000 }).toBe(1);
  });

  it('accepts a 2xx with a large body without buffering it all', async () => {
    // Prepare
    const receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(2 * 1024 * 1024));
    });

    // Act / Assess
    await expect(sender().send(webhookSubscription(receiver.url), alert)).resolves.toBeUndefined();
  });

  it('reports a refused connection as retryable', async () => {
    // Prepare: a port that was just free.
    const receiver = await startReceiver(() => undefined);
    const url = receiver.url;
    servers.splice(servers.indexOf(receiver.server), 1);
    await new Promise<void>((resolve) => receiver.server.close(() => resolve()));

    // Act
    const error = await deliveryError(sender().send(webhookSubscription(url), alert));

    // Assess
    expect(error.permanent).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
  });

  it.each(['127.0.0.1', 'localhost'])('refuses loopback (%s) permanently when the policy does not allow it', async (host) => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const url = receiver.url.replace('127.0.0.1', host);

    // Act
    const error = await deliveryError(sender({ policy: { allowLoopback: false } }).send(webhookSubscription(url), alert));

    // Assess
    expect(error.permanent).toBe(true);
    expect(error.message).toContain('blocked-address');
    expect(receiver.requests).toHaveLength(0);
  });

  it('refuses a cloud metadata address without connecting', async () => {
    // Act
    const error = await deliveryError(sender().send(webhookSubscription('http://169.254.169.254/latest/meta-data/'), alert));

    // Assess
    expect(error.permanent).toBe(true);
    expect(error.message).toContain('blocked-address');
  });

  it('the webhook-only sender delivers webhooks and refuses other channels permanently', async () => {
    // Prepare
    const receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const webhookOnly = createWebhookSender({ policy: { allowLoopback: true }, now: () => new Date() });

    // Act
    await webhookOnly.send(webhookSubscription(receiver.url), alert);
    const error = await deliveryError(webhookOnly.send({ ...webhookSubscription(receiver.url), channel: { type: 'sns' } }, alert));

    // Assess
    expect(receiver.requests).toHaveLength(1);
    expect(error.permanent).toBe(true);
  });
});
