// Lambda configuration, read once at cold start, typed, failing fast with the names of what is missing.
import * as z from 'zod';

const EnvSchema = z.object({
  FEEDS_TABLE: z.string().min(1).optional(),
  ARTICLES_TABLE: z.string().min(1).optional(),
  SUBSCRIPTIONS_TABLE: z.string().min(1).optional(),
  DELIVERIES_TABLE: z.string().min(1).optional(),
  /** Story index and host politeness leases (the pollers' shared state). */
  INGEST_TABLE: z.string().min(1).optional(),
  DIGESTS_TABLE: z.string().min(1).optional(),
  DELIVERY_DLQ_URL: z.string().url().optional(),
  DELIVERY_QUEUE_ARN: z.string().startsWith('arn:').optional(),
  DELIVERY_DLQ_ARN: z.string().startsWith('arn:').optional(),
  POLL_QUEUE_URL: z.string().url().optional(),
  DELIVERY_QUEUE_URL: z.string().url().optional(),
  ARTICLES_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  ALERTS_TOPIC_ARN: z.string().startsWith('arn:').optional(),
  /** How alerts are written on the alerts topic (functions/adapters/sns-alert-messages.ts). */
  ALERTS_TOPIC_MESSAGES: z.enum(['json', 'per-protocol']).optional(),
  ARTICLE_RETENTION_DAYS: z.coerce.number().int().positive().default(30),
  /** The HTTP API's public URL: WebSub callbacks are built on it. Unset = WebSub off (feeds are only polled). */
  API_BASE_URL: z.string().url().optional(),
  /** API keys (hashes) the API checks on every request. */
  API_KEYS_TABLE: z.string().min(1).optional(),
  /** HMAC key of the unsubscribe links alerts carry (a Secrets Manager dynamic reference in infra). */
  UNSUBSCRIBE_SECRET: z.string().min(32).optional(),
  /** Powertools idempotency records (scheduler runs). */
  IDEMPOTENCY_TABLE: z.string().min(1).optional(),
  STALE_FEED_HOURS: z.coerce.number().positive().default(24),
  /** Parallel scan segments of the snapshot job's one-time backfill scan. Unset = the repository's default. */
  SUBSCRIPTION_SCAN_SEGMENTS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  /** The matcher shard a function is (0-based), of MATCHER_SHARD_COUNT, while moving from MATCHER_PREVIOUS_SHARD_COUNT. */
  MATCHER_SHARD: z.coerce.number().int().min(0).default(0),
  MATCHER_SHARD_COUNT: z.coerce.number().int().min(1).default(1),
  MATCHER_PREVIOUS_SHARD_COUNT: z.coerce.number().int().min(1).optional(),
  /** Where the match snapshot job leaves each shard's index, which new matcher containers load. */
  MATCH_SNAPSHOT_BUCKET: z.string().min(1).optional(),
});

export type Env = z.infer<typeof EnvSchema>;
export type RequiredKey = Exclude<keyof Env, 'ARTICLE_RETENTION_DAYS' | 'STALE_FEED_HOURS' | 'MATCHER_SHARD' | 'MATCHER_SHARD_COUNT'>;

/** Reads and checks the variables `required`; throws one error naming every missing or malformed one. */
export function readEnv<K extends RequiredKey>(
  required: readonly K[],
  source: NodeJS.ProcessEnv = process.env,
): Env & Required<Pick<Env, K>> {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid Lambda environment: ${details}`);
  }
  const missing = required.filter((key) => parsed.data[key] === undefined);
  if (missing.length > 0) throw new Error(`Missing Lambda environment variables: ${missing.join(', ')}`);
  return parsed.data as Env & Required<Pick<Env, K>>;
}
