// A subscription as the API and the CLI write it (SubscriptionInput), validated once at the edge: the schema with
// its limits, and the codes a subscription may name. subscription.ts builds and changes the stored Subscription.
import * as z from 'zod';
import { ValidationError } from './errors.js';
import { parseKeywordQuery } from './keyword-query.js';
import { isSubscribableTopic } from './topic-tree.js';
import { parseWith } from './validation.js';
import type { CountryCode, CountryRole, Frequency, QuietHours, TopicCode } from './types.js';

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
