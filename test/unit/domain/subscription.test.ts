import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import type { Country } from 'world-countries';
import { ValidationError } from '#domain/errors.js';
import { COUNTRY_CODES, isCountryCode, parseSubscriptionInput } from '#domain/subscription-input.js';
import type { SubscriptionInput } from '#domain/subscription-input.js';
import { newSubscription } from '#domain/subscription.js';

// world-countries is CommonJS whose typings claim an ES default export; require() sidesteps the mismatch.
const worldCountries = createRequire(import.meta.url)('world-countries') as Country[];

const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

function validBody(): Record<string, unknown> {
  return {
    name: 'Russia and China',
    topics: ['medtop:11000000'],
    countries: ['ru', 'CN'],
    keywords: ['diplomacy'],
    channel: { type: 'webhook', url: 'https://hooks.example.com/news', secret: SECRET },
  };
}

/** Parses and returns the issues of the ValidationError it must throw. */
function issuesOf(body: unknown): { path: string; message: string }[] {
  try {
    parseSubscriptionInput(body);
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('country codes', () => {
  it('lists exactly the 249 ISO 3166-1 alpha-2 codes (world-countries minus the user-assigned XK)', () => {
    // Prepare
    const reference = worldCountries.map((c) => c.cca2).filter((code) => code !== 'XK').sort();

    // Assess
    expect(COUNTRY_CODES).toHaveLength(249);
    expect([...COUNTRY_CODES].sort()).toEqual(reference);
    expect(isCountryCode('RU')).toBe(true);
    expect(isCountryCode('XK')).toBe(false);
  });
});

describe('parseSubscriptionInput', () => {
  it('accepts a complete webhook subscription and upper-cases country codes', () => {
    // Act
    const input = parseSubscriptionInput(validBody());

    // Assess
    expect(input).toEqual({
      name: 'Russia and China',
      topics: ['medtop:11000000'],
      countries: ['RU', 'CN'],
      keywords: ['diplomacy'],
      channel: { type: 'webhook', url: 'https://hooks.example.com/news', secret: SECRET },
    });
  });

  it('defaults missing dimensions to empty lists when one dimension is given', () => {
    // Act
    const input = parseSubscriptionInput({ countries: ['fr'], channel: { type: 'sns' } });

    // Assess
    expect(input).toEqual({ topics: [], countries: ['FR'], keywords: [], channel: { type: 'sns' } });
  });

  it('folds whitespace in keywords and drops duplicates', () => {
    // Act
    const input = parseSubscriptionInput({ keywords: ['  New   York ', 'New York', 'Putin'], channel: { type: 'sns' } });

    // Assess
    expect(input.keywords).toEqual(['New York', 'Putin']);
  });

  it('accepts an SQS queue URL and a webhook without a secret', () => {
    // Act
    const sqs = parseSubscriptionInput({ topics: ['medtop:15000000'], channel: { type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts' } });
    const hook = parseSubscriptionInput({ topics: ['medtop:15000000'], channel: { type: 'webhook', url: 'http://hooks.example.com/' } });

    // Assess
    expect(sqs.channel).toEqual({ type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts' });
    expect(hook.channel).toEqual({ type: 'webhook', url: 'http://hooks.example.com/' });
  });

  it.each<[string, (body: Record<string, unknown>) => unknown, string]>([
    ['an unknown country code', (b) => ({ ...b, countries: ['RU', 'XX'] }), 'countries.1'],
    ['a country code of the wrong length', (b) => ({ ...b, countries: ['RUS'] }), 'countries.0'],
    ['a malformed topic code', (b) => ({ ...b, topics: ['politics'] }), 'topics.0'],
    ['a topic code with too few digits', (b) => ({ ...b, topics: ['medtop:1100000'] }), 'topics.0'],
    ['a blank keyword', (b) => ({ ...b, keywords: ['ok', '   '] }), 'keywords.1'],
    ['a keyword over 100 characters', (b) => ({ ...b, keywords: ['x'.repeat(101)] }), 'keywords.0'],
    ['more than 50 keywords', (b) => ({ ...b, keywords: Array.from({ length: 51 }, (_, i) => `kw${i}`) }), 'keywords'],
    ['keywords that are not a list', (b) => ({ ...b, keywords: 'diplomacy' }), 'keywords'],
    ['a non-string keyword', (b) => ({ ...b, keywords: [42] }), 'keywords.0'],
    ['a missing channel', (b) => ({ ...b, channel: undefined }), 'channel'],
    ['an unknown channel type', (b) => ({ ...b, channel: { type: 'email', to: 'a@b.c' } }), 'channel.type'],
    ['a webhook URL that is not http(s)', (b) => ({ ...b, channel: { type: 'webhook', url: 'ftp://example.com/x' } }), 'channel.url'],
    ['a webhook URL that is not a URL', (b) => ({ ...b, channel: { type: 'webhook', url: 'not a url' } }), 'channel.url'],
    ['a webhook URL with credentials', (b) => ({ ...b, channel: { type: 'webhook', url: 'https://u:p@example.com/' } }), 'channel.url'],
    ['a secret without the whsec_ prefix', (b) => ({ ...b, channel: { type: 'webhook', url: 'https://example.com/', secret: 'abc' } }), 'channel.secret'],
    ['a secret that is too short', (b) => ({ ...b, channel: { type: 'webhook', url: 'https://example.com/', secret: 'whsec_AAAA' } }), 'channel.secret'],
    ['an SQS URL on another host', (b) => ({ ...b, channel: { type: 'sqs', queueUrl: 'https://evil.example.com/123456789012/q' } }), 'channel.queueUrl'],
    ['an SQS URL with a short account id', (b) => ({ ...b, channel: { type: 'sqs', queueUrl: 'https://sqs.us-east-1.amazonaws.com/12345/q' } }), 'channel.queueUrl'],
    ['an unknown top-level field', (b) => ({ ...b, keyword: ['typo'] }), ''],
    ['a non-string name', (b) => ({ ...b, name: 5 }), 'name'],
  ])('rejects %s with the field path', (_label, mutate, path) => {
    // Act
    const issues = issuesOf(mutate(validBody()));

    // Assess
    expect(issues.map((i) => i.path)).toContain(path);
    expect(issues.every((i) => i.message.length > 0)).toBe(true);
  });

  it('names the unknown country in the message', () => {
    // Act
    const issues = issuesOf({ ...validBody(), countries: ['zz'] });

    // Assess
    expect(issues).toEqual([{ path: 'countries.0', message: expect.stringContaining('"ZZ"') as unknown as string }]);
  });

  it('rejects a subscription with no topic, country, keyword or query', () => {
    // Act
    const issues = issuesOf({ topics: [], countries: [], keywords: [], channel: { type: 'sns' } });

    // Assess
    expect(issues).toEqual([{ path: 'topics', message: 'at least one of topics, countries, keywords or query must be non-empty' }]);
  });

  it.each([[null], ['text'], [42], [[]]])('rejects a body that is not an object (%j)', (body) => {
    expect(() => parseSubscriptionInput(body)).toThrow(ValidationError);
  });

  it('reports every bad field at once', () => {
    // Act
    const issues = issuesOf({ topics: ['x'], countries: ['QQ'], channel: { type: 'sqs', queueUrl: 'nope' } });

    // Assess
    expect(issues.map((i) => i.path).sort()).toEqual(['channel.queueUrl', 'countries.0', 'topics.0']);
  });
});

describe('newSubscription', () => {
  const now = new Date('2025-03-01T12:00:00.000Z');

  it('builds an active subscription with the generated secret when the input has none', () => {
    // Prepare
    const input: SubscriptionInput = { topics: [], countries: ['RU'], keywords: [], channel: { type: 'webhook', url: 'https://example.com/h' } };

    // Act
    const sub = newSubscription(input, { id: 'sub_1', now, owner: 'alice', secret: SECRET });

    // Assess
    expect(sub).toEqual({
      subscriptionId: 'sub_1',
      owner: 'alice',
      topics: [],
      countries: ['RU'],
      keywords: [],
      channel: { type: 'webhook', url: 'https://example.com/h', secret: SECRET },
      status: 'active',
      createdAt: '2025-03-01T12:00:00.000Z',
    });
  });

  it('keeps the secret the caller chose over a generated one', () => {
    // Prepare
    const own = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
    const input = parseSubscriptionInput({ keywords: ['x'], channel: { type: 'webhook', url: 'https://example.com/', secret: own } });

    // Act
    const sub = newSubscription(input, { id: 'sub_2', now, secret: SECRET });

    // Assess
    expect(sub.channel).toEqual({ type: 'webhook', url: 'https://example.com/', secret: own });
  });

  it('lets the authenticated owner win over the one in the body, and keeps the name', () => {
    // Prepare
    const input = parseSubscriptionInput({ name: 'Mine', owner: 'mallory', keywords: ['x'], channel: { type: 'sns' } });

    // Act
    const fromAuth = newSubscription(input, { id: 's', now, owner: 'alice' });
    const fromBody = newSubscription(input, { id: 's', now });

    // Assess
    expect(fromAuth.owner).toBe('alice');
    expect(fromBody.owner).toBe('mallory');
    expect(fromAuth.name).toBe('Mine');
  });

  it('refuses a webhook subscription when no secret is available', () => {
    // Prepare
    const input: SubscriptionInput = { topics: [], countries: ['RU'], keywords: [], channel: { type: 'webhook', url: 'https://example.com/h' } };

    // Act / Assess
    expect(() => newSubscription(input, { id: 's', now })).toThrow(ValidationError);
  });
});
