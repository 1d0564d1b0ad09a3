// The local runtime: the handlers of all eight deployed functions, in one process. DynamoDB is dynalite (the real wire
// protocol, in-process); SQS and SNS are carried by the in-process bus with SQS semantics; the API and the demo's
// feeds and receiver share one loopback HTTP server.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { ScheduledEvent } from 'aws-lambda';
import { createWebhookSender } from '#adapters/alert-senders/index.js';
import { alertAttributes } from '#adapters/alert-senders/sns.js';
import { articleEventAttributes } from '#adapters/aws-messaging.js';
import { topicParentOf } from '#domain/topic-tree.js';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoHostLimiter } from '#adapters/dynamo/host-limiter.js';
import { DynamoStoryIndex } from '#adapters/dynamo/stories-repository.js';
import { createDynamoClients, ensureTables, localTableNames, startDynalite } from '#adapters/dynamo/local-dynamo.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { assertUrlAllowed } from '#adapters/http/ssrf.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { classify } from '#adapters/classifier.js';
import { DEFAULT_POLLING_POLICY, newFeed } from '#domain/feed.js';
import type { AlertSender, ArticleEventPublisher, QueueMessage, QueueSender } from '#domain/ports.js';
import type { ArticleEvent, DeliveryMessage, PollMessage, Subscription } from '#domain/types.js';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import { createApiHandler } from '#handlers/api/index.js';
import { createDelivererHandler } from '#handlers/deliverer.js';
import { sendDueDigests, type DigestRunResult } from '#handlers/digest.js';
import type { RetryPolicy } from '#domain/retry-schedule.js';
import { DEFAULT_SETTINGS, type PipelineDeps } from '#handlers/deps.js';
import { writeMatchSnapshot } from '#handlers/match-snapshot.js';
import { createMatchIndexCache, createMatcherHandler } from '#handlers/matcher.js';
import { FileSnapshotStore, MemorySnapshotStore } from '#adapters/match-snapshots.js';
import { createPollerHandler } from '#handlers/poller.js';
import { createSchedulerHandler, type SchedulerResult } from '#handlers/scheduler.js';
import { createWebSubHandler, renewDueWebSubLeases } from '#handlers/websub.js';
import { createLogger } from '#shared/logger.js';
import { createLambdaContext, InProcessBus, type BusLog, type LocalQueue, type LocalTopic } from './bus.js';
import { DEFAULT_CATALOGUE } from './catalogue.js';
import { DEMO_FEEDS, DEMO_SUBSCRIPTIONS, renderDemoFeed } from './demo/content.js';
import { DemoReceiver, type ReceivedAlert } from './demo/receiver.js';
import { ensureLocalAdminKey, ensureLocalUnsubscribeSecret, openLocalChannelSecrets, type AdminKey } from './local-secrets.js';
import { preparePrivateDataDir } from './private-data-dir.js';
import { createLocalServer, toApiEvent, type ExtraRoute } from './http-server.js';

export interface LocalRuntimeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Persist the store here (LevelDB files under `<dataDir>/dynamodb`); undefined keeps everything in memory. */
  dataDir?: string;
  /** Load the built-in demo feeds and subscriptions when the store is empty. */
  demo: boolean;
  /** Add the catalogue of real public news feeds. */
  catalogue: boolean;
  /** How often the scheduler runs; 0 = only when `tick()` is called. */
  schedulerIntervalMs: number;
  /** Multiplies queue visibility timeouts and delays (1 = real seconds). */
  timeScale: number;
  /** Log level of the handlers' Powertools loggers. */
  logLevel: LogLevel;
  /** One human-readable line per notable event (alerts received, feeds polled). */
  say: (line: string) => void;
  /** Webhook retry schedule (tests shorten it). @default the Standard Webhooks example schedule */
  retryPolicy?: RetryPolicy;
  /** How often the digest run goes; 0 = only when `runDigests()` is called. @default 0 */
  digestIntervalMs?: number;
  /** Matcher shards, run as that many consumers of their own match queues, as deployed. @default 1 */
  matcherShards?: number;
}

export interface LocalRuntime {
  url: string;
  receiver: DemoReceiver;
  bus: InProcessBus;
  deps: PipelineDeps;
  loadedDemo: boolean;
  /** The admin API key (created on first start; with a data directory, also in `<dataDir>/admin-key`). */
  adminKey: AdminKey;
  /** Runs the scheduler once, now. */
  tick(): Promise<SchedulerResult>;
  /** Runs the digest Lambda's work once, as of `at` (default now): what is due then goes out. */
  runDigests(at?: Date): Promise<DigestRunResult>;
  /** Resolves when every queue is empty (nothing visible, in flight or delayed). */
  settle(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Deployed SQS default is 5 receives before the DLQ; the local runtime keeps that. */
const MAX_RECEIVE_COUNT = 5;

class LocalQueueSender<T> implements QueueSender<T> {
  constructor(private readonly queue: LocalQueue<T>) {}
  send(messages: QueueMessage<T>[]): Promise<void> {
    return this.queue.send(messages);
  }
}

class LocalArticleEventPublisher implements ArticleEventPublisher {
  constructor(private readonly topic: LocalTopic) {}
  async publish(event: ArticleEvent): Promise<void> {
    await this.topic.publish(JSON.stringify(event), articleEventAttributes(event, topicParentOf));
  }
}

/** Webhooks go out over real HTTP; the SQS and SNS channels land in in-process queues that stand for them. */
function createLocalAlertSender(webhook: AlertSender, bus: InProcessBus, alertsTopic: LocalTopic, say: (line: string) => void): AlertSender {
  return {
    async send(subscription: Subscription, alert) {
      const channel = subscription.channel;
      if (channel.type === 'webhook' || channel.type === 'slack') return webhook.send(subscription, alert);
      if (channel.type === 'sqs') {
        const name = `subscriber-${createHash('sha256').update(channel.queueUrl).digest('hex').slice(0, 12)}`;
        const queue = bus.listQueues().some((q) => q.name === name)
          ? bus.queue<unknown>(name)
          : bus.createQueue<unknown>(name, { visibilityTimeoutSeconds: 30, maxReceiveCount: MAX_RECEIVE_COUNT });
        await queue.sendRaw(JSON.stringify(alert));
        say(`alert ${alert.id} -> local stand-in for SQS ${channel.queueUrl}`);
        return;
      }
      await alertsTopic.publish(JSON.stringify(alert), alertAttributes(alert));
      say(`alert ${alert.id} -> local alerts topic`);
    },
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const say = options.say;
  let dynamoPath: string | undefined;
  if (options.dataDir) {
    preparePrivateDataDir(options.dataDir);
    dynamoPath = `${options.dataDir}/dynamodb`;
    mkdirSync(dynamoPath, { recursive: true });
  }
  const dynalite = await startDynalite(dynamoPath ? { path: dynamoPath } : {});
  const { client, doc } = createDynamoClients({ endpoint: dynalite.endpoint });
  const names = localTableNames();
  await ensureTables(client, names);
  const apiKeys = new DynamoApiKeyRepository(doc, names.apiKeys);
  const adminKey = await ensureLocalAdminKey(apiKeys, options.dataDir, new Date());
  const unsubscribeSecret = ensureLocalUnsubscribeSecret(options.dataDir);
  const channelSecrets = await openLocalChannelSecrets(dynalite, doc, names.subscriptions, options.dataDir);

  const scale = options.timeScale;
  const busLog: BusLog = (entry) => {
    if (entry.level === 'warn' || entry.level === 'error') say(`${entry.queue ?? entry.topic ?? 'bus'}: ${entry.message}`);
  };
  const bus = new InProcessBus({ timeScale: scale, log: busLog });
  // The same settings as the deployed queues: visibility 6x the consumer's timeout, DLQ after 5 receives.
  const queueWithDlq = <T>(name: string, visibilityTimeoutSeconds: number, batchSize = 10) =>
    bus.createQueue<T>(name, {
      visibilityTimeoutSeconds,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      batchSize,
      deadLetterQueue: bus.createQueue<T>(`${name}-dlq`, { visibilityTimeoutSeconds: 30, maxReceiveCount: 1_000 }),
    });
  const pollQueue = queueWithDlq<PollMessage>('poll', 360, 5);
  const shardCount = options.matcherShards ?? 1;
  // One match queue per matcher shard, each on the articles topic; shard 0 keeps the single matcher's name.
  const matchQueues = Array.from({ length: shardCount }, (_, shard) => queueWithDlq<ArticleEvent>(shard === 0 ? 'match' : `match-${shard}`, 180));
  const deliveryQueue = queueWithDlq<DeliveryMessage>('delivery', 180);
  const articlesTopic = bus.createTopic('articles');
  for (const matchQueue of matchQueues) articlesTopic.subscribeQueue(matchQueue, { rawMessageDelivery: true });
  const alertsTopic = bus.createTopic('alerts');

  const allowLoopback = { allowLoopback: true };
  const webhookSender = createWebhookSender({ policy: allowLoopback, now: () => new Date() });
  const deps: PipelineDeps = {
    feeds: new DynamoFeedRepository(doc, names.feeds),
    articles: new DynamoArticleRepository(doc, names.articles),
    subscriptions: new DynamoSubscriptionRepository(doc, names.subscriptions, { secrets: channelSecrets }),
    deliveries: new DynamoDeliveryRepository(doc, names.deliveries),
    pollQueue: new LocalQueueSender(pollQueue),
    stories: new DynamoStoryIndex(doc, names.ingest),
    // The bus scales queue delays by timeScale; the spacing a deferred poll waits out must shrink with them.
    hostLimiter: new DynamoHostLimiter(doc, names.ingest, {
      maxConcurrent: DEFAULT_POLLING_POLICY.hostConcurrency,
      minSpacingMs: DEFAULT_POLLING_POLICY.hostSpacingMs * scale,
    }),
    deliveryQueue: new LocalQueueSender(deliveryQueue),
    articleEvents: new LocalArticleEventPublisher(articlesTopic),
    // Locally the demo feeds and receiver are on loopback, so loopback is allowed here, and only here.
    fetcher: createFeedFetcher({ policy: allowLoopback }),
    alertSender: createLocalAlertSender(webhookSender, bus, alertsTopic, say),
    classify,
    assertUrlAllowed: (url) => assertUrlAllowed(url, allowLoopback),
    // WebSub callbacks go to this server's origin, known once it listens (hubs on loopback: tests only).
    websub: createWebSubConfig(() => origin, allowLoopback),
    clock: { now: () => new Date() },
    newId: () => randomUUID().replaceAll('-', ''),
    randomBytes: (size) => randomBytes(size),
    logger: createLogger('newsalert-local', options.logLevel),
    settings: {
      ...DEFAULT_SETTINGS,
      // A message the deliverer sends back (RetryLaterError) returns after the visibility timeout and must find the
      // lease it held expired, as deployed (60 s lease, 180 s visibility): the lease shrinks with the queues' times.
      // At least a second: a lease shorter than a send would let a duplicate message send the alert again.
      deliveryLeaseSeconds: Math.max(1, DEFAULT_SETTINGS.deliveryLeaseSeconds * scale),
      ...(options.retryPolicy === undefined ? {} : { retryPolicy: options.retryPolicy }),
    },
    digestBuffer: new DynamoDigestBuffer(doc, names.digests),
    deliveryDeadLetters: {
      send: (message) => deliveryQueue.deadLetterQueue!.send([{ body: message }]),
      redrive: async () => ({ moved: deliveryQueue.deadLetterQueue!.redrive(deliveryQueue) }),
    },
    random: Math.random,
    // Links point at this server's origin, known once it listens; read at the time a link is made.
    unsubscribeLinks: createUnsubscribeLinks({
      secret: unsubscribeSecret,
      get baseUrl() {
        return origin;
      },
    }),
  };
  const logger = (name: string) => createLogger(name, options.logLevel);
  const scheduler = createSchedulerHandler({ ...deps, logger: logger('scheduler') });
  pollQueue.consume(createPollerHandler({ ...deps, logger: logger('poller') }), { functionName: 'poller', functionTimeoutSeconds: 60 });
  // Snapshots beside the data (or in memory): written when the runtime stops, loaded by the next start.
  const matchSnapshots = options.dataDir ? new FileSnapshotStore(`${options.dataDir}/snapshots`) : new MemorySnapshotStore();
  const subscriptionsRepository = deps.subscriptions as DynamoSubscriptionRepository;
  // Subscriptions written by a release before the change log get into it once.
  await subscriptionsRepository.backfillChangeLog();
  const matcherDeps = { ...deps, matchSnapshots, logger: logger('matcher') };
  const shards = matchQueues.map((_, shard) => ({ shard, count: shardCount }));
  shards.forEach((shard, i) => {
    // The change log is read at every batch locally: a subscription created just before an article (demos, tests)
    // must match it, and a read of a local index takes milliseconds.
    const matchIndex = createMatchIndexCache(matcherDeps, { pollIntervalMs: 0, shard });
    matchQueues[i]?.consume(createMatcherHandler(matcherDeps, matchIndex), { functionName: i === 0 ? 'matcher' : `matcher-${i}`, functionTimeoutSeconds: 30 });
  });
  const writeSnapshots = async () => {
    for (const shard of shards) await writeMatchSnapshot({ ...matcherDeps, subscriptions: subscriptionsRepository, logger: logger('match-snapshot') }, shard);
  };
  const delivererDeps = { ...deps, digestBuffer: deps.digestBuffer!, deliveryDeadLetters: deps.deliveryDeadLetters!, logger: logger('deliverer') };
  deliveryQueue.consume(createDelivererHandler(delivererDeps), { functionName: 'deliverer', functionTimeoutSeconds: 30 });
  const runDigests = (at?: Date): Promise<DigestRunResult> =>
    sendDueDigests({ ...deps, digestBuffer: deps.digestBuffer!, logger: logger('digest'), ...(at === undefined ? {} : { clock: { now: () => at } }) });

  const receiver = new DemoReceiver(
    async (subscriptionId) => {
      const subscription = await deps.subscriptions.get(subscriptionId);
      return subscription?.channel.type === 'webhook' ? subscription.channel.secret : undefined;
    },
    (alert: ReceivedAlert) =>
      say(
        alert.verified
          ? `alert verified  ${alert.subscriptionId.padEnd(18)} ${alert.payload?.article.title ?? ''}`
          : `alert REJECTED  ${alert.subscriptionId.padEnd(18)} ${alert.error ?? ''}`,
      ),
  );

  const epoch = new Date();
  let origin = '';
  const demoBodies = new Map<string, { body: string; etag: string }>();
  const demoRoutes: ExtraRoute = async (req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const feed = demoBodies.get(path);
    if (feed && req.method === 'GET') {
      if (req.headers['if-none-match'] === feed.etag) {
        res.writeHead(304, { etag: feed.etag }).end();
      } else {
        res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8', etag: feed.etag }).end(feed.body);
      }
      return true;
    }
    const receiverMatch = /^\/demo\/receiver\/([A-Za-z0-9_-]+)$/.exec(path);
    if (receiverMatch && req.method === 'POST') {
      const status = await receiver.receive(receiverMatch[1]!, req.headers, body.toString('utf8'));
      res.writeHead(status).end();
      return true;
    }
    return false;
  };
  // The WebSub callback is its own handler, as it is its own Lambda in AWS; the body goes as base64 so a push in
  // any charset reaches the signature check byte for byte.
  const websubHandler = createWebSubHandler({ ...deps, logger: logger('websub') });
  const websubRoute: ExtraRoute = async (req, res, body) => {
    if (!(req.url ?? '').startsWith('/websub/')) return false;
    const event = { ...toApiEvent(req, body), body: body.toString('base64'), isBase64Encoded: true };
    const result = await websubHandler(event, createLambdaContext({ functionName: 'websub', timeoutMs: 30_000 }));
    res.writeHead(result.statusCode ?? 200, { 'content-type': String(result.headers?.['content-type'] ?? 'text/plain') }).end(result.body ?? '');
    return true;
  };
  const api = createApiHandler({ ...deps, apiKeys, unsubscribeLinks: deps.unsubscribeLinks!, logger: logger('api') });
  const server = createLocalServer(api, [demoRoutes, websubRoute], (error) => say(`http error: ${String(error)}`));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const feed of DEMO_FEEDS) {
    const body = renderDemoFeed(feed, origin, epoch);
    demoBodies.set(feed.path, { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` });
  }

  const loadedDemo = options.demo ? await loadDemo(deps, origin) : false;
  if (options.catalogue) await loadCatalogue(deps);

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<SchedulerResult> | undefined;
  const tick = async (): Promise<SchedulerResult> => {
    // One scheduler run at a time, like a Lambda with reserved concurrency 1 on the schedule.
    ticking ??= scheduler(scheduledEvent(), createLambdaContext({ functionName: 'scheduler', timeoutMs: 30_000 }))
      // In AWS the renewer has its own schedule; locally it rides on the scheduler's tick.
      .then(async (result) => {
        await renewDueWebSubLeases({ ...deps, logger: logger('websub-renewer') }).catch((error: unknown) => say(`websub renewal failed: ${String(error)}`));
        return result;
      })
      .finally(() => {
      ticking = undefined;
    });
    return ticking;
  };
  if (options.schedulerIntervalMs > 0) {
    timer = setInterval(() => {
      tick().catch((error: unknown) => say(`scheduler failed: ${String(error)}`));
    }, options.schedulerIntervalMs);
    timer.unref();
  }
  let digestTimer: NodeJS.Timeout | undefined;
  if ((options.digestIntervalMs ?? 0) > 0) {
    digestTimer = setInterval(() => {
      runDigests().catch((error: unknown) => say(`digest run failed: ${String(error)}`));
    }, options.digestIntervalMs);
    digestTimer.unref();
  }

  return {
    url: origin,
    receiver,
    bus,
    deps,
    loadedDemo,
    adminKey,
    tick,
    runDigests,
    settle: (timeoutMs) => bus.drainAll(timeoutMs),
    async stop() {
      if (timer) clearInterval(timer);
      if (digestTimer) clearInterval(digestTimer);
      await ticking?.catch(() => undefined);
      await bus.stopAll();
      await writeSnapshots().catch((error: unknown) => say(`match snapshot not written: ${String(error)}`));
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      client.destroy();
      await dynalite.close();
    },
  };
}

function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'local',
    resources: ['arn:aws:events:local:000000000000:rule/newsalert-schedule'],
    detail: {},
  };
}

/**
 * On an empty store, adds the demo feeds and subscriptions. On a store that has them, points them at this run's
 * origin (the port may differ), so a restart continues where the last run stopped and sends nothing twice.
 */
async function loadDemo(deps: PipelineDeps, origin: string): Promise<boolean> {
  const [feeds, subscriptions] = await Promise.all([deps.feeds.list(), deps.subscriptions.list()]);
  const now = deps.clock.now();
  if (feeds.length === 0 && subscriptions.length === 0) {
    for (const demo of DEMO_FEEDS) {
      await deps.feeds.create(
        newFeed(
          { feedId: demo.feedId, url: origin + demo.path, sourceName: demo.title, sourceCountry: demo.sourceCountry, language: demo.language, pollIntervalSeconds: 60 },
          now,
        ),
      );
    }
    for (const demo of DEMO_SUBSCRIPTIONS) {
      await deps.subscriptions.put({
        subscriptionId: demo.subscriptionId,
        owner: 'demo',
        name: demo.name,
        topics: demo.topics,
        countries: demo.countries,
        keywords: demo.keywords,
        channel: { type: 'webhook', url: `${origin}/demo/receiver/${demo.subscriptionId}`, secret: generateWebhookSecret(deps.randomBytes) },
        status: 'active',
        createdAt: now.toISOString(),
      });
    }
    return true;
  }
  for (const demo of DEMO_FEEDS) {
    const feed = feeds.find((f) => f.feedId === demo.feedId);
    if (feed && feed.url !== origin + demo.path) await deps.feeds.put({ ...feed, url: origin + demo.path });
  }
  for (const demo of DEMO_SUBSCRIPTIONS) {
    const subscription = subscriptions.find((s) => s.subscriptionId === demo.subscriptionId);
    const url = `${origin}/demo/receiver/${demo.subscriptionId}`;
    if (subscription?.channel.type === 'webhook' && subscription.channel.url !== url) {
      await deps.subscriptions.put({ ...subscription, channel: { ...subscription.channel, url } });
    }
  }
  return false;
}

async function loadCatalogue(deps: PipelineDeps): Promise<void> {
  const now = deps.clock.now();
  for (const entry of DEFAULT_CATALOGUE) {
    await deps.feeds.create(
      newFeed({ url: entry.url, sourceName: entry.name, sourceCountry: entry.country, language: entry.language }, now),
    );
  }
}
