import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  nextRetry,
  parseRetryAfter,
  scheduleSpanSeconds,
  splitDelay,
  STANDARD_WEBHOOKS_SCHEDULE_SECONDS,
} from '#domain/retry-schedule.js';

const noJitter = { ...DEFAULT_RETRY_POLICY, jitterRatio: 0 };

describe('the webhook retry schedule', () => {
  it('follows the Standard Webhooks example: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    expect(STANDARD_WEBHOOKS_SCHEDULE_SECONDS).toEqual([0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
  });

  it('spreads the attempts over more than 24 hours', () => {
    expect(scheduleSpanSeconds(DEFAULT_RETRY_POLICY)).toBeGreaterThan(24 * 3600);
  });

  it('waits the next step of the schedule after each failed attempt, then gives up after the eighth', () => {
    // Act
    const waits = [1, 2, 3, 4, 5, 6, 7].map((attempt) => nextRetry(noJitter, attempt, () => 0.5));
    const afterLast = nextRetry(noJitter, 8, () => 0.5);

    // Assess
    expect(waits).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000].map((delaySeconds, i) => ({ retry: true, attempt: i + 2, delaySeconds })));
    expect(afterLast).toEqual({ retry: false, attempts: 8 });
  });

  it('jitters each wait by at most the jitter ratio, in both directions', () => {
    const low = nextRetry(DEFAULT_RETRY_POLICY, 3, () => 0);
    const high = nextRetry(DEFAULT_RETRY_POLICY, 3, () => 0.999_999);

    expect(low).toMatchObject({ retry: true, delaySeconds: 1620 });
    expect(high).toMatchObject({ retry: true, delaySeconds: 1980 });
  });

  it('honours a longer Retry-After, up to the cap, and never shortens the schedule for a shorter one', () => {
    expect(nextRetry(noJitter, 1, () => 0.5, 120)).toMatchObject({ delaySeconds: 120 });
    expect(nextRetry(noJitter, 3, () => 0.5, 10)).toMatchObject({ delaySeconds: 1800 });
    expect(nextRetry(noJitter, 1, () => 0.5, 10 * 86_400)).toMatchObject({ delaySeconds: DEFAULT_RETRY_POLICY.maxRetryAfterSeconds });
  });

  it('refuses an attempt number below 1', () => {
    expect(() => nextRetry(noJitter, 0, () => 0.5)).toThrow(RangeError);
  });
});

describe('splitDelay', () => {
  it('carries at most 900 s per SQS hop and passes the rest on', () => {
    expect(splitDelay(36_000)).toEqual({ nowSeconds: 900, remainingSeconds: 35_100 });
    expect(splitDelay(300)).toEqual({ nowSeconds: 300, remainingSeconds: 0 });
    expect(splitDelay(0)).toEqual({ nowSeconds: 0, remainingSeconds: 0 });
  });
});

describe('parseRetryAfter', () => {
  const now = new Date('2026-03-01T12:00:00Z');

  it('reads delay-seconds and HTTP dates, a past date as 0, and nothing from garbage', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:05:00 GMT', now)).toBe(300);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
