// What a subscription would have sent, replayed over stories it matched: one alert per story, then the deliverer's
// own plan for each (digest frequency, quiet hours) and its hourly rate cap, so a preview counts messages the way
// delivery makes them. Pure: the matches and their times are handed in.
import { MAX_ALERTS_PER_DIGEST, planDelivery, rateWindow } from './digest.js';
import type { Subscription } from './types.js';

export interface PreviewedMatch {
  storyId: string;
  publishedAt: string;
}

export interface AlertPlanSummary {
  /** Matched articles grouped into stories: one alert each. */
  stories: number;
  /** Messages the subscriber would have got: instant alerts plus digests. */
  messages: number;
  /** Stories sent the moment they matched. */
  instant: number;
  /** Digest messages (a digest carries at most MAX_ALERTS_PER_DIGEST stories). */
  digests: number;
  /** Stories held for a digest, by why: its frequency, quiet hours, or the hourly cap. */
  held: { digest: number; quietHours: number; rateCap: number };
}

/**
 * Replays the matches in the order they were published. Status and snooze are left out on purpose: a preview
 * shows what the subscription asks for, as the existing preview does for a paused one.
 */
export function summariseAlerts(subscription: Subscription, matches: readonly PreviewedMatch[]): AlertPlanSummary {
  const firstSeen = new Map<string, number>();
  for (const match of matches) {
    const at = Date.parse(match.publishedAt);
    if (Number.isNaN(at)) continue;
    const seen = firstSeen.get(match.storyId);
    if (seen === undefined || at < seen) firstSeen.set(match.storyId, at);
  }
  const live: Subscription = { ...subscription, status: 'active' };
  delete live.snoozedUntil;
  const cap = subscription.rateCapPerHour !== undefined && subscription.rateCapPerHour > 0 ? subscription.rateCapPerHour : undefined;
  const sentInWindow = new Map<number, number>();
  const digestSizes = new Map<number, number>();
  const held = { digest: 0, quietHours: 0, rateCap: 0 };
  let instant = 0;
  const holdUntil = (releaseAt: Date) => digestSizes.set(releaseAt.getTime(), (digestSizes.get(releaseAt.getTime()) ?? 0) + 1);
  for (const at of [...firstSeen.values()].sort((a, b) => a - b)) {
    const now = new Date(at);
    const plan = planDelivery(live, now);
    if (plan.action === 'hold') {
      if (plan.reason === 'quiet-hours') held.quietHours++;
      else held.digest++;
      holdUntil(plan.releaseAt);
      continue;
    }
    if (plan.action === 'drop') continue;
    if (cap !== undefined) {
      const window = rateWindow(now);
      const sent = sentInWindow.get(window.start.getTime()) ?? 0;
      if (sent >= cap) {
        held.rateCap++;
        holdUntil(window.end);
        continue;
      }
      sentInWindow.set(window.start.getTime(), sent + 1);
    }
    instant++;
  }
  let digests = 0;
  for (const size of digestSizes.values()) digests += Math.ceil(size / MAX_ALERTS_PER_DIGEST);
  return { stories: firstSeen.size, messages: instant + digests, instant, digests, held };
}
