// Feeds: creation from API input, and when to poll next.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ValidationError } from './errors.js';
import type { Feed, FeedHealth } from './types.js';

export const DEFAULT_POLL_INTERVAL_SECONDS = 15 * 60;
export const MIN_POLL_INTERVAL_SECONDS = 60;
export const MAX_POLL_INTERVAL_SECONDS = 24 * 60 * 60;
/** Never back off beyond a day: a broken feed keeps being retried, and its health says why. */
const MAX_BACKOFF_SECONDS = 24 * 60 * 60;

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

export function recordPollSuccess(
  feed: Feed,
  now: Date,
  outcome: { httpStatus: number; items: number; etag?: string; lastModified?: string; url?: string },
): Feed {
  const health: FeedHealth = {
    ...feed.health,
    lastAttemptAt: now.toISOString(),
    lastSuccessAt: now.toISOString(),
    consecutiveFailures: 0,
    lastStatus: outcome.httpStatus,
    itemsLastPoll: outcome.items,
  };
  delete health.lastError;
  delete health.lastErrorDetail;
  return {
    ...feed,
    url: outcome.url ?? feed.url,
    ...(outcome.etag !== undefined ? { etag: outcome.etag } : {}),
    ...(outcome.lastModified !== undefined ? { lastModified: outcome.lastModified } : {}),
    nextPollAt: addSeconds(now, feed.pollIntervalSeconds),
    health,
  };
}

/** Exponential backoff from the feed's interval, honouring a server's Retry-After when it asks for longer. */
export function recordPollFailure(
  feed: Feed,
  now: Date,
  failure: { reason: string; detail: string; httpStatus?: number; retryAfterSeconds?: number },
): Feed {
  const failures = feed.health.consecutiveFailures + 1;
  const backoff = Math.min(feed.pollIntervalSeconds * 2 ** Math.min(failures - 1, 16), MAX_BACKOFF_SECONDS);
  const wait = Math.max(backoff, Math.min(failure.retryAfterSeconds ?? 0, MAX_BACKOFF_SECONDS));
  return {
    ...feed,
    nextPollAt: addSeconds(now, wait),
    health: {
      ...feed.health,
      lastAttemptAt: now.toISOString(),
      consecutiveFailures: failures,
      lastError: failure.reason,
      lastErrorDetail: failure.detail.slice(0, 500),
      ...(failure.httpStatus !== undefined ? { lastStatus: failure.httpStatus } : {}),
    },
  };
}

/** Reserves the feed for one poll: the scheduler pushes nextPollAt ahead so the next tick does not enqueue it again. */
export function reservePoll(feed: Feed, now: Date): Feed {
  return { ...feed, nextPollAt: addSeconds(now, feed.pollIntervalSeconds) };
}
