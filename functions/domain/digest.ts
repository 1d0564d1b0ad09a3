// Digests, quiet hours and rate caps: when a held alert is released, and the one message that carries what was held.
// Local times are computed in the subscriber's IANA time zone with the Intl API, so DST changes move the digest with
// the subscriber's clock. Pure: `now` is always handed in.
import { createHash } from 'node:crypto';
import { ValidationError } from './errors.js';
import type { AlertPayload, DigestPayload, Frequency, QuietHours, Subscription } from './types.js';

/** What the deliverer does with an alert for a subscription at a given moment. */
export type DeliveryPlan =
  | { action: 'send' }
  | { action: 'drop'; why: 'paused' | 'disabled' | 'snoozed' }
  | { action: 'hold'; reason: DigestPayload['reason']; releaseAt: Date };

export const DEFAULT_DAILY_AT = '08:00';
export const DEFAULT_HOURLY_MINUTE = 0;
/** Keeps one digest well under the 256 KiB SQS message limit; what is left over goes in the next digest. */
export const MAX_ALERTS_PER_DIGEST = 100;

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
      });
    } catch (error) {
      throw new ValidationError(`Unknown time zone ${JSON.stringify(timeZone)}`, [{ path: 'timeZone', message: 'must be an IANA time zone' }], { cause: error });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function localParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
}

function offsetMs(instant: number, timeZone: string): number {
  const p = localParts(new Date(instant), timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/** The instant when the local clock in `timeZone` shows these parts (overflowing fields roll over, as in Date.UTC). */
function zonedToInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const first = guess - offsetMs(guess, timeZone);
  const second = guess - offsetMs(first, timeZone);
  // In a DST gap neither guess shows the asked-for time; the later one is the first minute after the gap.
  return Math.max(first, second);
}

function parseHhMm(value: string, path: string): { hour: number; minute: number } {
  const match = HH_MM.exec(value);
  if (!match) throw new ValidationError(`${path} must be HH:MM (24 h), got ${JSON.stringify(value)}`, [{ path, message: 'must be HH:MM' }]);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** The first instant strictly after `now` when the local clock in `timeZone` shows hh:mm. */
export function nextLocalTime(now: Date, timeZone: string, hhmm: string): Date {
  const { hour, minute } = parseHhMm(hhmm, 'at');
  const today = localParts(now, timeZone);
  for (let dayOffset = 0; dayOffset <= 2; dayOffset += 1) {
    const at = zonedToInstant(today.year, today.month, today.day + dayOffset, hour, minute, timeZone);
    if (at > now.getTime()) return new Date(at);
  }
  throw new RangeError(`no local ${hhmm} in ${timeZone} within two days of ${now.toISOString()}`);
}

/** When the digest that would carry an alert held at `now` goes out. */
export function nextDigestAt(frequency: Exclude<Frequency, { mode: 'instant' }>, now: Date): Date {
  if (frequency.mode === 'daily') return nextLocalTime(now, frequency.timeZone, frequency.at ?? DEFAULT_DAILY_AT);
  const minute = frequency.at === undefined ? DEFAULT_HOURLY_MINUTE : parseHhMm(frequency.at, 'at').minute;
  const local = localParts(now, frequency.timeZone);
  for (let hourOffset = 0; hourOffset <= 2; hourOffset += 1) {
    const at = zonedToInstant(local.year, local.month, local.day, local.hour + hourOffset, minute, frequency.timeZone);
    if (at > now.getTime()) return new Date(at);
  }
  throw new RangeError(`no hourly slot in ${frequency.timeZone} after ${now.toISOString()}`);
}

/** The end of the quiet period `now` falls in, or undefined when `now` is not in quiet hours. */
export function quietHoursEnd(quiet: QuietHours, now: Date): Date | undefined {
  const start = parseHhMm(quiet.start, 'quietHours.start');
  const end = parseHhMm(quiet.end, 'quietHours.end');
  const startMin = start.hour * 60 + start.minute;
  const endMin = end.hour * 60 + end.minute;
  if (startMin === endMin) return undefined;
  const local = localParts(now, quiet.timeZone);
  const nowMin = local.hour * 60 + local.minute;
  // A window that wraps past midnight (22:00-07:00) is quiet before its end or after its start.
  const inside = startMin < endMin ? nowMin >= startMin && nowMin < endMin : nowMin >= startMin || nowMin < endMin;
  return inside ? nextLocalTime(now, quiet.timeZone, quiet.end) : undefined;
}

/** Rate caps count per UTC clock hour: the window `now` falls in. */
export function rateWindow(now: Date): { start: Date; end: Date } {
  const start = Math.floor(now.getTime() / 3_600_000) * 3_600_000;
  return { start: new Date(start), end: new Date(start + 3_600_000) };
}

/**
 * What happens to an alert (not a digest) for `subscription` at `now`, before any rate cap: paused and disabled
 * subscriptions get nothing; snoozed ones get nothing either, and what matched during the snooze is dropped, not
 * saved up (a snooze means "not now", and a pile of stale alerts when it ends would defeat it); digest subscriptions
 * and quiet hours hold the alert until their digest.
 */
export function planDelivery(subscription: Subscription, now: Date): DeliveryPlan {
  if (subscription.status === 'paused') return { action: 'drop', why: 'paused' };
  if (subscription.status === 'disabled') return { action: 'drop', why: 'disabled' };
  if (subscription.snoozedUntil !== undefined && Date.parse(subscription.snoozedUntil) > now.getTime()) {
    return { action: 'drop', why: 'snoozed' };
  }
  const frequency = subscription.frequency;
  if (frequency !== undefined && frequency.mode !== 'instant') {
    return { action: 'hold', reason: frequency.mode, releaseAt: nextDigestAt(frequency, now) };
  }
  if (subscription.quietHours !== undefined) {
    const end = quietHoursEnd(subscription.quietHours, now);
    if (end !== undefined) return { action: 'hold', reason: 'quiet-hours', releaseAt: end };
  }
  return { action: 'send' };
}

export interface HeldForDigest {
  storyId: string;
  articleId: string;
  heldAt: string;
  releaseAt: string;
  reason: DigestPayload['reason'];
  alert: Pick<AlertPayload, 'type' | 'article' | 'reasons'>;
}

/** The part of an alert a digest keeps: a digest lists stories, it does not repeat every classification. */
export function digestEntryOf(alert: AlertPayload): HeldForDigest['alert'] {
  return { type: alert.type, article: { ...alert.article }, reasons: structuredClone(alert.reasons) };
}

export interface DigestPlan {
  /** The deliveries-table key: one digest per subscription and content, so a rerun sends nothing twice. */
  key: string;
  held: HeldForDigest[];
  payload: DigestPayload;
}

/**
 * Splits what is due into digest messages: one per release time (a period), at most MAX_ALERTS_PER_DIGEST alerts
 * each, stories grouped and ordered by when they were first held. `idFor` turns the key into the delivery id.
 */
export function planDigests(input: {
  subscriptionId: string;
  held: readonly HeldForDigest[];
  now: Date;
  idFor: (key: string) => string;
  unsubscribeUrl?: string;
}): DigestPlan[] {
  const byRelease = new Map<string, HeldForDigest[]>();
  for (const item of [...input.held].sort((a, b) => a.heldAt.localeCompare(b.heldAt) || a.articleId.localeCompare(b.articleId))) {
    const group = byRelease.get(item.releaseAt) ?? [];
    group.push(item);
    byRelease.set(item.releaseAt, group);
  }
  const plans: DigestPlan[] = [];
  for (const [releaseAt, group] of [...byRelease.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (let offset = 0; offset < group.length; offset += MAX_ALERTS_PER_DIGEST) {
      const chunk = group.slice(offset, offset + MAX_ALERTS_PER_DIGEST);
      const contents = chunk.map((item) => `${item.storyId}\u0000${item.articleId}`).sort().join('\u0001');
      const key = `digest#${releaseAt}#${createHash('sha256').update(contents).digest('base64url').slice(0, 16)}`;
      const stories = new Map<string, DigestPayload['stories'][number]>();
      for (const item of chunk) {
        const story = stories.get(item.storyId) ?? { storyId: item.storyId, alerts: [] };
        story.alerts.push(item.alert);
        stories.set(item.storyId, story);
      }
      const payload: DigestPayload = {
        type: 'digest.created',
        version: '1',
        id: input.idFor(key),
        timestamp: input.now.toISOString(),
        subscriptionId: input.subscriptionId,
        reason: chunk[0]!.reason,
        period: { start: chunk[0]!.heldAt, end: releaseAt },
        stories: [...stories.values()],
      };
      if (input.unsubscribeUrl !== undefined) payload.unsubscribeUrl = input.unsubscribeUrl;
      plans.push({ key, held: chunk, payload });
    }
  }
  return plans;
}
