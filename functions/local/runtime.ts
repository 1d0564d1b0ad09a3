// The local runtime: the functions of the deployed pipeline, in one process, each wired by its composition module
// (functions/compose/) as its Lambda is. DynamoDB is dynalite (the real wire protocol, in-process); SQS and SNS are
// carried by the in-process bus with SQS semantics; the API, the WebSub callback and the demo's feeds and receiver
// share one loopback HTTP server.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import type { ScheduledEvent } from 'aws-lambda';
import { createWebhookSender } from '#adapters/alert-senders/index.js';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { createDynamoClients, ensureTables, localTableNames, startDynalite } from '#adapters/dynamo/local-dynamo.js';
import { FileSnapshotStore, MemorySnapshotStore } from '#adapters/match-snapshots.js';
import { composeApi } from '#compose/api.js';
import { composeDeliverer } from '#compose/deliverer.js';
import { composeDigest } from '#compose/digest.js';
import { composeMatchSnapshot } from '#compose/match-snapshot.js';
import { composeMatcher } from '#compose/matcher.js';
import { composePoller } from '#compose/poller.js';
import { composeScheduler } from '#compose/scheduler.js';
import { composeWebSubCallback } from '#compose/websub.js';
import { composeWebSubRenewer } from '#compose/websub-renewer.js';
import { DEFAULT_POLLING_POLICY } from '#domain/feed.js';
import type { ShardAssignment } from '#domain/subscription-shards.js';
import type { RetryPolicy } from '#domain/retry-schedule.js';
import type { ArticleEvent, DeliveryMessage, PollMessage } from '#domain/types.js';
import type { ApiDeps } from '#handlers/api/index.js';
import { createApiHandler } from '#handlers/api/index.js';
import { createDelivererHandler, type DelivererDeps } from '#handlers/deliverer.js';
import { DEFAULT_SETTINGS, type PipelineSettings } from '#handlers/deps.js';
import { sendDueDigests, type DigestDeps, type DigestRunResult } from '#handlers/digest.js';
import { writeMatchSnapshot, type MatchSnapshotDeps } from '#handlers/match-snapshot.js';
import { createMatchIndexCache, createMatcherHandler, type MatcherDeps } from '#handlers/matcher.js';
import { createPollerHandler, type PollerDeps } from '#handlers/poller.js';
import { createSchedulerHandler, type SchedulerDeps, type SchedulerResult } from '#handlers/scheduler.js';
import { createWebSubCallbackHandler, type WebSubCallbackDeps } from '#handlers/websub-callback.js';
import { renewDueWebSubLeases, type WebSubSubscriberDeps } from '#handlers/websub-subscriber.js';
import { createLogger } from '#shared/logger.js';
import type { Observability } from '#shared/middleware.js';
import { createLambdaContext, DynamoQueueStore, invokeLocally, InProcessBus, type BusLog, type LocalQueue, type QueueStore } from './bus.js';
import { createCrashHook, installCrashPoints, readCrashPlan } from './crash-points.js';
import { loadCatalogue, loadDemo, renderDemoFeeds } from './demo/load.js';
import { DemoReceiver, type ReceivedAlert } from './demo/receiver.js';
import { consoleBuiltInMemory } from './console-build.js';
import { createLocalServer } from './http-server.js';
import { createLocalAlertSender } from './local-alert-sender.js';
import { ensureLocalAdminKey, ensureLocalUnsubscribeSecret, openLocalChannelSecrets, type AdminKey } from './local-secrets.js';
import { preparePrivateDataDir } from './private-data-dir.js';
import { createLocalPlatform, type LocalPlatform } from './platform.js';
import { demoRoutes, websubRoute } from './routes.js';

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
  /**
   * How long stop() waits for the batches handlers are working on; what is unfinished then stays queued (in the data
   * directory) for the next start. @default $NEWSALERT_SHUTDOWN_GRACE_MS, else 10 000
   */
  shutdownGraceMs?: number;
}

/** Each function's dependencies, exactly as its handler was given them. */
export interface LocalFunctions {
  scheduler: SchedulerDeps;
  poller: PollerDeps;
  matcher: MatcherDeps;
  deliverer: DelivererDeps;
  digest: DigestDeps;
  matchSnapshot: MatchSnapshotDeps;
  api: ApiDeps;
  websub: WebSubCallbackDeps;
  websubRenewer: WebSubSubscriberDeps & Observability;
}

/** The stores and ports tests and the CLI reach into: the objects the functions were given. */
export type LocalStores = Pick<ApiDeps, 'feeds' | 'articles' | 'subscriptions' | 'deliveries' | 'deliveryQueue' | 'unsubscribeLinks'> &
  Pick<PollerDeps, 'articleEvents'>;

export interface LocalRuntime {
  url: string;
  receiver: DemoReceiver;
  bus: InProcessBus;
  deps: LocalStores;
  functions: LocalFunctions;
  loadedDemo: boolean;
  /** The admin API key (created on first start; with a data directory, also in `<dataDir>/admin-key`). */
  adminKey: AdminKey;
  /** Runs the scheduler once, now (and the WebSub renewer, which has its own schedule in AWS). */
  tick(): Promise<SchedulerResult>;
  /** Runs the digest Lambda's work once, as of `at` (default now): what is due then goes out. */
  runDigests(at?: Date): Promise<DigestRunResult>;
  /** Resolves when every queue is empty (nothing visible, in flight or delayed). */
  settle(timeoutMs: number): Promise<void>;
  stop(): Promise<void>;
}

/** Deployed SQS default is 5 receives before the DLQ; the local runtime keeps that. */
const MAX_RECEIVE_COUNT = 5;
/** Deliveries in a send at once: four receiver hosts' full shares (DEFAULT_DELIVERY_CONCURRENCY), and then some. */
const LOCAL_DELIVERY_CONSUMERS = 16;

/** dynalite (persisted under `<dataDir>/dynamodb` when a data directory is given) with the tables of tables.ts. */
async function openLocalStore(dataDir: string | undefined) {
  let dynamoPath: string | undefined;
  if (dataDir) {
    preparePrivateDataDir(dataDir);
    dynamoPath = `${dataDir}/dynamodb`;
    mkdirSync(dynamoPath, { recursive: true });
  }
  const dynalite = await startDynalite(dynamoPath ? { path: dynamoPath } : {});
  const { client, doc } = createDynamoClients({ endpoint: dynalite.endpoint });
  const names = localTableNames();
  await ensureTables(client, names);
  const adminKey = await ensureLocalAdminKey(new DynamoApiKeyRepository(doc, names.apiKeys), dataDir, new Date());
  const channelSecrets = await openLocalChannelSecrets(dynalite, doc, names.subscriptions, dataDir);
  // The queues and topic subscriptions keep their messages beside the tables, when there is a data directory.
  const queueStore = dataDir ? await DynamoQueueStore.open(client, doc) : undefined;
  return { dynalite, client, doc, names, adminKey, unsubscribeSecret: ensureLocalUnsubscribeSecret(dataDir), channelSecrets, queueStore };
}

/** The deployed queues and topics: visibility 6x the consumer's timeout, DLQ after 5 receives, raw delivery. */
function createLocalBus(timeScale: number, shardCount: number, say: (line: string) => void, store: QueueStore | undefined) {
  const log: BusLog = (entry) => {
    if (entry.level === 'warn' || entry.level === 'error') say(`${entry.queue ?? entry.topic ?? 'bus'}: ${entry.message}`);
  };
  const bus = new InProcessBus({ timeScale, log, ...(store === undefined ? {} : { store }) });
  const queueWithDlq = <T>(name: string, visibilityTimeoutSeconds: number, batchSize = 10, concurrency = 1) =>
    bus.createQueue<T>(name, {
      visibilityTimeoutSeconds,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      batchSize,
      concurrency,
      deadLetterQueue: bus.createQueue<T>(`${name}-dlq`, { visibilityTimeoutSeconds: 30, maxReceiveCount: 1_000 }),
    });
  const pollQueue = queueWithDlq<PollMessage>('poll', 360, 5);
  // One match queue per matcher shard, each on the articles topic; shard 0 keeps the single matcher's name.
  const matchQueues = Array.from({ length: shardCount }, (_, shard) => queueWithDlq<ArticleEvent>(shard === 0 ? 'match' : `match-${shard}`, 180));
  // Each delivery is handed over and settled on its own, by one of several consumers: no delivery waits for another
  // receiver's send. The deliverer's gate keeps a slow receiver to its share of them (handlers/delivery-gate.ts).
  const deliveryQueue = queueWithDlq<DeliveryMessage>('delivery', 180, 1, LOCAL_DELIVERY_CONSUMERS);
  const articlesTopic = bus.createTopic('articles');
  for (const matchQueue of matchQueues) articlesTopic.subscribeQueue(matchQueue, { rawMessageDelivery: true });
  return { bus, pollQueue, matchQueues, deliveryQueue, articlesTopic, alertsTopic: bus.createTopic('alerts') };
}

/** The settings as deployed, with the times that must shrink with the bus's time scale. */
function localSettings(scale: number, retryPolicy: RetryPolicy | undefined): PipelineSettings {
  return {
    ...DEFAULT_SETTINGS,
    // A message the deliverer sends back (RetryLaterError) returns after the visibility timeout and must find the
    // lease it held expired, as deployed (60 s lease, 180 s visibility): the lease shrinks with the queues' times.
    // At least a second: a lease shorter than a send would let a duplicate message send the alert again.
    deliveryLeaseSeconds: Math.max(1, DEFAULT_SETTINGS.deliveryLeaseSeconds * scale),
    // The bus scales queue delays; the spacing a deferred poll waits out must shrink with them.
    polling: { hostSpacingMs: DEFAULT_POLLING_POLICY.hostSpacingMs * scale },
    ...(retryPolicy === undefined ? {} : { retryPolicy }),
  };
}

function composeLocalFunctions(platform: LocalPlatform, bus: ReturnType<typeof createLocalBus>, options: LocalRuntimeOptions): LocalFunctions {
  const observe = (name: string): Observability => ({ logger: createLogger(name, options.logLevel) });
  const webhook = createWebhookSender({ policy: platform.addressPolicy, now: () => new Date() });
  const alertSender = createLocalAlertSender(webhook, bus.bus, bus.alertsTopic, { maxReceiveCount: MAX_RECEIVE_COUNT, say: options.say });
  return {
    scheduler: composeScheduler(platform, observe('scheduler')),
    poller: composePoller(platform, observe('poller')),
    matcher: composeMatcher(platform, observe('matcher')),
    deliverer: composeDeliverer(platform, observe('deliverer'), { alertSender }),
    digest: composeDigest(platform, observe('digest')),
    matchSnapshot: composeMatchSnapshot(platform, observe('match-snapshot')),
    // The console built from its sources on first request: a checkout serves what it holds, with no build step.
    api: { ...composeApi(platform, observe('api')), consoleAssets: consoleBuiltInMemory() },
    websub: composeWebSubCallback(platform, observe('websub')),
    websubRenewer: composeWebSubRenewer(platform, observe('websub-renewer')),
  };
}

function createReceiver(subscriptions: LocalStores['subscriptions'], say: (line: string) => void): DemoReceiver {
  return new DemoReceiver(
    async (subscriptionId) => {
      const subscription = await subscriptions.get(subscriptionId);
      return subscription?.channel.type === 'webhook' ? subscription.channel.secret : undefined;
    },
    (alert: ReceivedAlert) =>
      say(
        alert.verified
          ? `alert verified  ${alert.subscriptionId.padEnd(18)} ${alert.payload?.article.title ?? ''}`
          : `alert REJECTED  ${alert.subscriptionId.padEnd(18)} ${alert.error ?? ''}`,
      ),
  );
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

/** One matcher per shard, each consuming its own match queue, as deployed; returns the shards. */
async function startMatchers(functions: LocalFunctions, matchQueues: readonly LocalQueue<ArticleEvent>[]): Promise<ShardAssignment[]> {
  // Subscriptions written by a release before the change log get into it once.
  await functions.matchSnapshot.subscriptions.backfillChangeLog?.();
  const shards = matchQueues.map((_, shard) => ({ shard, count: matchQueues.length }));
  shards.forEach((shard, i) => {
    // The change log is read at every batch locally: a subscription created just before an article (demos, tests)
    // must match it, and a read of a local index takes milliseconds.
    const matchIndex = createMatchIndexCache(functions.matcher, { pollIntervalMs: 0, shard });
    matchQueues[i]?.consume(createMatcherHandler(functions.matcher, matchIndex), { functionName: i === 0 ? 'matcher' : `matcher-${i}`, functionTimeoutSeconds: 30 });
  });
  return shards;
}

/** The scheduler (with the WebSub renewer riding on its tick) and the digest run, on timers when asked for. */
function createSchedules(functions: LocalFunctions, options: LocalRuntimeOptions) {
  const { say } = options;
  const scheduler = createSchedulerHandler(functions.scheduler);
  let ticking: Promise<SchedulerResult> | undefined;
  const tick = (): Promise<SchedulerResult> => {
    // One scheduler run at a time, like a Lambda with reserved concurrency 1 on the schedule.
    ticking ??= invokeLocally(scheduler, scheduledEvent(), createLambdaContext({ functionName: 'scheduler', timeoutMs: 30_000 }))
      // In AWS the renewer has its own schedule; locally it rides on the scheduler's tick.
      .then(async (result) => {
        await renewDueWebSubLeases(functions.websubRenewer).catch((error: unknown) => say(`websub renewal failed: ${String(error)}`));
        return result;
      })
      .finally(() => {
        ticking = undefined;
      });
    return ticking;
  };
  const runDigest = (at?: Date): Promise<DigestRunResult> =>
    sendDueDigests({ ...functions.digest, ...(at === undefined ? {} : { clock: { now: () => at } }) });
  // One digest run at a time, as the scheduler: two at once would both enqueue what neither had released yet.
  let digesting: Promise<DigestRunResult> | undefined;
  const runDigests = (at?: Date): Promise<DigestRunResult> => {
    if (at !== undefined) return runDigest(at);
    digesting ??= runDigest().finally(() => {
      digesting = undefined;
    });
    return digesting;
  };
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, run: () => Promise<unknown>, what: string) => {
    if (ms <= 0) return;
    const timer = setInterval(() => void run().catch((error: unknown) => say(`${what} failed: ${String(error)}`)), ms);
    timer.unref();
    timers.push(timer);
  };
  every(options.schedulerIntervalMs, tick, 'scheduler');
  every(options.digestIntervalMs ?? 0, runDigests, 'digest run');
  return {
    tick,
    runDigests,
    async stop() {
      for (const timer of timers) clearInterval(timer);
      await ticking?.catch(() => undefined);
    },
  };
}

export async function startLocalRuntime(options: LocalRuntimeOptions): Promise<LocalRuntime> {
  const { say } = options;
  const store = await openLocalStore(options.dataDir);
  const shardCount = options.matcherShards ?? 1;
  // A test knob (crash suite): serve runs on real seconds, NEWSALERT_TIME_SCALE shrinks them as tests' runtimes do.
  const timeScale = process.env.NEWSALERT_TIME_SCALE ? Number(process.env.NEWSALERT_TIME_SCALE) : options.timeScale;
  const queues = createLocalBus(timeScale, shardCount, say, store.queueStore);
  let origin = '';
  const platform = createLocalPlatform({
    doc: store.doc,
    names: store.names,
    queues: { poll: queues.pollQueue, delivery: queues.deliveryQueue },
    topics: { articles: queues.articlesTopic, alerts: queues.alertsTopic },
    settings: localSettings(timeScale, options.retryPolicy),
    // Callback URLs and unsubscribe links point at this server's origin, known once it listens.
    publicUrl: () => origin,
    unsubscribeSecret: store.unsubscribeSecret,
    channelSecrets: store.channelSecrets,
    // Snapshots beside the data (or in memory): written when the runtime stops, loaded by the next start.
    matchSnapshots: options.dataDir ? new FileSnapshotStore(`${options.dataDir}/snapshots`) : new MemorySnapshotStore(),
  });
  const functions = composeLocalFunctions(platform, queues, options);
  const crashPlan = readCrashPlan(process.env.NEWSALERT_CRASH_AT);
  if (crashPlan !== undefined) installCrashPoints(functions, createCrashHook(crashPlan));
  const graceMs = options.shutdownGraceMs ?? (Number(process.env.NEWSALERT_SHUTDOWN_GRACE_MS) || 10_000);

  queues.pollQueue.consume(createPollerHandler(functions.poller), { functionName: 'poller', functionTimeoutSeconds: 60 });
  const shards = await startMatchers(functions, queues.matchQueues);
  queues.deliveryQueue.consume(createDelivererHandler(functions.deliverer), { functionName: 'deliverer', functionTimeoutSeconds: 30 });

  const { api } = functions;
  const receiver = createReceiver(api.subscriptions, say);
  const demoFeeds = new Map<string, { body: string; etag: string }>();
  const server = createLocalServer(
    createApiHandler(api),
    [demoRoutes(demoFeeds, receiver), websubRoute(createWebSubCallbackHandler(functions.websub))],
    (error) => say(`http error: ${String(error)}`),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [path, feed] of renderDemoFeeds(origin, new Date())) demoFeeds.set(path, feed);
  const loadedDemo = options.demo ? await loadDemo(api, origin) : false;
  if (options.catalogue) await loadCatalogue(api);
  // A test knob (crash suite) as NEWSALERT_TIME_SCALE is: how often the digest run goes.
  const digestIntervalMs = Number(process.env.NEWSALERT_DIGEST_INTERVAL_MS) || options.digestIntervalMs;
  const schedules = createSchedules(functions, { ...options, ...(digestIntervalMs === undefined ? {} : { digestIntervalMs }) });

  return {
    url: origin,
    receiver,
    bus: queues.bus,
    deps: { ...api, articleEvents: functions.poller.articleEvents },
    functions,
    loadedDemo,
    adminKey: store.adminKey,
    tick: schedules.tick,
    runDigests: schedules.runDigests,
    settle: (timeoutMs) => queues.bus.drainAll(timeoutMs),
    async stop() {
      await schedules.stop();
      // Stops taking work, lets handlers finish for a bounded time; the rest stays queued for the next start.
      await queues.bus.stopAll(graceMs);
      // As the snapshot job does on its schedule in AWS: the next start loads them instead of the whole change log.
      for (const shard of shards) {
        await writeMatchSnapshot(functions.matchSnapshot, shard).catch((error: unknown) => say(`match snapshot not written: ${String(error)}`));
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      store.client.destroy();
      await store.dynalite.close();
    },
  };
}
