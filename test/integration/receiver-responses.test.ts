// What a failing receiver answers reaches the logs and the delivery log bounded (512 bytes) and without its headers
// (issue 16): a receiver cannot fill either, nor get a header value of its choosing written into them.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ArticleEvent, ClassifiedArticle, Subscription } from '#domain/types.js';
import { MAX_FAILURE_DETAIL_BYTES } from '#handlers/deliverer.js';
import type { LocalRuntime } from '#local/runtime.js';
import { closeServer, listen } from '../helpers/http.js';
import { captureOutputLines } from '../helpers/output.js';
import { startTestRuntime } from '../helpers/runtime.js';

const HEADER_SECRET = `hdr-${randomBytes(12).toString('hex')}`;
const BODY_TAIL = `tail-${randomBytes(12).toString('hex')}`;

/**
 * Answers by path: a 500 with a 100 KB body, a 400 of 3-byte characters, a redirect, an empty 500; each with headers
 * carrying a marker that must never be written anywhere.
 */
function startNoisyReceivers(): Server {
  return createServer((req, res) => {
    req.resume().on('end', () => {
      const headers = { 'x-receiver-token': HEADER_SECRET, 'set-cookie': `session=${HEADER_SECRET}` };
      if (req.url === '/huge') res.writeHead(500, headers).end('error '.repeat(20_000) + BODY_TAIL);
      else if (req.url === '/wide') res.writeHead(400, headers).end('中'.repeat(5_000));
      else if (req.url === '/moved') res.writeHead(301, { ...headers, location: `https://elsewhere.example/hook?token=${HEADER_SECRET}` }).end();
      else res.writeHead(500, { ...headers, 'retry-after': '1' }).end();
    });
  });
}

function articleEvent(articleId: string): ArticleEvent {
  const now = new Date().toISOString();
  const article: ClassifiedArticle = {
    articleId,
    storyId: articleId,
    url: `https://news.example/${articleId}`,
    title: 'Nairobi opens a new rail line',
    summary: 'The details.',
    publishedAt: now,
    fetchedAt: now,
    feedId: 'feed-noisy',
    sourceName: 'Noisy News',
    language: 'en',
    classification: { language: 'en', topics: [], countries: [{ code: 'KE', role: 'primary', score: 0.9, evidence: [] }], classifierVersion: 'test' },
  };
  return { type: 'article.created', version: '1', eventId: `article.created:${articleId}`, occurredAt: now, article };
}

describe('failing receivers in logs and the delivery log', () => {
  let runtime: LocalRuntime;
  let receivers: Server;
  const lines: string[] = [];
  const paths = ['huge', 'wide', 'moved', 'empty'];

  beforeAll(async () => {
    receivers = startNoisyReceivers();
    const origin = await listen(receivers);
    captureOutputLines(lines);
    try {
      // Two attempts: one retry scheduled (logged), then the final failure (logged, recorded, status reason).
      runtime = await startTestRuntime({ logLevel: 'INFO', retryPolicy: { scheduleSeconds: [0, 1], jitterRatio: 0, maxRetryAfterSeconds: 1 } });
      for (const path of paths) {
        const subscription: Subscription = {
          subscriptionId: `noisy-${path}`,
          owner: 'noisy',
          topics: [],
          countries: ['KE'],
          keywords: [],
          channel: { type: 'webhook', url: `${origin}/${path}`, secret: 'whsec_' + randomBytes(24).toString('base64') },
          status: 'active',
          createdAt: new Date().toISOString(),
        };
        await runtime.deps.subscriptions.put(subscription);
      }
      await runtime.deps.articleEvents.publish(articleEvent('noisy-story'));
      await runtime.settle(20_000);
    } finally {
      vi.restoreAllMocks();
    }
  });
  afterAll(async () => {
    await runtime?.stop();
    await closeServer(receivers);
  });

  const bytes = (text: string | undefined) => Buffer.byteLength(text ?? '', 'utf8');

  it('records each failure with at most 512 bytes of detail, cut on a character boundary', async () => {
    for (const path of paths) {
      // Act
      const record = await runtime.deps.deliveries.get(`noisy-${path}`, 'noisy-story');
      const failure = await runtime.deps.deliveries.getFailure(`noisy-${path}`, 'noisy-story');
      const subscription = await runtime.deps.subscriptions.get(`noisy-${path}`);

      // Assess
      expect(record?.status).toBe('failed');
      expect(failure?.error).toContain('http-');
      for (const text of [record?.lastError, failure?.error]) {
        expect(bytes(text)).toBeLessThanOrEqual(MAX_FAILURE_DETAIL_BYTES);
        expect(text).not.toContain('\uFFFD');
      }
      expect(subscription?.statusReason).toBeDefined();
      expect(bytes(subscription?.statusReason)).toBeLessThanOrEqual(MAX_FAILURE_DETAIL_BYTES + 100);
    }
    const huge = await runtime.deps.deliveries.get('noisy-huge', 'noisy-story');
    expect(huge?.lastError).toContain('http-500');
  });

  it('logs each failure with at most 512 bytes of what the receiver said, and none of its headers', () => {
    // Act
    const failures = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { message?: string; detail?: string })
      .filter((log) => log.detail !== undefined);

    // Assess: the two retryable ones are logged twice (retry scheduled, then given up), the permanent ones once.
    expect(failures.length).toBeGreaterThanOrEqual(6);
    for (const log of failures) expect(bytes(log.detail)).toBeLessThanOrEqual(MAX_FAILURE_DETAIL_BYTES);
    const output = lines.join('\n');
    expect(output).not.toContain(HEADER_SECRET);
    expect(output).not.toContain(BODY_TAIL);
  });
});
