import { describe, expect, it } from 'vitest';
import { MAX_ALERTS_PER_DIGEST, nextDigestAt, nextLocalTime, planDelivery, planDigests, quietHoursEnd, rateWindow, type HeldForDigest } from '#domain/digest.js';
import type { Subscription } from '#domain/types.js';

const base: Subscription = {
  subscriptionId: 'sub-1',
  owner: 'o',
  topics: [],
  countries: ['FR'],
  keywords: [],
  channel: { type: 'sns' },
  status: 'active',
  createdAt: '2026-01-01T00:00:00Z',
};

function held(storyId: string, articleId: string, heldAt: string, releaseAt = '2026-03-01T08:00:00.000Z'): HeldForDigest {
  return {
    storyId,
    articleId,
    heldAt,
    releaseAt,
    reason: 'daily',
    alert: {
      type: 'alert.created',
      article: { articleId, storyId, url: `https://x.example/${articleId}`, title: articleId, summary: '', publishedAt: heldAt, sourceName: 'X', language: 'en' },
      reasons: { topics: [], countries: [{ code: 'FR', role: 'primary', score: 0.9 }], keywords: [] },
    },
  };
}

describe('local times in the subscriber time zone', () => {
  it('sends a daily digest at the next local HH:MM, across a DST change', () => {
    // Paris: UTC+1 in winter; DST starts 2026-03-29, so 08:00 local is 06:00 UTC from then on.
    expect(nextLocalTime(new Date('2026-03-28T09:00:00Z'), 'Europe/Paris', '08:00').toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(nextLocalTime(new Date('2026-03-28T06:59:00Z'), 'Europe/Paris', '08:00').toISOString()).toBe('2026-03-28T07:00:00.000Z');
  });

  it('sends an hourly digest at the given minute of each local hour, in a zone offset by 45 minutes', () => {
    // Kathmandu is UTC+05:45: local :00 is UTC :15.
    const at = nextDigestAt({ mode: 'hourly', timeZone: 'Asia/Kathmandu' }, new Date('2026-03-01T10:20:00Z'));
    expect(at.toISOString()).toBe('2026-03-01T11:15:00.000Z');
  });

  it('defaults a daily digest to 08:00', () => {
    expect(nextDigestAt({ mode: 'daily', timeZone: 'UTC' }, new Date('2026-03-01T09:00:00Z')).toISOString()).toBe('2026-03-02T08:00:00.000Z');
  });

  it('rejects an unknown time zone with a ValidationError', () => {
    expect(() => nextLocalTime(new Date(), 'Mars/Olympus', '08:00')).toThrow(/time zone/);
  });
});

describe('quiet hours', () => {
  const quiet = { start: '22:00', end: '07:00', timeZone: 'America/New_York' };

  it('holds until the end of a window that wraps past midnight', () => {
    // 23:30 in New York (UTC-5 in January) -> until 07:00 the next morning, 12:00 UTC.
    expect(quietHoursEnd(quiet, new Date('2026-01-15T04:30:00Z'))?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
    expect(quietHoursEnd(quiet, new Date('2026-01-15T11:59:00Z'))?.toISOString()).toBe('2026-01-15T12:00:00.000Z');
  });

  it('is not quiet outside the window', () => {
    expect(quietHoursEnd(quiet, new Date('2026-01-15T12:00:00Z'))).toBeUndefined();
    expect(quietHoursEnd(quiet, new Date('2026-01-15T20:00:00Z'))).toBeUndefined();
  });
});

describe('planDelivery', () => {
  const now = new Date('2026-01-15T12:00:00Z');

  it('drops alerts for paused, disabled and snoozed subscriptions, and sends them again once the snooze ended', () => {
    expect(planDelivery({ ...base, status: 'paused' }, now)).toEqual({ action: 'drop', why: 'paused' });
    expect(planDelivery({ ...base, status: 'disabled' }, now)).toEqual({ action: 'drop', why: 'disabled' });
    expect(planDelivery({ ...base, snoozedUntil: '2026-01-15T13:00:00Z' }, now)).toEqual({ action: 'drop', why: 'snoozed' });
    expect(planDelivery({ ...base, snoozedUntil: '2026-01-15T11:00:00Z' }, now)).toEqual({ action: 'send' });
  });

  it('keeps delivering to a failing subscription: failing is its health, not a stop', () => {
    expect(planDelivery({ ...base, status: 'failing' }, now)).toEqual({ action: 'send' });
  });

  it('holds alerts of a digest subscription until its digest time, and of quiet hours until their end', () => {
    expect(planDelivery({ ...base, frequency: { mode: 'daily', timeZone: 'UTC', at: '18:00' } }, now)).toEqual({
      action: 'hold',
      reason: 'daily',
      releaseAt: new Date('2026-01-15T18:00:00Z'),
    });
    expect(planDelivery({ ...base, quietHours: { start: '11:00', end: '13:30', timeZone: 'UTC' } }, now)).toEqual({
      action: 'hold',
      reason: 'quiet-hours',
      releaseAt: new Date('2026-01-15T13:30:00Z'),
    });
  });
});

describe('rateWindow', () => {
  it('is the UTC clock hour', () => {
    expect(rateWindow(new Date('2026-01-15T12:34:56Z'))).toEqual({ start: new Date('2026-01-15T12:00:00Z'), end: new Date('2026-01-15T13:00:00Z') });
  });
});

describe('planDigests', () => {
  const now = new Date('2026-03-01T08:00:30Z');
  const idFor = (key: string) => `dlv_${key.length}`;

  it('groups the held alerts by story, stories in the order first held', () => {
    // Act
    const [plan, ...rest] = planDigests({
      subscriptionId: 'sub-1',
      held: [held('s2', 'a3', '2026-03-01T03:00:00Z'), held('s1', 'a1', '2026-03-01T01:00:00Z'), held('s1', 'a2', '2026-03-01T02:00:00Z')],
      now,
      idFor,
    });

    // Assess
    expect(rest).toEqual([]);
    expect(plan!.payload.stories.map((s) => [s.storyId, s.alerts.map((a) => a.article.articleId)])).toEqual([
      ['s1', ['a1', 'a2']],
      ['s2', ['a3']],
    ]);
    expect(plan!.payload).toMatchObject({ type: 'digest.created', version: '1', reason: 'daily', period: { start: '2026-03-01T01:00:00Z', end: '2026-03-01T08:00:00.000Z' } });
  });

  it('gives the same key to the same content, whatever the order, and another key to other content', () => {
    const a = held('s1', 'a1', '2026-03-01T01:00:00Z');
    const b = held('s2', 'a2', '2026-03-01T02:00:00Z');
    const first = planDigests({ subscriptionId: 'sub-1', held: [a, b], now, idFor })[0]!.key;
    const again = planDigests({ subscriptionId: 'sub-1', held: [b, a], now, idFor })[0]!.key;
    const other = planDigests({ subscriptionId: 'sub-1', held: [a], now, idFor })[0]!.key;

    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('sends one digest per release time, and splits one that would be too large', () => {
    const many = Array.from({ length: MAX_ALERTS_PER_DIGEST + 1 }, (_, i) => held(`s${i}`, `a${i}`, `2026-03-01T01:00:${String(i % 60).padStart(2, '0')}Z`));
    const plans = planDigests({ subscriptionId: 'sub-1', held: [...many, held('late', 'late', '2026-03-01T09:00:00Z', '2026-03-01T10:00:00.000Z')], now, idFor });

    expect(plans.map((p) => p.held.length)).toEqual([MAX_ALERTS_PER_DIGEST, 1, 1]);
    expect(new Set(plans.map((p) => p.key)).size).toBe(3);
  });
});
