// Typed per-stage configuration. Everything that differs between dev and prod lives here, so the stack reads as
// one description of the system and a stage is a handful of values.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { parseAlertEndpoints, type AlertEndpoint } from './constructs/alert-endpoints.js';

export const STAGE_NAMES = ['dev', 'prod'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A feed to register on first deploy. Kept here so a stage can ship with a starter set. */
export interface SeedFeed {
  readonly url: string;
  readonly sourceName?: string;
  /** ISO 3166-1 alpha-2 of the publisher. */
  readonly sourceCountry?: string;
  /** ISO 639-1. */
  readonly language?: string;
}

export interface StageConfig {
  readonly stage: StageName;
  /** Both undefined means an environment-agnostic stack: synth never needs an AWS account. */
  readonly env: { readonly account?: string; readonly region?: string };
  /** How often the scheduler looks for due feeds. */
  readonly scheduleRate: Duration;
  /** Articles and delivery records expire (DynamoDB TTL) after this many days. */
  readonly articleRetentionDays: number;
  readonly logRetention: RetentionDays;
  readonly logLevel: LogLevel;
  /** Applied to tables and log groups: dev is disposable, prod keeps data when the stack goes. */
  readonly removalPolicy: RemovalPolicy;
  readonly pointInTimeRecovery: boolean;
  /**
   * Caps concurrent pollers so a burst of due feeds cannot hammer publishers or exhaust account concurrency.
   * Reserving any concurrency needs an account limit above 10 (brand-new accounts start at 10).
   */
  readonly pollerReservedConcurrency: number;
  /** Registered at deploy (a conditional PutItem each: a feed already there, with its health, is left alone). */
  readonly seedFeeds: readonly SeedFeed[];
  /** DynamoDB deletion protection: a `cdk destroy` or a console click cannot drop the data. */
  readonly deletionProtection: boolean;
  /** Who gets the alarms (an SNS email subscription, confirmed by clicking the link AWS sends). @default - none */
  readonly alarmEmail?: string;
  /** The `$default` stage of the HTTP API. */
  readonly apiThrottle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly alarms: AlarmThresholds;
  /** The matcher holds every subscription and its match index in memory: see "Sizing the matcher" in docs/operations.md. */
  readonly matcher: MatcherSizing;
  /** Email, SMS and HTTPS readers of the alerts topic, each with a filter policy (`-c alertEndpoints=...`). */
  readonly alertEndpoints: readonly AlertEndpoint[];
  /** How alerts are written on the alerts topic: "json" (default) or "per-protocol" (`-c alertsTopicMessages=...`). */
  readonly alertsTopicMessages: 'json' | 'per-protocol';
}

/** How big the matcher is. Grows with the number of subscriptions, not with traffic. */
export interface MatcherSizing {
  /**
   * Lambda memory, which also buys CPU (1,769 MB = one vCPU). Must hold the subscriptions, their index and a scan's
   * pages in flight; the matcher's V8 heap limit is set to 85% of it.
   */
  readonly memoryMb: number;
  /** Must cover a cold batch: the scan, the index build and the matching. The match queue hides messages 6× this. */
  readonly timeoutSeconds: number;
  /** Segments of the snapshot job's one-time scan of subscriptions written before the change log (SUBSCRIPTION_SCAN_SEGMENTS). */
  readonly scanSegments: number;
  /**
   * Matcher shards: each is a queue on the articles topic, a matcher and a snapshot job, owning the subscriptions
   * that rendezvous hashing gives it. Size memoryMb for total / shards subscriptions.
   */
  readonly shards: number;
  /**
   * While changing `shards`: the count before. Every shard then also matches what it owned by that count, so nothing
   * is lost while functions update one by one (doubles are deduplicated by the deliverer). Deploy with it, then
   * remove it and deploy again (docs/operations.md). @default - none
   */
  readonly previousShards?: number;
  /** How often each shard's snapshot is rewritten (what a new container loads before reading the log). */
  readonly snapshotIntervalMinutes: number;
}

/** What "in trouble" means, per stage. docs/operations.md explains each alarm and what to do. */
export interface AlarmThresholds {
  /** A feed with no successful poll for this long counts as stale. */
  readonly staleFeedHours: number;
  /** Alarm when more than this share of enabled feeds is stale (0..1). */
  readonly staleFeedShare: number;
  /** Alarm when more than this share of polls fail, over two 15-minute periods (0..1). */
  readonly feedFailureRatio: number;
  /** Alarm when more than this share of sends fail, over two 15-minute periods (0..1). */
  readonly deliveryFailureRatio: number;
  /** Alarm when the p95 of publish-to-alert latency stays above this for an hour. */
  readonly publishToAlertP95Seconds: number;
  /** Alarm when a work queue's oldest message is older than this for 15 minutes. */
  readonly oldestMessageAgeSeconds: number;
  /** Alarm when a matcher's index started from a snapshot older than this (the snapshot job stopped writing). */
  readonly matchSnapshotAgeSeconds: number;
  /** Alarm when a matcher has not read the subscriptions' change log for this long while matching. */
  readonly matchChangeLagSeconds: number;
}

const DEFAULT_ALARMS: AlarmThresholds = {
  staleFeedHours: 24,
  staleFeedShare: 0.2,
  feedFailureRatio: 0.5,
  deliveryFailureRatio: 0.2,
  publishToAlertP95Seconds: 1_800,
  oldestMessageAgeSeconds: 900,
  matchSnapshotAgeSeconds: 4 * 3600,
  matchChangeLagSeconds: 60,
};

/** Values an operator passes with `-c key=value` on top of a stage's defaults. */
export interface StageOverrides {
  readonly alarmEmail?: unknown;
  readonly alertEndpoints?: unknown;
  readonly alertsTopicMessages?: unknown;
}

type StageDefaults = Omit<StageConfig, 'env' | 'alertEndpoints' | 'alertsTopicMessages'>;

const STAGES: Record<StageName, StageDefaults> = {
  dev: {
    stage: 'dev',
    scheduleRate: Duration.minutes(5),
    articleRetentionDays: 30,
    logRetention: RetentionDays.ONE_WEEK,
    logLevel: 'DEBUG',
    removalPolicy: RemovalPolicy.DESTROY,
    pointInTimeRecovery: false,
    pollerReservedConcurrency: 2,
    seedFeeds: [],
    deletionProtection: false,
    apiThrottle: { rateLimit: 20, burstLimit: 50 },
    alarms: DEFAULT_ALARMS,
    // Up to ~100k subscriptions (~100 MB of index and objects).
    matcher: { memoryMb: 512, timeoutSeconds: 30, scanSegments: 4, shards: 1, snapshotIntervalMinutes: 30 },
  },
  prod: {
    stage: 'prod',
    scheduleRate: Duration.minutes(5),
    articleRetentionDays: 30,
    logRetention: RetentionDays.THREE_MONTHS,
    logLevel: 'INFO',
    removalPolicy: RemovalPolicy.RETAIN,
    pointInTimeRecovery: true,
    pollerReservedConcurrency: 10,
    seedFeeds: [],
    deletionProtection: true,
    apiThrottle: { rateLimit: 20, burstLimit: 50 },
    alarms: DEFAULT_ALARMS,
    // Up to ~1M subscriptions (~0.9 GB of index and objects); more than one vCPU for the scan's decoding.
    matcher: { memoryMb: 2048, timeoutSeconds: 60, scanSegments: 8, shards: 1, snapshotIntervalMinutes: 15 },
  },
};

function isStageName(value: unknown): value is StageName {
  return typeof value === 'string' && (STAGE_NAMES as readonly string[]).includes(value);
}

/**
 * The configuration of one stage. `stage` comes from CDK context (`-c stage=...`), so it is untyped input.
 * @throws Error naming the valid stages when `stage` is not one of them.
 */
export function readStageConfig(
  stage: unknown,
  env: NodeJS.ProcessEnv = process.env,
  overrides: StageOverrides = {},
): StageConfig {
  if (!isStageName(stage)) {
    throw new Error(
      `Unknown stage ${JSON.stringify(stage)}: expected one of ${STAGE_NAMES.join(', ')} (pass -c stage=<name>).`,
    );
  }
  const alarmEmail = readAlarmEmail(overrides.alarmEmail);
  return {
    ...STAGES[stage],
    env: { account: env.CDK_DEFAULT_ACCOUNT || undefined, region: env.CDK_DEFAULT_REGION || undefined },
    ...(alarmEmail ? { alarmEmail } : {}),
    alertEndpoints: parseAlertEndpoints(overrides.alertEndpoints),
    alertsTopicMessages: readAlertsTopicMessages(overrides.alertsTopicMessages),
  };
}

function readAlertsTopicMessages(value: unknown): 'json' | 'per-protocol' {
  if (value === undefined || value === '' || value === 'json') return 'json';
  if (value === 'per-protocol') return value;
  throw new Error(`alertsTopicMessages must be "json" or "per-protocol", got ${JSON.stringify(value)}`);
}

function readAlarmEmail(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw new Error(`alarmEmail must be an email address (pass -c alarmEmail=ops@example.com), got ${JSON.stringify(value)}`);
  }
  return value;
}
