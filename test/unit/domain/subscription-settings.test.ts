// The subscription fields of the next stage (query, languages, sources, score, frequency, quiet hours, rate cap,
// Slack) and the state operations: partial update, pause, resume, snooze, webhook secret rotation.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import { parseSubscriptionInput } from '#domain/subscription-input.js';
import {
  newSubscription,
  patchSubscription,
  pauseSubscription,
  publicSubscription,
  replaceSubscription,
  resumeSubscription,
  rotateWebhookSecret,
  snoozeSubscription,
} from '#domain/subscription.js';
import type { Subscription } from '#domain/types.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
const NEW_SECRET = `whsec_${Buffer.alloc(24, 9).toString('base64')}`;

function issuesOf(run: () => unknown): { path: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

function webhookSubscription(overrides: Partial<Subscription> = {}): Subscription {
  const input = parseSubscriptionInput({ countries: ['RU'], channel: { type: 'webhook', url: 'https://hooks.example.com/a' } });
  return { ...newSubscription(input, { id: 'sub_1', now: NOW, owner: 'alice', secret: SECRET }), ...overrides };
}

describe('parseSubscriptionInput, new fields', () => {
  it('accepts every setting and normalises languages and duplicates', () => {
    // Act
    const input = parseSubscriptionInput({
      topics: ['medtop:20000002'],
      countries: ['ru'],
      countryRole: 'primary',
      query: ' putin AND ("state visit" OR summit) NOT tour ',
      languages: ['EN', 'en', 'de'],
      includeSources: ['feed-a', 'feed-a'],
      excludeSources: ['feed-b'],
      minScore: 0.4,
      frequency: { mode: 'daily', timeZone: 'Europe/Paris', at: '07:30' },
      quietHours: { start: '22:00', end: '07:00', timeZone: 'Asia/Tokyo' },
      rateCapPerHour: 12,
      receiveStoryUpdates: true,
      channel: { type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    });

    // Assess
    expect(input).toMatchObject({
      countries: ['RU'],
      query: 'putin AND ("state visit" OR summit) NOT tour',
      languages: ['en', 'de'],
      includeSources: ['feed-a'],
      frequency: { mode: 'daily', timeZone: 'Europe/Paris', at: '07:30' },
      channel: { type: 'slack', webhookUrl: 'https://hooks.slack.com/services/T000/B000/XXXX' },
    });
  });

  it('accepts a query as the only constraint', () => {
    expect(parseSubscriptionInput({ query: '"new zealand"', channel: { type: 'sns' } }).query).toBe('"new zealand"');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an unbalanced parenthesis in the query', { query: '(putin OR xi' }, 'query'],
    ['a query made only of an operator', { query: 'NOT' }, 'query'],
    ['an IPTC code that does not exist', { topics: ['medtop:12345678'] }, 'topics.0'],
    ['an unknown country role', { countryRole: 'capital' }, 'countryRole'],
    ['a three-letter language', { languages: ['eng'] }, 'languages.0'],
    ['a negative minimum score', { minScore: -0.1 }, 'minScore'],
    ['a rate cap of zero', { rateCapPerHour: 0 }, 'rateCapPerHour'],
    ['a fractional rate cap', { rateCapPerHour: 1.5 }, 'rateCapPerHour'],
    ['a digest without a time zone', { frequency: { mode: 'hourly' } }, 'frequency.timeZone'],
    ['a digest time of 24:00', { frequency: { mode: 'daily', timeZone: 'UTC', at: '24:00' } }, 'frequency.at'],
    ['quiet hours that start when they end', { quietHours: { start: '08:00', end: '08:00', timeZone: 'UTC' } }, 'quietHours.end'],
    ['a source both included and excluded', { includeSources: ['x'], excludeSources: ['x'] }, 'excludeSources'],
    ['receiveStoryUpdates as a string', { receiveStoryUpdates: 'yes' }, 'receiveStoryUpdates'],
  ])('rejects %s, naming the field', (_label, fields, path) => {
    const issues = issuesOf(() => parseSubscriptionInput({ countries: ['FR'], channel: { type: 'sns' }, ...fields }));

    expect(issues.map((i) => i.path)).toContain(path);
  });
});

describe('updates', () => {
  it('PUT keeps identity, owner, state and the webhook secret when the body names none', () => {
    // Prepare
    const existing = webhookSubscription({ status: 'paused', snoozedUntil: '2026-03-02T00:00:00.000Z' });
    const input = parseSubscriptionInput({ keywords: ['summit'], channel: { type: 'webhook', url: 'https://hooks.example.com/b' } });

    // Act
    const replaced = replaceSubscription(existing, input, { now: NOW, secret: NEW_SECRET });

    // Assess
    expect(replaced).toMatchObject({
      subscriptionId: 'sub_1',
      owner: 'alice',
      status: 'paused',
      snoozedUntil: '2026-03-02T00:00:00.000Z',
      countries: [],
      keywords: ['summit'],
      channel: { type: 'webhook', url: 'https://hooks.example.com/b', secret: SECRET },
      updatedAt: NOW.toISOString(),
    });
  });

  it('PUT generates a secret when the channel becomes a webhook', () => {
    const existing = { ...webhookSubscription(), channel: { type: 'sns' as const } };
    const input = parseSubscriptionInput({ countries: ['RU'], channel: { type: 'webhook', url: 'https://hooks.example.com/c' } });

    expect(replaceSubscription(existing, input, { now: NOW, secret: NEW_SECRET }).channel).toEqual({ type: 'webhook', url: 'https://hooks.example.com/c', secret: NEW_SECRET });
  });

  it('PATCH changes only the fields given and removes a field set to null', () => {
    // Prepare
    const existing = { ...webhookSubscription(), languages: ['en'], minScore: 0.5 };

    // Act
    const patched = patchSubscription(existing, { keywords: ['visit'], minScore: null }, { now: NOW });

    // Assess
    expect(patched).toMatchObject({ countries: ['RU'], keywords: ['visit'], languages: ['en'], channel: { secret: SECRET } });
    expect(patched).not.toHaveProperty('minScore');
  });

  it('PATCH refuses to change the owner or to leave nothing to match', () => {
    expect(issuesOf(() => patchSubscription(webhookSubscription(), { owner: 'mallory' }, { now: NOW })).map((i) => i.path)).toEqual(['owner']);
    expect(issuesOf(() => patchSubscription(webhookSubscription(), { countries: [] }, { now: NOW })).map((i) => i.path)).toEqual(['topics']);
    expect(issuesOf(() => patchSubscription(webhookSubscription(), [1], { now: NOW })).map((i) => i.path)).toEqual(['(body)']);
  });
});

describe('state', () => {
  it('pauses, and resumes from failing with the reason and the snooze cleared', () => {
    const failing = webhookSubscription({ status: 'failing', statusReason: 'webhook answered 500', snoozedUntil: '2026-03-05T00:00:00.000Z' });

    expect(pauseSubscription(failing, NOW)).toMatchObject({ status: 'paused' });
    expect(pauseSubscription(failing, NOW)).not.toHaveProperty('statusReason');
    const resumed = resumeSubscription(failing, NOW);
    expect(resumed.status).toBe('active');
    expect(resumed).not.toHaveProperty('statusReason');
    expect(resumed).not.toHaveProperty('snoozedUntil');
  });

  it('snoozes to a normalised future time within a year', () => {
    const snoozed = snoozeSubscription(webhookSubscription(), { until: '2026-03-01T14:00:00+01:00' }, NOW);

    expect(snoozed.snoozedUntil).toBe('2026-03-01T13:00:00.000Z');
    expect(issuesOf(() => snoozeSubscription(webhookSubscription(), { until: '2026-03-01T11:59:59Z' }, NOW))[0]?.path).toBe('until');
    expect(issuesOf(() => snoozeSubscription(webhookSubscription(), { until: '2027-06-01T00:00:00Z' }, NOW))[0]?.message).toContain('year');
    expect(issuesOf(() => snoozeSubscription(webhookSubscription(), { until: 'tomorrow' }, NOW))[0]?.path).toBe('until');
  });
});

describe('rotateWebhookSecret', () => {
  it('keeps the old secret for the grace period (default 24 h)', () => {
    const { subscription, graceSeconds } = rotateWebhookSecret(webhookSubscription(), {}, { now: NOW, secret: NEW_SECRET });

    expect(graceSeconds).toBe(86_400);
    expect(subscription.channel).toEqual({
      type: 'webhook',
      url: 'https://hooks.example.com/a',
      secret: NEW_SECRET,
      previousSecret: SECRET,
      previousSecretExpiresAt: '2026-03-02T12:00:00.000Z',
    });
  });

  it('drops the old secret at once with a grace of 0, and refuses a grace over 7 days', () => {
    const { subscription } = rotateWebhookSecret(webhookSubscription(), { graceSeconds: 0 }, { now: NOW, secret: NEW_SECRET });

    expect(subscription.channel).toEqual({ type: 'webhook', url: 'https://hooks.example.com/a', secret: NEW_SECRET });
    expect(issuesOf(() => rotateWebhookSecret(webhookSubscription(), { graceSeconds: 8 * 86_400 }, { now: NOW, secret: NEW_SECRET }))[0]?.path).toBe('graceSeconds');
  });

  it('never shows either secret in the public view', () => {
    const { subscription } = rotateWebhookSecret(webhookSubscription(), {}, { now: NOW, secret: NEW_SECRET });

    expect(JSON.stringify(publicSubscription(subscription))).not.toContain('whsec_');
  });
});
