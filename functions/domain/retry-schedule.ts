// When to try a webhook again. The schedule is the Standard Webhooks specification's example: immediately, 5 s,
// 5 min, 30 min, 2 h, 5 h, 10 h, 10 h: eight attempts spread over about 27.6 hours, so a receiver down for a
// whole day still gets its alerts. Pure: randomness (for jitter) is handed in.

/** Seconds to wait before each attempt; index 0 is the first attempt. */
export const STANDARD_WEBHOOKS_SCHEDULE_SECONDS: readonly number[] = Object.freeze([0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000]);

/** SQS DelaySeconds cannot exceed this: longer waits are chained over several hops. */
export const MAX_QUEUE_DELAY_SECONDS = 900;

/**
 * +-10 %: enough to spread the retries of a receiver that failed for many subscriptions at once (a thundering herd
 * when it comes back), small enough that the schedule keeps its shape.
 */
export const DEFAULT_JITTER_RATIO = 0.1;

export interface RetryPolicy {
  /** Seconds before each attempt, the first one included (normally 0). Its length is the number of attempts. */
  scheduleSeconds: readonly number[];
  jitterRatio: number;
  /** A receiver's Retry-After is honoured up to this many seconds, so no receiver can park a delivery for weeks. */
  maxRetryAfterSeconds: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  scheduleSeconds: STANDARD_WEBHOOKS_SCHEDULE_SECONDS,
  jitterRatio: DEFAULT_JITTER_RATIO,
  maxRetryAfterSeconds: 36_000,
};

export type RetryDecision = { retry: true; attempt: number; delaySeconds: number } | { retry: false; attempts: number };

/**
 * After `failedAttempt` (1-based) failed: the next attempt and how long to wait for it, or no retry when the schedule
 * is exhausted. `random` returns [0, 1). `retryAfterSeconds` (from a 429 or 503) lengthens the wait, never shortens it.
 */
export function nextRetry(
  policy: RetryPolicy,
  failedAttempt: number,
  random: () => number,
  retryAfterSeconds?: number,
): RetryDecision {
  if (!Number.isInteger(failedAttempt) || failedAttempt < 1) throw new RangeError(`failedAttempt must be an integer >= 1, got ${failedAttempt}`);
  const base = policy.scheduleSeconds[failedAttempt];
  if (base === undefined) return { retry: false, attempts: failedAttempt };
  const jitter = base * policy.jitterRatio * (2 * random() - 1);
  let delay = Math.max(0, Math.round(base + jitter));
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > delay) {
    delay = Math.min(Math.ceil(retryAfterSeconds), Math.max(delay, policy.maxRetryAfterSeconds));
  }
  return { retry: true, attempt: failedAttempt + 1, delaySeconds: delay };
}

/** Splits a wait into what one queue hop can carry now and what remains for the next hop. */
export function splitDelay(totalSeconds: number): { nowSeconds: number; remainingSeconds: number } {
  const total = Math.max(0, Math.ceil(totalSeconds));
  const nowSeconds = Math.min(total, MAX_QUEUE_DELAY_SECONDS);
  return { nowSeconds, remainingSeconds: total - nowSeconds };
}

/** Total seconds from the first attempt to the last one, without jitter. */
export function scheduleSpanSeconds(policy: Pick<RetryPolicy, 'scheduleSeconds'>): number {
  return policy.scheduleSeconds.reduce((sum, seconds) => sum + seconds, 0);
}

/**
 * Reads an HTTP Retry-After value (delay-seconds or an HTTP-date) as seconds from `now`; undefined when absent or
 * unreadable. A date in the past means "now": 0.
 */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}
