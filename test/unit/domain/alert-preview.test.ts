import { describe, expect, it } from 'vitest';
import { summariseAlerts } from '../../../functions/domain/alert-preview.js';
import type { Subscription } from '../../../functions/domain/types.js';

const base: Subscription = {
  subscriptionId: 'sub_1',
  owner: 'alice',
  topics: ['medtop:11000000'],
  countries: [],
  keywords: [],
  channel: { type: 'sns' },
  status: 'active',
  createdAt: '2026-11-01T00:00:00Z',
};
const at = (storyId: string, publishedAt: string) => ({ storyId, publishedAt });

describe('summariseAlerts', () => {
  it('sends one alert per story, however many outlets carried it', () => {
    // Act
    const summary = summariseAlerts(base, [at('s1', '2026-12-01T10:00:00Z'), at('s1', '2026-12-01T10:05:00Z'), at('s2', '2026-12-01T12:00:00Z')]);

    // Assess
    expect(summary).toEqual({ stories: 2, messages: 2, instant: 2, digests: 0, held: { digest: 0, quietHours: 0, rateCap: 0 } });
  });

  it('holds what passes the hourly cap for one digest at the end of that hour', () => {
    // Act
    const summary = summariseAlerts({ ...base, rateCapPerHour: 1 }, [
      at('s1', '2026-12-01T10:00:00Z'),
      at('s2', '2026-12-01T10:10:00Z'),
      at('s3', '2026-12-01T10:20:00Z'),
      at('s4', '2026-12-01T11:00:00Z'),
    ]);

    // Assess: s1 and s4 go at once; s2 and s3 wait for one digest at 11:00
    expect(summary).toMatchObject({ stories: 4, instant: 2, digests: 1, messages: 3, held: { rateCap: 2 } });
  });

  it('holds stories that arrive in quiet hours until they end, and gathers a daily subscription into digests', () => {
    // Act
    const quiet = summariseAlerts({ ...base, quietHours: { start: '22:00', end: '07:00', timeZone: 'UTC' } }, [
      at('s1', '2026-12-01T23:00:00Z'),
      at('s2', '2026-12-02T02:00:00Z'),
      at('s3', '2026-12-02T09:00:00Z'),
    ]);
    const daily = summariseAlerts({ ...base, frequency: { mode: 'daily', timeZone: 'UTC', at: '08:00' } }, [
      at('s1', '2026-12-01T09:00:00Z'),
      at('s2', '2026-12-01T20:00:00Z'),
      at('s3', '2026-12-02T09:00:00Z'),
    ]);

    // Assess
    expect(quiet).toMatchObject({ instant: 1, digests: 1, messages: 2, held: { quietHours: 2 } });
    expect(daily).toMatchObject({ instant: 0, digests: 2, messages: 2, held: { digest: 3 } });
  });

  it('previews a paused or snoozed subscription as if it were live', () => {
    // Act
    const summary = summariseAlerts({ ...base, status: 'paused', snoozedUntil: '2099-01-01T00:00:00Z' }, [at('s1', '2026-12-01T10:00:00Z')]);

    // Assess
    expect(summary.messages).toBe(1);
  });
});
