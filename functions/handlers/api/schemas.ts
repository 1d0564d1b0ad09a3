// The bodies the API answers with, as zod schemas: the OpenAPI document publishes them (components/schemas), and
// the API tests validate every answer against that document. Each resource is held to its TypeScript type at
// compile time in both directions (bottom of the file), so a field added to a type and not here fails the build.
import * as z from 'zod';
import type { ApiKey } from '#domain/api-key.js';
import { AlertFailedRecordSchema, ClassificationSchema, MatchReasonsSchema } from '#domain/event-schemas.js';
import type { ClassifiedArticle, DeliveryRecord, Feed, Subscription, WebSubSubscription } from '#domain/types.js';
import type { FeedValidation } from './feed-validation.js';

const time = (description: string) => z.string().meta({ description: `${description} (ISO 8601)`, format: 'date-time' });

const WebSubSchema = z
  .object({
    hub: z.string(),
    topic: z.string(),
    state: z.enum(['pending', 'verified', 'denied', 'failed', 'unsubscribed']),
    requestedAt: z.string(),
    requestedLeaseSeconds: z.number(),
    verifiedAt: z.string().optional(),
    leaseExpiresAt: z.string().optional(),
    lastPushAt: z.string().optional(),
    lastPolledAt: z.string().optional(),
    failures: z.number().int(),
    reason: z.string().optional(),
  })
  .meta({ id: 'WebSubSubscription', description: 'WebSub push subscription (its HMAC secret is never shown)' });

const FeedHealthSchema = z
  .object({
    lastAttemptAt: z.string().optional(),
    lastSuccessAt: z.string().optional(),
    consecutiveFailures: z.number().int(),
    lastError: z.string().optional().meta({ description: 'A categorised reason, e.g. "timeout", "http-404", "malformed-xml"' }),
    lastErrorDetail: z.string().optional(),
    lastStatus: z.number().int().optional(),
    itemsLastPoll: z.number().int().optional(),
    state: z.enum(['ok', 'backing-off', 'failing']).optional(),
    failingSince: z.string().optional(),
    itemsPerDay: z.number().optional(),
    notModifiedRatio: z.number().optional(),
    daily: z
      .array(z.object({ day: z.string(), polls: z.number().int(), notModified: z.number().int(), newItems: z.number().int(), failures: z.number().int() }))
      .optional(),
    nextIntervalSeconds: z.number().optional(),
    intervalBasis: z.enum(['configured', 'publish-rate', 'max-age', 'ttl', 'update-period', 'backoff', 'retry-after']).optional(),
    adaptiveIntervalSeconds: z.number().optional(),
  })
  .meta({ id: 'FeedHealth' });

export const FeedSchema = z
  .object({
    feedId: z.string(),
    url: z.string(),
    sourceName: z.string().optional(),
    sourceCountry: z.string().optional(),
    language: z.string().optional(),
    enabled: z.boolean(),
    pollIntervalSeconds: z.number().int(),
    nextPollAt: time('When the feed is next polled'),
    createdAt: time('When it was added'),
    etag: z.string().optional(),
    lastModified: z.string().optional(),
    health: FeedHealthSchema,
    hints: z.object({ ttlSeconds: z.number().optional(), updatePeriodSeconds: z.number().optional() }).optional(),
    websub: WebSubSchema.optional(),
  })
  .meta({ id: 'Feed' });

export const FeedValidationSchema = z
  .union([
    z.object({
      ok: z.literal(true),
      format: z.string(),
      title: z.string().optional(),
      itemCount: z.number().int(),
      language: z.string().optional(),
      sampleTitle: z.string().optional(),
      finalUrl: z.string(),
      httpStatus: z.number().int(),
      contentType: z.string().optional(),
      websub: z.object({ hubs: z.array(z.string()), self: z.string().optional() }).optional(),
      discovered: z
        .object({ from: z.string(), by: z.enum(['link', 'common-path']), feedUrl: z.string() })
        .optional()
        .meta({ description: 'The URL was a web page; this feed was found from it (its <link rel="alternate">, or a common feed path)' }),
    }),
    z.object({ ok: z.literal(false), reason: z.string(), detail: z.string(), httpStatus: z.number().int().optional() }),
  ])
  .meta({ id: 'FeedValidation', description: 'What one fetch found at the URL, or why it is not a usable feed' });

export const FeedCreatedSchema = FeedSchema.extend({ validation: FeedValidationSchema.optional() }).meta({ id: 'FeedCreated' });

export const OpmlImportResultSchema = z
  .object({
    title: z.string().optional(),
    outlines: z.number().int(),
    added: z.array(z.object({ feedId: z.string(), url: z.string(), sourceName: z.string().optional() })),
    skipped: z.array(z.object({ url: z.string(), feedId: z.string(), reason: z.string() })),
    invalid: z.array(z.object({ url: z.string(), title: z.string().optional(), reason: z.string(), detail: z.string() })),
  })
  .meta({ id: 'OpmlImportResult' });

const frequencySchema = z.union([
  z.object({ mode: z.literal('instant') }),
  z.object({ mode: z.enum(['hourly', 'daily']), timeZone: z.string(), at: z.string().optional() }),
]);

const channelSchema = (withSecret: boolean) =>
  z.discriminatedUnion('type', [
    z.object({
      type: z.literal('webhook'),
      url: z.string(),
      ...(withSecret ? { secret: z.string().optional().meta({ description: 'Shown once: when it is new' }) } : {}),
      previousSecretExpiresAt: z.string().optional(),
    }),
    z.object({ type: z.literal('sqs'), queueUrl: z.string() }),
    z.object({ type: z.literal('sns') }),
    z.object({ type: z.literal('slack'), webhookUrl: z.string() }),
  ]);

const subscriptionFields = {
  subscriptionId: z.string(),
  owner: z.string(),
  name: z.string().optional(),
  topics: z.array(z.string()),
  countries: z.array(z.string()),
  countryRole: z.enum(['about', 'primary', 'source']).optional(),
  keywords: z.array(z.string()),
  query: z.string().optional(),
  languages: z.array(z.string()).optional(),
  includeSources: z.array(z.string()).optional(),
  excludeSources: z.array(z.string()).optional(),
  minScore: z.number().optional(),
  frequency: frequencySchema.optional(),
  quietHours: z.object({ start: z.string(), end: z.string(), timeZone: z.string() }).optional(),
  rateCapPerHour: z.number().int().optional(),
  snoozedUntil: z.string().optional(),
  receiveStoryUpdates: z.boolean().optional(),
  status: z.enum(['active', 'paused', 'disabled', 'failing']),
  statusReason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string().optional(),
};

export const SubscriptionSchema = z
  .object({ ...subscriptionFields, channel: channelSchema(false) })
  .meta({ id: 'Subscription', description: 'A subscription as the API shows it: never a webhook secret' });

export const SubscriptionWithSecretSchema = z
  .object({ ...subscriptionFields, channel: channelSchema(true) })
  .meta({ id: 'SubscriptionWithSecret', description: 'A subscription just created or changed: a new webhook secret is shown here, once' });

export const RotatedSecretSchema = z
  .object({ subscriptionId: z.string(), secret: z.string(), graceSeconds: z.number().int(), previousSecretExpiresAt: z.string().optional() })
  .meta({ id: 'RotatedSecret' });

export const TestFiredSchema = z.object({ deliveryId: z.string(), articleId: z.string(), queued: z.literal(true) }).meta({ id: 'TestFired' });

export const PreviewSchema = z
  .object({
    days: z.number().int(),
    since: z.string(),
    scanned: z.number().int(),
    truncated: z.boolean().meta({ description: 'The scan stopped at its cap inside the window: older articles were not looked at' }),
    matched: z.number().int().meta({ description: 'Matched articles (several outlets of one story count apart)' }),
    alerts: z
      .object({
        stories: z.number().int().meta({ description: 'Matched articles grouped into stories: one alert each' }),
        messages: z.number().int().meta({ description: 'Messages sent: instant alerts plus digests' }),
        instant: z.number().int(),
        digests: z.number().int(),
        held: z.object({ digest: z.number().int(), quietHours: z.number().int(), rateCap: z.number().int() }),
      })
      .meta({ id: 'PreviewAlerts', description: 'What the matches make after story grouping, digests, quiet hours and the hourly rate cap' }),
    samples: z.array(
      z.object({
        articleId: z.string(),
        storyId: z.string(),
        title: z.string(),
        url: z.string(),
        publishedAt: z.string(),
        sourceName: z.string(),
        language: z.string(),
        reasons: MatchReasonsSchema,
      }),
    ),
  })
  .meta({ id: 'Preview' });

export const DeliverySchema = z
  .object({
    subscriptionId: z.string(),
    articleId: z.string().meta({ description: 'The story this delivery is about (or the digest key)' }),
    deliveryId: z.string().meta({ description: 'The webhook-id the alert carries' }),
    status: z.enum(['sending', 'delivered', 'failed']),
    attempts: z.number().int(),
    leaseUntil: z.string().optional(),
    lastError: z.string().optional(),
    createdAt: time('The first attempt: the delivery log is ordered by it, newest first'),
    updatedAt: z.string(),
    deliveredAt: z.string().optional(),
    failedAt: z.string().optional().meta({ description: 'Set when it failed for good (a replay clears it)' }),
  })
  .meta({ id: 'Delivery' });

export const ReplaySchema = z.object({ deliveryId: z.string(), failedAt: z.string() }).meta({ id: 'ReplayQueued' });
export const RedriveSchema = z.object({ moved: z.number().int().optional(), taskHandle: z.string().optional() }).meta({ id: 'RedriveStarted' });

const apiKeyFields = {
  keyId: z.string(),
  scope: z.enum(['admin', 'owner']),
  owner: z.string(),
  name: z.string().optional(),
  createdAt: z.string(),
  revokedAt: z.string().optional(),
};
export const ApiKeySchema = z.object(apiKeyFields).meta({ id: 'ApiKey', description: 'An API key record: never the key, nor its hash' });
export const ApiKeyCreatedSchema = z
  .object({ key: z.string().meta({ description: 'The key itself, shown this once' }), ...apiKeyFields })
  .meta({ id: 'ApiKeyCreated' });

export const ArticleSchema = z
  .object({
    articleId: z.string(),
    storyId: z.string(),
    url: z.string(),
    guid: z.string().optional(),
    title: z.string(),
    summary: z.string(),
    publishedAt: z.string(),
    fetchedAt: z.string(),
    feedId: z.string(),
    sourceName: z.string(),
    language: z.string(),
    author: z.string().optional(),
    categories: z.array(z.string()).optional(),
    imageUrl: z.string().optional(),
    contentHash: z.string().optional(),
    revision: z.number().int().optional(),
    updatedAt: z.string().optional(),
    classification: ClassificationSchema,
  })
  .meta({ id: 'Article', description: 'A stored, classified article (listings leave the evidence arrays empty)' });

export const HealthSchema = z.object({ ok: z.literal(true) }).meta({ id: 'Health' });

export { AlertFailedRecordSchema };

// Compile-time: what the code answers with fits the schema, and the schema allows nothing the type lacks.
type PublicFeed = Omit<Feed, 'websub'> & { websub?: Omit<WebSubSubscription, 'secret'> };
const _feedIn = (value: PublicFeed): z.input<typeof FeedSchema> => value;
const _feedOut = (value: z.output<typeof FeedSchema>): PublicFeed => value;
const _validationIn = (value: FeedValidation): z.input<typeof FeedValidationSchema> => value;
const _validationOut = (value: z.output<typeof FeedValidationSchema>): FeedValidation => value;
const _subscriptionOut = (value: z.output<typeof SubscriptionWithSecretSchema>): Omit<Subscription, 'channel'> => value;
const _deliveryIn = (value: DeliveryRecord): z.input<typeof DeliverySchema> => value;
const _deliveryOut = (value: z.output<typeof DeliverySchema>): DeliveryRecord => value;
const _keyIn = (value: Omit<ApiKey, 'hash'>): z.input<typeof ApiKeySchema> => value;
const _keyOut = (value: z.output<typeof ApiKeySchema>): Omit<ApiKey, 'hash'> => value;
const _articleIn = (value: ClassifiedArticle): z.input<typeof ArticleSchema> => value;
const _articleOut = (value: z.output<typeof ArticleSchema>): ClassifiedArticle => value;
