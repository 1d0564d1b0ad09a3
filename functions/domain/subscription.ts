// Subscriptions: the stored Subscription built from a validated input (subscription-input.ts), and every change its
// owner can make: full and partial updates, pause, resume, snooze, webhook secret rotation.
import * as z from 'zod';
import { ValidationError } from './errors.js';
import { parseSubscriptionInput } from './subscription-input.js';
import type { ChannelInput, SubscriptionInput } from './subscription-input.js';
import { parseWith } from './validation.js';
import type { Channel, Subscription } from './types.js';

/** A snooze longer than a year is a pause or a delete. */
const MAX_SNOOZE_MS = 366 * 86_400_000;
/** How long the previous webhook secret keeps signing after a rotation, unless the caller chooses. */
export const DEFAULT_ROTATION_GRACE_SECONDS = 24 * 3600;
const MAX_ROTATION_GRACE_SECONDS = 7 * 86_400;

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
