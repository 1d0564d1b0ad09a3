// Test-fire and replay are rate-limited per owner: each sends through the delivery queue at once, so an owner who
// loops on them would otherwise flood their own receiver and the queue every other owner's alerts share. A fixed
// one-minute window per owner and action, counted in the store with a conditional write (the digest buffer's rate
// slots), so every API instance shares the count. Over the limit: 429 with Retry-After, as problem details.
import type { Principal } from '#domain/api-key.js';
import type { DigestBuffer } from '#domain/ports.js';
import { HttpProblem } from './problem.js';

export type LimitedAction = 'test-fire' | 'replay';

/** Per owner and minute. */
export type ActionLimits = Record<LimitedAction, number>;

export const DEFAULT_ACTION_LIMITS: ActionLimits = { 'test-fire': 30, replay: 60 };

const WINDOW_MS = 60_000;

export interface ActionLimitDeps {
  actionSlots: Pick<DigestBuffer, 'takeRateSlot'>;
  clock: { now(): Date };
  /** @default DEFAULT_ACTION_LIMITS */
  actionLimits?: Partial<ActionLimits>;
}

/** Takes one of the caller's slots for `action` in the current minute; throws 429 (Retry-After) when none is left. */
export async function takeActionSlot(deps: ActionLimitDeps, principal: Principal, action: LimitedAction): Promise<void> {
  const limit = deps.actionLimits?.[action] ?? DEFAULT_ACTION_LIMITS[action];
  const now = deps.clock.now().getTime();
  const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
  const windowEnd = windowStart + WINDOW_MS;
  // "#" cannot start a subscription id (ALERTS_TOPIC_DELIVERY_KEY says why), so these keys meet no subscription's.
  const key = `#rate:${action}:${principal.owner}`;
  const allowed = await deps.actionSlots.takeRateSlot(key, new Date(windowStart).toISOString(), limit, Math.ceil(windowEnd / 1000) + 3600);
  if (allowed) return;
  const retryAfter = Math.max(1, Math.ceil((windowEnd - now) / 1000));
  throw new HttpProblem(429, `at most ${limit} ${action === 'test-fire' ? 'test-fires' : 'replays'} a minute per owner: retry in ${retryAfter} s`, {
    headers: { 'retry-after': String(retryAfter) },
    reason: 'rate-limited',
  });
}
