// Subscriptions: the API's create input, validated once at the edge, and the stored Subscription built from it.
import * as z from 'zod';
import { ValidationError } from './errors.js';
import { parseKeywordQuery } from './keyword-query.js';
import { isSubscribableTopic } from './topic-tree.js';
import { parseWith } from './validation.js';
import type { Channel, CountryCode, CountryRole, Frequency, QuietHours, Subscription, TopicCode } from './types.js';

// ISO 3166-1 alpha-2, all 249 officially assigned codes. Written out rather than derived from a package so that a
// dependency update can never silently widen or narrow what subscribers may ask for.
const ISO_3166_ALPHA2 =
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW';

export const COUNTRY_CODES: readonly CountryCode[] = Object.freeze(ISO_3166_ALPHA2.split(' '));
const COUNTRY_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);

export function isCountryCode(value: string): value is CountryCode {
  return COUNTRY_SET.has(value);
}

export const TOPIC_CODE_PATTERN = /^medtop:\d{8}$/;
export const SQS_QUEUE_URL_PATTERN = /^https:\/\/sqs\.[a-z]{2}(-[a-z]+)+-\d\.amazonaws\.com\/\d{12}\/[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
/** Standard Webhooks secrets carry 24 to 64 random bytes after the prefix. */
const WEBHOOK_SECRET_PATTERN = /^whsec_(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;
const MAX_KEYWORDS = 50;
const MAX_TOPICS = 100;
const MAX_COUNTRIES = COUNTRY_CODES.length;
const MAX_SOURCES = 500;
const MAX_LANGUAGES = 50;
const MAX_QUERY_LENGTH = 1000;
/** More than one alert a second is a firehose, not an alert. */
const MAX_RATE_CAP_PER_HOUR = 3600;
/** A snooze longer than a year is a pause or a delete. */
const MAX_SNOOZE_MS = 366 * 86_400_000;
/** How long the previous webhook secret keeps signing after a rotation, unless the caller chooses. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

export type ChannelInput =
  | { type: 'webhook'; url: string; secret?: string }
  | { type: 'sqs'; queueUrl: string }
  | { type: 'sns' }
  | { type: 'slack'; webhookUrl: string };

export interface SubscriptionInput {
  name?: string;
  owner?: string;
  topics: TopicCode[];
  countries: CountryCode[];
  countryRole?: CountryRole;
  keywords: string[];
  query?: string;
  languages?: string[];
  includeSources?: string[];
  excludeSources?: string[];
  minScore?: number;
  channel: ChannelInput;
  frequency?: Frequency;
  quietHours?: QuietHours;
  rateCapPerHour?: number;
  receiveStoryUpdates?: boolean;
}

function isUrlWithProtocols(value: string, protocols: readonly string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const isHttpUrl = (value: string): boolean => isUrlWithProtocols(value, ['http:', 'https:']);
const isHttpsUrl = (value: string): boolean => isUrlWithProtocols(value, ['https:']);

function secretByteLength(secret: string): number {
  const b64 = secret.slice('whsec_'.length);
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

/** IANA zone names are whatever the runtime's ICU knows; asking it is the only check that cannot drift from use. */
export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

const CLOCK_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const LANGUAGE_CODE = /^[a-z]{2}$/;

const webhookUrlSchema = z
  .string({ error: 'must be a string' })
  .max(2048, { error: 'must be at most 2048 characters' })
  .refine(isHttpUrl, { error: 'must be an absolute http:// or https:// URL without credentials' });

const webhookChannelSchema = z.strictObject({
  type: z.literal('webhook'),
  url: webhookUrlSchema,
  secret: z
    .string({ error: 'must be a string' })
    .regex(WEBHOOK_SECRET_PATTERN, { error: 'must be "whsec_" followed by base64' })
    .refine((s) => secretByteLength(s) >= MIN_SECRET_BYTES && secretByteLength(s) <= MAX_SECRET_BYTES, {
      error: `must encode ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`,
    })
    .optional(),
});

const sqsChannelSchema = z.strictObject({
  type: z.literal('sqs'),
  queueUrl: z
    .string({ error: 'must be a string' })
    .regex(SQS_QUEUE_URL_PATTERN, { error: 'must look like https://sqs.<region>.amazonaws.com/<12-digit account>/<queue name>' }),
});

const snsChannelSchema = z.strictObject({ type: z.literal('sns') });

const slackChannelSchema = z.strictObject({
  type: z.literal('slack'),
  webhookUrl: z
    .string({ error: 'must be a string' })
    .max(2048, { error: 'must be at most 2048 characters' })
    .refine(isHttpsUrl, { error: 'must be an https:// Slack incoming-webhook URL without credentials' }),
});

const channelSchema = z.discriminatedUnion(
  'type',
  [webhookChannelSchema, sqsChannelSchema, snsChannelSchema, slackChannelSchema],
  { error: 'must be an object with type "webhook", "sqs", "sns" or "slack"' },
);

const topicSchema = z
  .string({ error: 'must be a string' })
  .regex(TOPIC_CODE_PATTERN, { error: 'must be an IPTC Media Topic code like "medtop:11000000"' })
  // Checked against IPTC's own tree: a well-formed but unknown code would silently match nothing, forever.
  .refine((code) => !TOPIC_CODE_PATTERN.test(code) || isSubscribableTopic(code), {
    error: (issue) => `unknown or retired IPTC Media Topic ${JSON.stringify(issue.input)}`,
  })
  .describe('IPTC Media Topic code; a parent topic matches its children');

const countrySchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toUpperCase()
  .refine(isCountryCode, { error: (issue) => `unknown ISO 3166-1 alpha-2 country code ${JSON.stringify(issue.input)}` })
  .describe('ISO 3166-1 alpha-2 country code, any case');

const keywordSchema = z
  .string({ error: 'must be a string' })
  // Inner runs of whitespace are folded so "new  york" and "new york" are the same subscription.
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, { error: 'must not be blank' }).max(100, { error: 'must be at most 100 characters' }));

const querySchema = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, { error: 'must not be blank' })
  .max(MAX_QUERY_LENGTH, { error: `must be at most ${MAX_QUERY_LENGTH} characters` })
  .superRefine((query, ctx) => {
    const problem = keywordQueryProblem(query);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `invalid boolean query: ${problem}` });
  })
  .describe('Boolean keyword query: AND, OR, NOT, "quoted phrases", parentheses; case- and diacritics-insensitive');

const languageSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toLowerCase()
  .regex(LANGUAGE_CODE, { error: 'must be an ISO 639-1 language code like "en"' });

const sourceSchema = z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200);

const timeZoneSchema = z
  .string({ error: 'must be a string' })
  .refine(isTimeZone, { error: (issue) => `unknown IANA time zone ${JSON.stringify(issue.input)}` });

const clockTimeSchema = z.string({ error: 'must be a string' }).regex(CLOCK_TIME, { error: 'must be a 24-hour time HH:MM' });

const frequencySchema = z.discriminatedUnion(
  'mode',
  [
    z.strictObject({ mode: z.literal('instant') }),
    z.strictObject({ mode: z.literal('hourly'), timeZone: timeZoneSchema, at: clockTimeSchema.optional() }),
    z.strictObject({ mode: z.literal('daily'), timeZone: timeZoneSchema, at: clockTimeSchema.optional() }),
  ],
  { error: 'must be an object with mode "instant", "hourly" or "daily"' },
);

const quietHoursSchema = z
  .strictObject({ start: clockTimeSchema, end: clockTimeSchema, timeZone: timeZoneSchema })
  .refine((q) => q.start !== q.end, { error: 'start and end must differ', path: ['end'] });

function keywordQueryProblem(query: string): string | undefined {
  try {
    parseKeywordQuery(query);
    return undefined;
  } catch (error) {
    // The parser's own errors carry the position and the reason; anything else is a bug and must surface.
    if (error instanceof ValidationError || error instanceof SyntaxError) return error.message;
    throw error;
  }
}

export const subscriptionInputSchema = z
    .strictObject({
      name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200).optional(),
      owner: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200).optional(),
      topics: z.array(topicSchema, { error: 'must be an array' }).max(MAX_TOPICS).default([]).transform(unique),
      countries: z.array(countrySchema, { error: 'must be an array' }).max(MAX_COUNTRIES).default([]).transform(unique),
      countryRole: z.enum(['about', 'primary', 'source'], { error: 'must be "about", "primary" or "source"' }).optional(),
      keywords: z
        .array(keywordSchema, { error: 'must be an array' })
        .max(MAX_KEYWORDS, { error: `must have at most ${MAX_KEYWORDS} keywords` })
        .default([])
        .transform(unique),
      query: querySchema.optional(),
      languages: z.array(languageSchema, { error: 'must be an array' }).max(MAX_LANGUAGES).transform(unique).optional(),
      includeSources: z.array(sourceSchema, { error: 'must be an array' }).max(MAX_SOURCES).transform(unique).optional(),
      excludeSources: z.array(sourceSchema, { error: 'must be an array' }).max(MAX_SOURCES).transform(unique).optional(),
      minScore: z.number({ error: 'must be a number' }).min(0, { error: 'must be from 0 to 1' }).max(1, { error: 'must be from 0 to 1' }).optional(),
      channel: channelSchema,
      frequency: frequencySchema.optional(),
      quietHours: quietHoursSchema.optional(),
      rateCapPerHour: z
        .int({ error: 'must be a whole number' })
        .min(1, { error: `must be from 1 to ${MAX_RATE_CAP_PER_HOUR}` })
        .max(MAX_RATE_CAP_PER_HOUR, { error: `must be from 1 to ${MAX_RATE_CAP_PER_HOUR}` })
        .optional(),
      receiveStoryUpdates: z.boolean({ error: 'must be true or false' }).optional(),
    })
    .refine((s) => s.topics.length + s.countries.length + s.keywords.length > 0 || s.query !== undefined, {
      error: 'at least one of topics, countries, keywords or query must be non-empty',
      path: ['topics'],
    })
    .refine((s) => !(s.includeSources ?? []).some((source) => (s.excludeSources ?? []).includes(source)), {
      error: 'a source cannot be both included and excluded',
      path: ['excludeSources'],
    });

// Fails to compile if the schema and the hand-written interface drift apart.
const _schemaMatchesInterface: (out: z.output<typeof subscriptionInputSchema>) => SubscriptionInput = (out) => out;

/** Validates an API/CLI body. Throws ValidationError whose issues name each bad field by path, e.g. "countries.1". */
export function parseSubscriptionInput(body: unknown): SubscriptionInput {
  return parseWith(subscriptionInputSchema, body, 'subscription');
}

export interface NewSubscriptionContext {
  id: string;
  now: Date;
  /** The authenticated caller. Wins over `input.owner`, which only the CLI / local runtime may set. */
  owner?: string;
  /** A freshly generated secret (see generateWebhookSecret), used when a webhook input brings none. */
  secret?: string;
}

export const DEFAULT_OWNER = 'default';

/** The optional matching and delivery settings, copied only when present so stored items carry no empty keys. */
function settingsOf(input: SubscriptionInput): Partial<Subscription> {
  const settings: Partial<Subscription> = {};
  if (input.name !== undefined) settings.name = input.name;
  if (input.countryRole !== undefined) settings.countryRole = input.countryRole;
  if (input.query !== undefined) settings.query = input.query;
  if (input.languages !== undefined && input.languages.length > 0) settings.languages = [...input.languages];
  if (input.includeSources !== undefined && input.includeSources.length > 0) settings.includeSources = [...input.includeSources];
  if (input.excludeSources !== undefined && input.excludeSources.length > 0) settings.excludeSources = [...input.excludeSources];
  if (input.minScore !== undefined) settings.minScore = input.minScore;
  if (input.frequency !== undefined) settings.frequency = { ...input.frequency };
  if (input.quietHours !== undefined) settings.quietHours = { ...input.quietHours };
  if (input.rateCapPerHour !== undefined) settings.rateCapPerHour = input.rateCapPerHour;
  if (input.receiveStoryUpdates !== undefined) settings.receiveStoryUpdates = input.receiveStoryUpdates;
  return settings;
}

export function newSubscription(input: SubscriptionInput, context: NewSubscriptionContext): Subscription {
  return {
    subscriptionId: context.id,
    owner: context.owner ?? input.owner ?? DEFAULT_OWNER,
    topics: [...input.topics],
    countries: [...input.countries],
    keywords: [...input.keywords],
    channel: buildChannel(input.channel, context.secret),
    status: 'active',
    createdAt: context.now.toISOString(),
    ...settingsOf(input),
  };
}

function buildChannel(channel: ChannelInput, generatedSecret: string | undefined): Channel {
  switch (channel.type) {
    case 'webhook': {
      const secret = channel.secret ?? generatedSecret;
      if (secret === undefined) {
        throw new ValidationError('A webhook subscription needs a secret: none was given and none was generated', [
          { path: 'channel.secret', message: 'required' },
        ]);
      }
      return { type: 'webhook', url: channel.url, secret };
    }
    case 'sqs':
      return { type: 'sqs', queueUrl: channel.queueUrl };
    case 'sns':
      return { type: 'sns' };
    case 'slack':
      return { type: 'slack', webhookUrl: channel.webhookUrl };
  }
}

export interface ReplaceSubscriptionContext {
  now: Date;
  /** A fresh secret, used only when the channel becomes a webhook and the input brings none. */
  secret?: string;
}

/**
 * The subscription after a full update (PUT). Identity, owner, state (status, snooze) and creation time stay; the
 * matching and delivery settings are replaced. A webhook keeps its secret (and a rotation's grace) unless the body
 * names a new one, so an update never silently breaks a receiver's signature check.
 */
export function replaceSubscription(existing: Subscription, input: SubscriptionInput, context: ReplaceSubscriptionContext): Subscription {
  if (input.owner !== undefined && input.owner !== existing.owner) {
    throw new ValidationError('The owner of a subscription cannot change', [{ path: 'owner', message: `must be ${JSON.stringify(existing.owner)} or absent` }]);
  }
  const kept = existing.channel.type === 'webhook' && input.channel.type === 'webhook' && input.channel.secret === undefined;
  const channel: Channel = kept ? { ...(existing.channel as Extract<Channel, { type: 'webhook' }>), url: (input.channel as { url: string }).url } : buildChannel(input.channel, context.secret);
  const replaced: Subscription = {
    subscriptionId: existing.subscriptionId,
    owner: existing.owner,
    topics: [...input.topics],
    countries: [...input.countries],
    keywords: [...input.keywords],
    channel,
    status: existing.status,
    createdAt: existing.createdAt,
    updatedAt: context.now.toISOString(),
    ...settingsOf(input),
  };
  if (existing.statusReason !== undefined) replaced.statusReason = existing.statusReason;
  if (existing.snoozedUntil !== undefined) replaced.snoozedUntil = existing.snoozedUntil;
  return replaced;
}

/** The body that would recreate `subscription` (without secrets): the base a partial update is merged into. */
export function subscriptionToInput(subscription: Subscription): Record<string, unknown> {
  const channel: ChannelInput =
    subscription.channel.type === 'webhook' ? { type: 'webhook', url: subscription.channel.url } : { ...subscription.channel };
  const body: Record<string, unknown> = {
    topics: subscription.topics,
    countries: subscription.countries,
    keywords: subscription.keywords,
    channel,
  };
  const optional = [
    'name',
    'countryRole',
    'query',
    'languages',
    'includeSources',
    'excludeSources',
    'minScore',
    'frequency',
    'quietHours',
    'rateCapPerHour',
    'receiveStoryUpdates',
  ] as const;
  for (const key of optional) if (subscription[key] !== undefined) body[key] = subscription[key];
  return body;
}

/**
 * A partial update (PATCH, JSON merge patch semantics, RFC 7396, one level deep): fields present replace, `null`
 * removes an optional field. The merged body is then validated as a whole, so a patch can never produce a
 * subscription that a create would refuse.
 */
export function patchSubscription(existing: Subscription, patch: unknown, context: ReplaceSubscriptionContext): Subscription {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    throw new ValidationError('Invalid subscription patch: (body): must be a JSON object', [{ path: '(body)', message: 'must be a JSON object' }]);
  }
  const merged = subscriptionToInput(existing);
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return replaceSubscription(existing, parseSubscriptionInput(merged), context);
}

function touched(subscription: Subscription, now: Date): Subscription {
  return { ...subscription, updatedAt: now.toISOString() };
}

/** Stops alerts until resumed. */
export function pauseSubscription(subscription: Subscription, now: Date): Subscription {
  const { statusReason: _reason, ...rest } = subscription;
  return touched({ ...rest, status: 'paused' }, now);
}

/**
 * Active again, from paused, failing or disabled (a receiver that answered 410 and is fixed): the owner says so. A
 * snooze ends too: resuming means "send me alerts now".
 */
export function resumeSubscription(subscription: Subscription, now: Date): Subscription {
  const { statusReason: _reason, snoozedUntil: _snooze, ...rest } = subscription;
  return touched({ ...rest, status: 'active' }, now);
}

export const snoozeInputSchema = z.strictObject({
  until: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. "2026-01-31T08:00:00Z"' }),
});

/** No alerts until `until` (in the future, within a year); the status stays what it was. */
export function snoozeSubscription(subscription: Subscription, body: unknown, now: Date): Subscription {
  const { until } = parseWith(snoozeInputSchema, body, 'snooze');
  const millis = Date.parse(until);
  if (millis <= now.getTime()) {
    throw new ValidationError('Invalid snooze: until: must be in the future', [{ path: 'until', message: 'must be in the future' }]);
  }
  if (millis - now.getTime() > MAX_SNOOZE_MS) {
    throw new ValidationError('Invalid snooze: until: must be within a year', [{ path: 'until', message: 'must be within a year; pause instead' }]);
  }
  return touched({ ...subscription, snoozedUntil: new Date(millis).toISOString() }, now);
}

export const rotateSecretInputSchema = z.strictObject({
  graceSeconds: z
    .int({ error: 'must be a whole number of seconds' })
    .min(0, { error: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS}` })
    .max(MAX_ROTATION_GRACE_SECONDS, { error: `must be from 0 to ${MAX_ROTATION_GRACE_SECONDS}` })
    .optional(),
});

/**
 * A new webhook secret. Until the grace period ends, alerts carry signatures by both secrets (Standard Webhooks
 * allows several space-separated `v1,` signatures), so a receiver can switch to the new one at its own pace. A grace
 * of 0 retires the old secret at once (a leaked secret). Only the latest previous secret is kept.
 */
export function rotateWebhookSecret(
  subscription: Subscription,
  body: unknown,
  context: { now: Date; secret: string },
): { subscription: Subscription; graceSeconds: number } {
  const input = parseWith(rotateSecretInputSchema, body ?? {}, 'secret rotation');
  const channel = subscription.channel;
  if (channel.type !== 'webhook') {
    throw new ValidationError('Only a webhook subscription has a secret to rotate', [{ path: 'channel.type', message: `is ${channel.type}, not webhook` }]);
  }
  const graceSeconds = input.graceSeconds ?? DEFAULT_ROTATION_GRACE_SECONDS;
  const rotated: Channel = { type: 'webhook', url: channel.url, secret: context.secret };
  if (graceSeconds > 0) {
    rotated.previousSecret = channel.secret;
    rotated.previousSecretExpiresAt = new Date(context.now.getTime() + graceSeconds * 1000).toISOString();
  }
  return { subscription: touched({ ...subscription, channel: rotated }, context.now), graceSeconds };
}

/** The subscription as API responses show it: never a secret (the create and rotate responses add it once). */
export function publicSubscription(subscription: Subscription): Subscription | Omit<Subscription, 'channel'> & { channel: Record<string, unknown> } {
  if (subscription.channel.type !== 'webhook') return subscription;
  const { secret: _secret, previousSecret: _previous, ...channel } = subscription.channel;
  return { ...subscription, channel };
}
