import { describe, expect, it } from 'vitest';
import {
  adaptiveInterval,
  applyHints,
  DEFAULT_POLLING_POLICY,
  newFeed,
  pollingPolicyOf,
  recordPollFailure,
  recordPollSuccess,
} from '#domain/feed.js';
import type { Feed } from '#domain/types.js';

const NOW = new Date('2025-06-10T12:00:00.000Z');
const policy = pollingPolicyOf({ minIntervalSeconds: 300, maxIntervalSeconds: 6 * 3600 });
const hoursAgo = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();
const feed = (): Feed => newFeed({ url: 'https://news.example/rss', feedId: 'f1' }, new Date('2025-06-01T00:00:00Z'));
const secondsUntilNextPoll = (f: Feed) => (Date.parse(f.nextPollAt) - NOW.getTime()) / 1000;

describe('adaptiveInterval', () => {
  it('polls a feed that publishes every hour about hourly', () => {
    // Prepare: 24 items, one an hour
    const itemDates = Array.from({ length: 24 }, (_, i) => hoursAgo(i + 1));

    // Act
    const interval = adaptiveInterval({ itemDates, fallbackSeconds: 900, now: NOW }, policy);

    // Assess
    expect(interval.basis).toBe('publish-rate');
    expect(interval.seconds).toBe(3600);
  });

  it('never goes below the minimum for a feed listing only its last minutes of a busy day', () => {
    const itemDates = Array.from({ length: 50 }, (_, i) => new Date(NOW.getTime() - i * 30_000).toISOString());
    expect(adaptiveInterval({ itemDates, fallbackSeconds: 900, now: NOW }, policy).seconds).toBe(300);
  });

  it('waits the maximum for a feed with nothing in the last week', () => {
    const itemDates = [hoursAgo(24 * 30), hoursAgo(24 * 40)];
    expect(adaptiveInterval({ itemDates, fallbackSeconds: 900, now: NOW }, policy)).toEqual({ seconds: 6 * 3600, basis: 'publish-rate' });
  });

  it('falls back to the rolling rate, then to the configured interval, when items carry no dates', () => {
    expect(adaptiveInterval({ itemDates: [undefined, undefined], itemsPerDay: 48, fallbackSeconds: 900, now: NOW }, policy)).toEqual({
      seconds: 1800,
      basis: 'publish-rate',
    });
    expect(adaptiveInterval({ itemDates: [undefined], fallbackSeconds: 900, now: NOW }, policy)).toEqual({ seconds: 900, basis: 'configured' });
  });
});

describe('applyHints', () => {
  it('lengthens the interval to what the publisher asks, up to the maximum', () => {
    const base = { seconds: 600, basis: 'publish-rate' as const };
    expect(applyHints(base, { maxAgeSeconds: 1800 }, policy)).toEqual({ seconds: 1800, basis: 'max-age' });
    expect(applyHints(base, { ttlSeconds: 3600, maxAgeSeconds: 1800 }, policy)).toEqual({ seconds: 3600, basis: 'ttl' });
    expect(applyHints(base, { updatePeriodSeconds: 7 * 86_400 }, policy)).toEqual({ seconds: 6 * 3600, basis: 'update-period' });
  });

  it('never shortens it', () => {
    expect(applyHints({ seconds: 3600, basis: 'publish-rate' }, { maxAgeSeconds: 60, ttlSeconds: 0 }, policy)).toEqual({
      seconds: 3600,
      basis: 'publish-rate',
    });
  });
});

describe('recordPollSuccess', () => {
  it('schedules by the publish rate and the stored hints, and keeps the hints for a 304', () => {
    // Prepare
    const itemDates = Array.from({ length: 12 }, (_, i) => hoursAgo(i * 2 + 1));

    // Act
    const afterFetch = recordPollSuccess(feed(), NOW, { httpStatus: 200, items: 12, itemDates, hints: { ttlSeconds: 3 * 3600 } }, policy);
    const after304 = recordPollSuccess(afterFetch, NOW, { httpStatus: 304, items: 0 }, policy);

    // Assess
    expect(afterFetch.hints).toEqual({ ttlSeconds: 3 * 3600 });
    expect(secondsUntilNextPoll(afterFetch)).toBe(3 * 3600);
    expect(afterFetch.health.intervalBasis).toBe('ttl');
    expect(after304.hints).toEqual({ ttlSeconds: 3 * 3600 });
    expect(secondsUntilNextPoll(after304)).toBe(3 * 3600);
  });

  it('counts new items per day and the share of 304s over the rolling window, but not the first backlog', () => {
    // Prepare
    let current = recordPollSuccess(feed(), new Date('2025-06-09T00:30:00Z'), { httpStatus: 200, items: 50, newItems: 50, itemDates: [] }, policy);

    // Act
    current = recordPollSuccess(current, new Date('2025-06-09T12:00:00Z'), { httpStatus: 200, items: 50, newItems: 6, itemDates: [] }, policy);
    current = recordPollSuccess(current, new Date('2025-06-10T06:00:00Z'), { httpStatus: 304, items: 0 }, policy);
    current = recordPollSuccess(current, NOW, { httpStatus: 200, items: 50, newItems: 4, itemDates: [] }, policy);

    // Assess: 10 new items over the 1.5 days since the window began; 1 of 4 polls was a 304
    expect(current.health.itemsPerDay).toBeCloseTo(10 / 1.5, 1);
    expect(current.health.notModifiedRatio).toBe(0.25);
    expect(current.health.daily?.map((d) => d.day)).toEqual(['2025-06-09', '2025-06-10']);
    expect(current.health.state).toBe('ok');
  });

  it('clears the failure state on recovery', () => {
    // Prepare
    const failing = recordPollFailure(feed(), NOW, { reason: 'timeout', detail: 'slow' }, policy);

    // Act
    const recovered = recordPollSuccess(failing, NOW, { httpStatus: 200, items: 1, itemDates: [] }, policy);

    // Assess
    expect(recovered.health).toMatchObject({ consecutiveFailures: 0, state: 'ok' });
    expect(recovered.health.lastError).toBeUndefined();
    expect(recovered.health.failingSince).toBeUndefined();
  });
});

describe('recordPollFailure', () => {
  it('backs off exponentially from the interval, capped at the maximum backoff', () => {
    // Act
    let current = feed();
    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      current = recordPollFailure(current, NOW, { reason: 'http-500', detail: 'oops', httpStatus: 500 }, policy);
      waits.push(secondsUntilNextPoll(current));
    }

    // Assess
    expect(waits.slice(0, 4)).toEqual([900, 1800, 3600, 7200]);
    expect(Math.max(...waits)).toBe(DEFAULT_POLLING_POLICY.maxBackoffSeconds);
    expect(current.health).toMatchObject({ consecutiveFailures: 10, state: 'backing-off', lastError: 'http-500' });
  });

  it('honours a Retry-After longer than the backoff', () => {
    const failed = recordPollFailure(feed(), NOW, { reason: 'http-429', detail: 'slow down', httpStatus: 429, retryAfterSeconds: 7200 }, policy);
    expect(secondsUntilNextPoll(failed)).toBe(7200);
    expect(failed.health.intervalBasis).toBe('retry-after');
  });

  it('marks a feed failing for more than the configured days as failing, and keeps retrying it at the maximum', () => {
    // Prepare
    const first = recordPollFailure(feed(), new Date('2025-06-06T12:00:00Z'), { reason: 'dns', detail: 'gone' }, policy);

    // Act
    const laterSameRun = recordPollFailure(first, new Date('2025-06-09T11:00:00Z'), { reason: 'dns', detail: 'gone' }, policy);
    const afterThreeDays = recordPollFailure(laterSameRun, NOW, { reason: 'dns', detail: 'gone' }, policy);

    // Assess
    expect(laterSameRun.health.state).toBe('backing-off');
    expect(afterThreeDays.health).toMatchObject({ state: 'failing', failingSince: '2025-06-06T12:00:00.000Z' });
    expect(afterThreeDays.enabled).toBe(true);
    expect(secondsUntilNextPoll(afterThreeDays)).toBe(DEFAULT_POLLING_POLICY.maxBackoffSeconds);
  });
});
