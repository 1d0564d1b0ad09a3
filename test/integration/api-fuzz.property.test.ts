// The API never answers 5xx to bad input: fast-check throws random methods, paths (real route templates filled with
// ids of every kind), query parameters, headers and bodies at the API handler the Lambda runs, over dynalite with the
// real repositories and key checks. Every answer must be below 500, carry no stack or internal detail, and fit the
// OpenAPI document (problem+json for errors). Only the outside world is faked: no DNS, no feed fetches.
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { checkAddress } from '#adapters/http/ssrf.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { generateApiKey } from '#domain/api-key.js';
import { FeedError } from '#domain/errors.js';
import { newFeed } from '#domain/feed.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import { createApiHandler, createApiRoutes, type ApiDeps } from '#handlers/api/index.js';
import { createLogger } from '#shared/logger.js';
import { apiEvents, type FuzzContext } from '../helpers/api-fuzz.js';
import { ContractValidator } from '../helpers/openapi.js';
import { startLocalTables, type LocalTables } from './dynamo/local-tables.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 5_000);
const SEED = 20_261_201;

/** What no answer may show a caller: stack frames, error classes and store errors, file paths, table names. */
const INTERNALS = [
  /\bat [^\s"]+ \(/,
  /\bat [^\s"]+:\d+:\d+/,
  /\b(TypeError|RangeError|SyntaxError|ReferenceError|URIError)\b/,
  /\b(ValidationException|ConditionalCheckFailedException|ResourceNotFoundException|SerializationException|ThrottlingException)\b/,
  /node_modules|\/work\/|file:\/\//,
  /fuzz-(feeds|subscriptions|deliveries|articles|apiKeys)/,
];

describe('API property: no 5xx and no internal detail for any request', () => {
  let local: LocalTables;
  let handler: ReturnType<typeof createApiHandler>;
  let context: FuzzContext;
  const contract = new ContractValidator();
  const logged: string[] = [];

  beforeAll(async () => {
    local = await startLocalTables('fuzz');
    const now = new Date('2026-01-01T00:00:00Z');
    const random = (size: number) => randomBytes(size);
    const apiKeys = new DynamoApiKeyRepository(local.doc, local.names.apiKeys);
    // Silent, except that an error the router logs (a 500 in the making) is kept for the last assertion.
    const logger = createLogger('fuzz', 'SILENT');
    logger.error = ((message: unknown) => void logged.push(String(message))) as typeof logger.error;
    const admin = generateApiKey({ scope: 'admin' }, { now, randomBytes: random });
    const owner = generateApiKey({ scope: 'owner', owner: 'alice' }, { now, randomBytes: random });
    await apiKeys.create(admin.record);
    await apiKeys.create(owner.record);
    const deps: ApiDeps = {
      feeds: new DynamoFeedRepository(local.doc, local.names.feeds),
      subscriptions: new DynamoSubscriptionRepository(local.doc, local.names.subscriptions),
      deliveries: new DynamoDeliveryRepository(local.doc, local.names.deliveries),
      articles: new DynamoArticleRepository(local.doc, local.names.articles),
      apiKeys,
      deliveryQueue: { send: async () => {} },
      deliveryDeadLetters: { redrive: async () => ({ moved: 0 }) },
      actionSlots: new DynamoDigestBuffer(local.doc, local.names.digests),
      // The outside world, faked: an address verdict without DNS, and no feed ever reachable.
      assertUrlAllowed: async (url) => {
        const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
        const verdict = /^[\d.]+$|:/.test(host) ? checkAddress(host, { allowLoopback: false }) : { allowed: true as const };
        if (!verdict.allowed) throw new FeedError('blocked-address', verdict.reason);
      },
      fetcher: { fetch: async () => Promise.reject(new FeedError('dns', 'no network in this test')) },
      unsubscribeLinks: createUnsubscribeLinks({ secret: 'fuzz-unsubscribe-secret-0123456789', baseUrl: 'https://api.example' }),
      cursorSecret: 'fuzz-cursor-secret',
      // Never used: no feed is reachable, so none is found to have a hub.
      websub: createWebSubConfig('https://api.example', { allowLoopback: false }),
      clock: { now: () => new Date() },
      newId: () => randomBytes(16).toString('hex'),
      randomBytes: random,
      logger,
    };
    const feed = newFeed({ url: 'https://news.example/rss.xml' }, now);
    await deps.feeds.create(feed);
    await deps.subscriptions.put({
      subscriptionId: 'sub_alice',
      owner: 'alice',
      topics: [],
      countries: ['FR'],
      keywords: [],
      channel: { type: 'sns' },
      status: 'active',
      createdAt: now.toISOString(),
    });
    await deps.deliveries.acquire({ subscriptionId: 'sub_alice', deliveryKey: 'story_1', deliveryId: 'dlv_1', now: now.toISOString(), leaseSeconds: 60, ttlEpochSeconds: 2_000_000_000 });
    handler = createApiHandler(deps);
    context = {
      routes: createApiRoutes(deps).map(({ method, path }) => ({ method, path })),
      knownIds: [feed.feedId, 'sub_alice', admin.record.keyId, owner.record.keyId, 'story_1'],
      adminKey: admin.key,
      ownerKey: owner.key,
    };
  }, 60_000);

  afterAll(async () => {
    await local?.close();
  });

  it(`answers ${RUNS} random requests below 500, without internals, as the document says`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(apiEvents(context), async (event) => {
        const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
        const status = result.statusCode ?? 200;
        const body = result.body ?? '';
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const method = event.requestContext.http.method;
        expect(status, `${method} ${event.rawPath.slice(0, 200)}: ${body.slice(0, 300)}`).toBeLessThan(500);
        for (const pattern of INTERNALS) expect(body, `${method} ${event.rawPath.slice(0, 200)}`).not.toMatch(pattern);
        const contentType = String(result.headers?.['content-type'] ?? '');
        expect(contract.checkResponse(method, event.rawPath, status, contentType, body)).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );

    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    console.log(`api property: ${total} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(total).toBe(RUNS);
    expect(logged).toEqual([]);
  }, 300_000);
});
