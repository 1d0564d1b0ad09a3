// Subscriptions: the API's create input, validated once at the edge, and the stored Subscription built from it.
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { CountryCode, Subscription, TopicCode } from './types.js';

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

export type ChannelInput =
  | { type: 'webhook'; url: string; secret?: string }
  | { type: 'sqs'; queueUrl: string }
  | { type: 'sns' };

export interface SubscriptionInput {
  name?: string;
  owner?: string;
  topics: TopicCode[];
  countries: CountryCode[];
  keywords: string[];
  channel: ChannelInput;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

function secretByteLength(secret: string): number {
  const b64 = secret.slice('whsec_'.length);
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - padding;
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];

const webhookChannelSchema = z.strictObject({
  type: z.literal('webhook'),
  url: z
    .string({ error: 'must be a string' })
    .max(2048, { error: 'must be at most 2048 characters' })
    .refine(isHttpUrl, { error: 'must be an absolute http:// or https:// URL without credentials' }),
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

const channelSchema = z.discriminatedUnion('type', [webhookChannelSchema, sqsChannelSchema, snsChannelSchema], {
  error: 'must be an object with type "webhook", "sqs" or "sns"',
});

const topicSchema = z.string({ error: 'must be a string' }).regex(TOPIC_CODE_PATTERN, {
  error: 'must be an IPTC Media Topic code like "medtop:11000000"',
});

const countrySchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toUpperCase()
  .refine(isCountryCode, { error: (issue) => `unknown ISO 3166-1 alpha-2 country code ${JSON.stringify(issue.input)}` });

const keywordSchema = z
  .string({ error: 'must be a string' })
  // Inner runs of whitespace are folded so "new  york" and "new york" are the same subscription.
  .transform((s) => s.trim().replace(/\s+/g, ' '))
  .pipe(z.string().min(1, { error: 'must not be blank' }).max(100, { error: 'must be at most 100 characters' }));

export const subscriptionInputSchema = z
  .strictObject({
    name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200).optional(),
    owner: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200).optional(),
    topics: z.array(topicSchema, { error: 'must be an array' }).max(MAX_TOPICS).default([]).transform(unique),
    countries: z.array(countrySchema, { error: 'must be an array' }).max(MAX_COUNTRIES).default([]).transform(unique),
    keywords: z
      .array(keywordSchema, { error: 'must be an array' })
      .max(MAX_KEYWORDS, { error: `must have at most ${MAX_KEYWORDS} keywords` })
      .default([])
      .transform(unique),
    channel: channelSchema,
  })
  .refine((s) => s.topics.length + s.countries.length + s.keywords.length > 0, {
    error: 'at least one of topics, countries or keywords must be non-empty',
    path: ['topics'],
  });

// Fails to compile if the schema and the hand-written interface drift apart.
const _schemaMatchesInterface: (out: z.output<typeof subscriptionInputSchema>) => SubscriptionInput = (out) => out;

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment) => String(segment)).join('.');
}

/** Validates an API/CLI body. Throws ValidationError whose issues name each bad field by path, e.g. "countries.1". */
export function parseSubscriptionInput(body: unknown): SubscriptionInput {
  const result = subscriptionInputSchema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const summary = issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ');
  throw new ValidationError(`Invalid subscription: ${summary}`, issues, { cause: result.error });
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

export function newSubscription(input: SubscriptionInput, context: NewSubscriptionContext): Subscription {
  const channel = buildChannel(input.channel, context.secret);
  const subscription: Subscription = {
    subscriptionId: context.id,
    owner: context.owner ?? input.owner ?? DEFAULT_OWNER,
    topics: [...input.topics],
    countries: [...input.countries],
    keywords: [...input.keywords],
    channel,
    status: 'active',
    createdAt: context.now.toISOString(),
  };
  if (input.name !== undefined) subscription.name = input.name;
  return subscription;
}

function buildChannel(channel: ChannelInput, generatedSecret: string | undefined): Subscription['channel'] {
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
  }
}
