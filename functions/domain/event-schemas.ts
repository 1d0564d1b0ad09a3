// The JSON Schema of every event a subscriber receives (webhook body; the same JSON on SQS and SNS), as zod schemas
// the OpenAPI document publishes under `webhooks`, so consumers can validate and generate types. Each schema is
// held to its TypeScript type at compile time (both directions, below) and to real emitted payloads by the tests.
import * as z from 'zod';
import type { AlertFailedEvent } from './alert.js';
import type { AlertFailedRecord, AlertPayload, Classification, DigestPayload, MatchReasons } from './types.js';

const isoTime = (description: string) => z.string().meta({ description: `${description} (ISO 8601, UTC)`, format: 'date-time' });
const countryCode = z.string().regex(/^[A-Z]{2}$/).meta({ description: 'ISO 3166-1 alpha-2' });
const topicCode = z.string().regex(/^medtop:\d{8}$/).meta({ description: 'IPTC Media Topic, e.g. medtop:11000000' });
const score = z.number().min(0).max(1);

export const TopicScoreSchema = z
  .object({ code: topicCode, label: z.string(), score, evidence: z.array(z.string()).meta({ description: 'Terms that produced the score, strongest first' }) })
  .meta({ id: 'TopicScore' });

export const CountryScoreSchema = z
  .object({
    code: countryCode,
    role: z.enum(['primary', 'mentioned']),
    score,
    evidence: z.array(z.object({ text: z.string(), field: z.enum(['title', 'summary', 'text']), start: z.number().int().min(0) })),
  })
  .meta({ id: 'CountryScore' });

export const SourceCountrySchema = z
  .object({
    code: countryCode,
    confidence: score.meta({ description: '1 configured, 0.9 a listed publisher, 0.7 a country-code domain, 0.3-0.5 a language region' }),
    basis: z.enum(['feed', 'publisher', 'cctld', 'language-region']),
    evidence: z.string().meta({ description: 'What it was read from: the host, the domain, the language tag' }),
  })
  .meta({ id: 'SourceCountry' });

export const ClassificationSchema = z
  .object({
    language: z.string().meta({ description: 'ISO 639-1, or "und"' }),
    topics: z.array(TopicScoreSchema),
    countries: z.array(CountryScoreSchema),
    sourceCountry: countryCode.optional().meta({
      description: "The publisher's country, not what the article is about: configured, else inferred with confidence >= 0.5",
    }),
    source: SourceCountrySchema.optional().meta({ description: 'The source country with its confidence and evidence, when anything points to one' }),
    classifierVersion: z.string(),
  })
  .meta({ id: 'Classification' });

export const MatchReasonsSchema = z
  .object({
    topics: z.array(z.object({ code: topicCode, score })),
    countries: z.array(z.object({ code: countryCode, role: z.enum(['primary', 'mentioned', 'source']), score })),
    keywords: z.array(z.string()),
  })
  .meta({ id: 'MatchReasons', description: 'Why the subscription matched' });

const AlertArticleSchema = z
  .object({
    articleId: z.string(),
    storyId: z.string().meta({ description: 'The same for every article of one story, across sources' }),
    url: z.string(),
    title: z.string(),
    summary: z.string(),
    publishedAt: isoTime('When the publisher says it was published'),
    sourceName: z.string(),
    language: z.string(),
  })
  .meta({ id: 'AlertArticle' });

const alertFields = {
  version: z.literal('1'),
  id: z.string().meta({ description: 'Equal to the webhook-id header: deduplicate on it' }),
  timestamp: isoTime('When the alert was built'),
  subscriptionId: z.string(),
  article: AlertArticleSchema,
  classification: ClassificationSchema.omit({ language: true }),
  reasons: MatchReasonsSchema,
  unsubscribeUrl: z.string().optional().meta({ description: 'Signed link that unsubscribes the receiver' }),
};

export const AlertCreatedEventSchema = z
  .object({ type: z.literal('alert.created'), ...alertFields })
  .meta({ id: 'AlertCreatedEvent', description: 'A story matched the subscription: sent once per story' });

export const StoryUpdatedEventSchema = z
  .object({ type: z.literal('story.updated'), ...alertFields })
  .meta({ id: 'StoryUpdatedEvent', description: 'A story already alerted changed (opt-in: receiveStoryUpdates)' });

export const TestEventSchema = z
  .object({
    ...AlertCreatedEventSchema.shape,
    article: AlertArticleSchema.extend({
      articleId: z.string().regex(/^test_/),
      url: z.string().regex(/^https:\/\/newsalert\.invalid\/test\//),
    }),
    reasons: z.object({ topics: z.array(z.never()).max(0), countries: z.array(z.never()).max(0), keywords: z.array(z.never()).max(0) }),
  })
  .meta({
    id: 'TestEvent',
    description:
      'POST /subscriptions/{id}/test: an alert.created about no real article (its articleId starts "test_", its URL is under ' +
      'https://newsalert.invalid/test/, it has no reasons), sent through the delivery queue like a real one',
  });

const alertOfDigestSchema = z.object({ type: z.enum(['alert.created', 'story.updated']), article: AlertArticleSchema, reasons: MatchReasonsSchema });

export const DigestCreatedEventSchema = z
  .object({
    type: z.literal('digest.created'),
    version: z.literal('1'),
    id: z.string().meta({ description: 'Equal to the webhook-id header' }),
    timestamp: isoTime('When the digest was built'),
    subscriptionId: z.string(),
    reason: z.enum(['hourly', 'daily', 'quiet-hours', 'rate-cap']),
    period: z.object({ start: isoTime('Start of the period'), end: isoTime('End of the period') }),
    stories: z.array(z.object({ storyId: z.string(), alerts: z.array(alertOfDigestSchema) })),
    unsubscribeUrl: z.string().optional(),
  })
  .meta({ id: 'DigestCreatedEvent', description: 'The alerts held for a digest, quiet hours or a rate cap, grouped by story' });

/** What failed for good: the record the deliverer keeps (GET /subscriptions/{id}/failures lists them). */
export const AlertFailedRecordSchema = z
  .object({
    type: z.literal('alert.failed'),
    subscriptionId: z.string(),
    articleId: z.string(),
    deliveryId: z.string().meta({ description: 'The webhook-id the failed alert carried' }),
    attempts: z.number().int().min(1),
    error: z.string(),
    httpStatus: z.number().int().optional().meta({ description: "The receiver's last answer, when it answered" }),
    failedAt: isoTime('When the delivery gave up'),
    alert: z.discriminatedUnion('type', [AlertCreatedEventSchema, StoryUpdatedEventSchema, DigestCreatedEventSchema]),
  })
  .meta({ id: 'AlertFailedRecord' });

export const AlertFailedEventSchema = z
  .object({
    ...AlertFailedRecordSchema.shape,
    version: z.literal('1'),
    id: z.string().meta({ description: 'The event id (webhook-id): one per failure' }),
    timestamp: isoTime('When the event was built'),
  })
  .meta({ id: 'AlertFailedEvent', description: 'A delivery gave up after its last attempt (or a permanent error): the alert it carried, and why' });

/** Every event, by the `type` a consumer switches on (the test event is an alert.created). */
export const WEBHOOK_EVENTS = {
  'alert.created': AlertCreatedEventSchema,
  'story.updated': StoryUpdatedEventSchema,
  'digest.created': DigestCreatedEventSchema,
  'alert.failed': AlertFailedEventSchema,
  test: TestEventSchema,
} as const;

// Compile-time: each schema accepts what the code builds, and what it accepts is what the code's type says.
type AlertOf<T extends AlertPayload['type']> = AlertPayload & { type: T };
const _classificationIn = (value: Classification): z.input<typeof ClassificationSchema> => value;
const _classificationOut = (value: z.output<typeof ClassificationSchema>): Classification => value;
// An optional field the type gains is invisible to the two checks above; the key sets must match as well.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const _classificationKeys: SameKeys<Classification, z.output<typeof ClassificationSchema>> = true;
const _sourceKeys: SameKeys<NonNullable<Classification['source']>, z.output<typeof SourceCountrySchema>> = true;
const _reasonsIn = (value: MatchReasons): z.input<typeof MatchReasonsSchema> => value;
const _reasonsOut = (value: z.output<typeof MatchReasonsSchema>): MatchReasons => value;
const _alertIn = (value: AlertOf<'alert.created'>): z.input<typeof AlertCreatedEventSchema> => value;
const _alertOut = (value: z.output<typeof AlertCreatedEventSchema>): AlertPayload => value;
const _updatedIn = (value: AlertOf<'story.updated'>): z.input<typeof StoryUpdatedEventSchema> => value;
const _digestIn = (value: DigestPayload): z.input<typeof DigestCreatedEventSchema> => value;
const _digestOut = (value: z.output<typeof DigestCreatedEventSchema>): DigestPayload => value;
const _failedOut = (value: z.output<typeof AlertFailedRecordSchema>): AlertFailedRecord => value;
const _failedIn = (value: AlertFailedRecord): z.input<typeof AlertFailedRecordSchema> => value;
const _failedEventIn = (value: AlertFailedEvent): z.input<typeof AlertFailedEventSchema> => value;
