// Feeds: creation from API input, and when to poll next.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from './errors.js';
import type { Feed, FeedDayStats, FeedHealth, FeedHints, FeedState, PollIntervalBasis } from './types.js';

export const DEFAULT_POLL_INTERVAL_SECONDS = 15 * 60;
export const MIN_POLL_INTERVAL_SECONDS = 60;
export const MAX_POLL_INTERVAL_SECONDS = 24 * 60 * 60;

export const FeedInputSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1)
    .max(2048)
    .refine((value) => /^https?:\/\//i.test(value), 'must be an http(s) URL'),
  sourceName: z.string().trim().min(1).max(200).optional(),
  sourceCountry: z
    .string()
    .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166-1 alpha-2 code')
    .transform((value) => value.toUpperCase())
    .optional(),
  language: z
    .string()
    .regex(/^[a-z]{2}$/i, 'must be an ISO 639-1 code')
    .transform((value) => value.toLowerCase())
    .optional(),
  pollIntervalSeconds: z.number().int().min(MIN_POLL_INTERVAL_SECONDS).max(MAX_POLL_INTERVAL_SECONDS).optional(),
  feedId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});
export type FeedInput = z.infer<typeof FeedInputSchema>;

export function parseFeedInput(body: unknown): FeedInput {
  const parsed = FeedInputSchema.safeParse(body);
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid feed',
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message })),
    );
  }
  return parsed.data;
}

/** A feed's id is derived from its URL as first added, so adding the same URL twice is detected. */
export function feedIdFor(url: string): string {
  return 'f_' + createHash('sha256').update(url.trim()).digest('base64url').slice(0, 16);
}

export function newFeed(input: FeedInput, now: Date): Feed {
  return {
    feedId: input.feedId ?? feedIdFor(input.url),
    url: input.url.trim(),
    ...(input.sourceName ? { sourceName: input.sourceName } : {}),
    ...(input.sourceCountry ? { sourceCountry: input.sourceCountry } : {}),
    ...(input.language ? { language: input.language } : {}),
    enabled: true,
    pollIntervalSeconds: input.pollIntervalSeconds ?? DEFAULT_POLL_INTERVAL_SECONDS,
    nextPollAt: now.toISOString(),
    createdAt: now.toISOString(),
    health: { consecutiveFailures: 0 },
  };
}

function addSeconds(now: Date, seconds: number): string {
  return new Date(now.getTime() + seconds * 1000).toISOString();
}

// ---------------------------------------------------------------------------------------------------------------
// When to poll next, and the health that explains it.

/** The knobs of polite, adaptive polling. Deployments pass overrides through PipelineSettings.polling (handlers/deps.ts). */
export interface PollingPolicy {
  /** Lower bound of the adaptive interval (Miniflux: SCHEDULER_ENTRY_FREQUENCY_MIN_INTERVAL). @default 300 */
  minIntervalSeconds: number;
  /** Upper bound of the adaptive interval, and of how long a publisher's hint can hold us off. @default 21600 */
  maxIntervalSeconds: number;
  /** Never back off beyond this: a broken feed keeps being retried, and its health says why. @default 86400 */
  maxBackoffSeconds: number;
  /** A feed failing for longer than this is in state "failing" (operators see it in GET /feeds). @default 3 */
  failingAfterDays: number;
  /** Fetches in flight per host across all pollers. @default 2 */
  hostConcurrency: number;
  /** Between two fetch starts on one host across all pollers. @default 1000 */
  hostSpacingMs: number;
  /** How often one poll is put back because its host is busy before it is left to the scheduler. @default 20 */
  maxDeferrals: number;
}

export const DEFAULT_POLLING_POLICY: PollingPolicy = {
  minIntervalSeconds: 5 * 60,
  maxIntervalSeconds: 6 * 60 * 60,
  maxBackoffSeconds: 24 * 60 * 60,
  failingAfterDays: 3,
  hostConcurrency: 2,
  hostSpacingMs: 1_000,
  maxDeferrals: 20,
};

export function pollingPolicyOf(overrides?: Partial<PollingPolicy>): PollingPolicy {
  const policy = { ...DEFAULT_POLLING_POLICY, ...overrides };
  policy.maxIntervalSeconds = Math.max(policy.minIntervalSeconds, policy.maxIntervalSeconds);
  return policy;
}

const WEEK_SECONDS = 7 * 86_400;
const ROLLING_DAYS = 7;

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}

/**
 * The poll interval a feed's own publishing suggests, after Miniflux's entry-frequency scheduler: the average gap
 * between entries over the last week, clamped to the policy's bounds; no entry in a week means the maximum. We see
 * only what the feed still lists, so the gap is measured from the oldest listed entry of the week to now: a feed
 * listing only its last 10 items of a busy hour is not mistaken for a slow one. Items without a date (undefined)
 * say nothing about the rate; without any dated item the rolling rate of new articles is used, then `fallback`.
 */
export function adaptiveInterval(
  input: { itemDates: readonly (string | undefined)[]; itemsPerDay?: number; fallbackSeconds: number; now: Date },
  policy: PollingPolicy,
): { seconds: number; basis: PollIntervalBasis } {
  const nowMs = input.now.getTime();
  const dated = input.itemDates
    .map((date) => (date === undefined ? Number.NaN : Date.parse(date)))
    .filter((ms) => Number.isFinite(ms) && ms <= nowMs);
  const bounded = (seconds: number) => Math.round(clamp(seconds, policy.minIntervalSeconds, policy.maxIntervalSeconds));
  if (dated.length > 0) {
    const recent = dated.filter((ms) => nowMs - ms <= WEEK_SECONDS * 1000);
    if (recent.length === 0) return { seconds: policy.maxIntervalSeconds, basis: 'publish-rate' };
    const spanSeconds = Math.max((nowMs - Math.min(...recent)) / 1000, 3_600);
    return { seconds: bounded(spanSeconds / recent.length), basis: 'publish-rate' };
  }
  if (input.itemsPerDay !== undefined && input.itemsPerDay > 0) {
    return { seconds: bounded(86_400 / input.itemsPerDay), basis: 'publish-rate' };
  }
  return { seconds: bounded(input.fallbackSeconds), basis: 'configured' };
}

/**
 * A publisher's hints only ever lengthen the interval (we never poll sooner than asked), up to the policy's maximum:
 * a `<ttl>` of a week does not silence a news feed for a week.
 */
export function applyHints(
  base: { seconds: number; basis: PollIntervalBasis },
  hints: { maxAgeSeconds?: number; ttlSeconds?: number; updatePeriodSeconds?: number },
  policy: PollingPolicy,
): { seconds: number; basis: PollIntervalBasis } {
  let result = base;
  const candidates: [number | undefined, PollIntervalBasis][] = [
    [hints.maxAgeSeconds, 'max-age'],
    [hints.ttlSeconds, 'ttl'],
    [hints.updatePeriodSeconds, 'update-period'],
  ];
  for (const [seconds, basis] of candidates) {
    if (seconds === undefined || !Number.isFinite(seconds) || seconds <= result.seconds) continue;
    result = { seconds: Math.round(Math.min(seconds, Math.max(policy.maxIntervalSeconds, base.seconds))), basis };
  }
  return result;
}

function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Adds to today's counters and drops the days that left the rolling window. */
function countDay(daily: readonly FeedDayStats[] | undefined, now: Date, add: Partial<Omit<FeedDayStats, 'day'>>): FeedDayStats[] {
  const today = dayOf(now);
  const oldest = dayOf(new Date(now.getTime() - (ROLLING_DAYS - 1) * 86_400_000));
  const days = (daily ?? []).filter((entry) => entry.day >= oldest && entry.day <= today).map((entry) => ({ ...entry }));
  let entry = days.find((candidate) => candidate.day === today);
  if (!entry) {
    entry = { day: today, polls: 0, notModified: 0, newItems: 0, failures: 0 };
    days.push(entry);
  }
  entry.polls += add.polls ?? 0;
  entry.notModified += add.notModified ?? 0;
  entry.newItems += add.newItems ?? 0;
  entry.failures += add.failures ?? 0;
  return days.sort((a, b) => a.day.localeCompare(b.day));
}

/** itemsPerDay over the days the window has seen (at most 7), and the 304 share of successful polls. */
function rollingFigures(daily: readonly FeedDayStats[], now: Date): Pick<FeedHealth, 'itemsPerDay' | 'notModifiedRatio'> {
  if (daily.length === 0) return {};
  const first = Date.parse(`${daily[0]!.day}T00:00:00Z`);
  const days = clamp((now.getTime() - first) / 86_400_000, 1, ROLLING_DAYS);
  const newItems = daily.reduce((sum, entry) => sum + entry.newItems, 0);
  const polls = daily.reduce((sum, entry) => sum + entry.polls, 0);
  const notModified = daily.reduce((sum, entry) => sum + entry.notModified, 0);
  return {
    itemsPerDay: Math.round((newItems / days) * 100) / 100,
    ...(polls > 0 ? { notModifiedRatio: Math.round((notModified / polls) * 1000) / 1000 } : {}),
  };
}

export interface PollSuccess {
  httpStatus: number;
  /** Items in the feed (0 for a 304). */
  items: number;
  /** Articles seen for the first time in this poll. */
  newItems?: number;
  etag?: string;
  lastModified?: string;
  /** The new URL after a permanent redirect. */
  url?: string;
  /** publishedAt of each item, undefined where the item had no usable date. Absent for a 304. */
  itemDates?: readonly (string | undefined)[];
  /** The publisher's hints read from this body (absent for a 304: the stored ones still apply). */
  hints?: FeedHints;
  /** Cache-Control max-age of this response. */
  maxAgeSeconds?: number;
}

export function recordPollSuccess(feed: Feed, now: Date, outcome: PollSuccess, policy: PollingPolicy = DEFAULT_POLLING_POLICY): Feed {
  const notModified = outcome.httpStatus === 304;
  // The first fetch returns the feed's whole backlog: counting it as "new today" would fake a publish rate.
  const firstSuccess = feed.health.lastSuccessAt === undefined;
  const daily = countDay(feed.health.daily, now, {
    polls: 1,
    notModified: notModified ? 1 : 0,
    newItems: firstSuccess ? 0 : (outcome.newItems ?? 0),
  });
  const figures = rollingFigures(daily, now);
  const hints = outcome.hints ?? feed.hints ?? {};
  const adaptive =
    outcome.itemDates === undefined
      ? feed.health.adaptiveIntervalSeconds !== undefined
        ? { seconds: feed.health.adaptiveIntervalSeconds, basis: 'publish-rate' as const }
        : adaptiveInterval({ itemDates: [], fallbackSeconds: feed.pollIntervalSeconds, now, ...figures }, policy)
      : adaptiveInterval({ itemDates: outcome.itemDates, fallbackSeconds: feed.pollIntervalSeconds, now, ...figures }, policy);
  const next = applyHints(
    adaptive,
    { ...hints, ...(outcome.maxAgeSeconds !== undefined ? { maxAgeSeconds: outcome.maxAgeSeconds } : {}) },
    policy,
  );

  const health: FeedHealth = {
    ...feed.health,
    lastAttemptAt: now.toISOString(),
    lastSuccessAt: now.toISOString(),
    consecutiveFailures: 0,
    lastStatus: outcome.httpStatus,
    itemsLastPoll: outcome.items,
    state: 'ok',
    daily,
    ...figures,
    nextIntervalSeconds: next.seconds,
    intervalBasis: next.basis,
    ...(adaptive.basis === 'publish-rate' ? { adaptiveIntervalSeconds: adaptive.seconds } : {}),
  };
  delete health.lastError;
  delete health.lastErrorDetail;
  delete health.failingSince;
  const hasHints = hints.ttlSeconds !== undefined || hints.updatePeriodSeconds !== undefined;
  const updated: Feed = {
    ...feed,
    url: outcome.url ?? feed.url,
    ...(outcome.etag !== undefined ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified !== undefined ? { lastModified: outcome.lastModified } : {}),
    nextPollAt: addSeconds(now, next.seconds),
    health,
  };
  if (hasHints) updated.hints = hints;
  else delete updated.hints;
  return updated;
}

/**
 * The new articles a WebSub push brought, in the publish rate (itemsPerDay) as a poll's are: a later poll finds
 * them stored already. Not a poll: no attempt, success or interval is recorded. Before the first successful poll
 * nothing is counted, as for a poll (a first body is the feed's backlog).
 */
export function recordPushedItems(feed: Feed, now: Date, newItems: number): Feed {
  if (newItems <= 0 || feed.health.lastSuccessAt === undefined) return feed;
  const daily = countDay(feed.health.daily, now, { newItems });
  return { ...feed, health: { ...feed.health, daily, ...rollingFigures(daily, now) } };
}

/** ok, backing-off, or failing once the failures have lasted longer than the policy's days. */
export function feedStateOf(health: FeedHealth, now: Date, policy: PollingPolicy = DEFAULT_POLLING_POLICY): FeedState {
  if (health.consecutiveFailures === 0) return 'ok';
  const since = Date.parse(health.failingSince ?? health.lastSuccessAt ?? '');
  if (Number.isFinite(since) && now.getTime() - since > policy.failingAfterDays * 86_400_000) return 'failing';
  return 'backing-off';
}

/**
 * Exponential backoff from the feed's interval, honouring a server's Retry-After when it asks for longer, capped at
 * the policy's maximum. A feed failing for longer than failingAfterDays is retried at that maximum: never disabled.
 */
export function recordPollFailure(
  feed: Feed,
  now: Date,
  failure: { reason: string; detail: string; httpStatus?: number; retryAfterSeconds?: number },
  policy: PollingPolicy = DEFAULT_POLLING_POLICY,
): Feed {
  const failures = feed.health.consecutiveFailures + 1;
  const failingSince = feed.health.consecutiveFailures > 0 && feed.health.failingSince ? feed.health.failingSince : now.toISOString();
  const health: FeedHealth = {
    ...feed.health,
    lastAttemptAt: now.toISOString(),
    consecutiveFailures: failures,
    failingSince,
    lastError: failure.reason,
    lastErrorDetail: failure.detail.slice(0, 500),
    ...(failure.httpStatus !== undefined ? { lastStatus: failure.httpStatus } : {}),
    daily: countDay(feed.health.daily, now, { failures: 1 }),
  };
  health.state = feedStateOf(health, now, policy);
  const backoff = Math.min(feed.pollIntervalSeconds * 2 ** Math.min(failures - 1, 16), policy.maxBackoffSeconds);
  const retryAfter = Math.min(failure.retryAfterSeconds ?? 0, policy.maxBackoffSeconds);
  let wait = Math.max(backoff, retryAfter);
  let basis: PollIntervalBasis = retryAfter > backoff ? 'retry-after' : 'backoff';
  if (health.state === 'failing' && wait < policy.maxBackoffSeconds) {
    wait = policy.maxBackoffSeconds;
    basis = 'backoff';
  }
  health.nextIntervalSeconds = wait;
  health.intervalBasis = basis;
  return { ...feed, nextPollAt: addSeconds(now, wait), health };
}

/** Reserves the feed for one poll: the scheduler pushes nextPollAt ahead so the next tick does not enqueue it again. */
export function reservePoll(feed: Feed, now: Date): Feed {
  return { ...feed, nextPollAt: addSeconds(now, feed.pollIntervalSeconds) };
}

/** Puts a poll off by `seconds` (its host was busy and it could not be re-queued). */
export function deferPoll(feed: Feed, now: Date, seconds: number): Feed {
  return { ...feed, nextPollAt: addSeconds(now, seconds) };
}
