// scheduler: EventBridge tick -> the feeds that are due -> one PollMessage each on the poll queue.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { NotFoundError } from '#domain/errors.js';
import { reservePoll } from '#domain/feed.js';
import type { Feed, PollMessage } from '#domain/types.js';
import { withObservability, type Observability } from '#shared/middleware.js';
import type { PipelineSettings, Ports } from './deps.js';

export type SchedulerDeps = Pick<Ports, 'feeds' | 'pollQueue' | 'clock'> &
  Observability & { settings: Pick<PipelineSettings, 'schedulerBatchLimit' | 'staleFeedHours'> };

export interface SchedulerResult {
  enqueued: number;
}

export async function scheduleDueFeeds(deps: SchedulerDeps): Promise<SchedulerResult> {
  const now = deps.clock.now();
  const due = await deps.feeds.listDue(now.toISOString(), deps.settings.schedulerBatchLimit);
  if (due.length === 0) return { enqueued: 0 };
  const messages = due.map((feed) => ({
    id: feed.feedId,
    body: { feedId: feed.feedId, scheduledAt: now.toISOString() } satisfies PollMessage,
  }));
  // Move nextPollAt before enqueueing: once a message is out, the poller owns the feed item, and a late write
  // here would overwrite its health and validators. A crash in between only delays that feed by one interval.
  const reserved = await Promise.all(
    due.map(async (feed) => {
      try {
        await deps.feeds.put(reservePoll(feed, now));
        return true;
      } catch (error) {
        // Deleted since listDue: nothing to poll.
        if (error instanceof NotFoundError) return false;
        throw error;
      }
    }),
  );
  const toSend = messages.filter((_message, i) => reserved[i]);
  if (toSend.length > 0) await deps.pollQueue.send(toSend);
  deps.logger.info('feeds enqueued', { enqueued: toSend.length });
  return { enqueued: toSend.length };
}

/** Enabled feeds, and those with no successful poll (since creation, if never) for longer than `staleHours`. */
export function countStaleFeeds(feeds: readonly Feed[], now: Date, staleHours: number): { total: number; stale: number } {
  const cutoff = now.getTime() - staleHours * 3_600_000;
  const enabled = feeds.filter((feed) => feed.enabled);
  const stale = enabled.filter((feed) => Date.parse(feed.health.lastSuccessAt ?? feed.createdAt) < cutoff);
  return { total: enabled.length, stale: stale.length };
}

export function createSchedulerHandler(deps: SchedulerDeps) {
  return withObservability(deps, async (_event: ScheduledEvent, _context: Context) => {
    const result = await scheduleDueFeeds(deps);
    // Feed health for the stale-feeds alarm: one scan per run, skipped where nothing would read the figures.
    if (deps.metrics) {
      const { total, stale } = countStaleFeeds(await deps.feeds.list(), deps.clock.now(), deps.settings.staleFeedHours ?? 24);
      deps.metrics.count('FeedsTotal', total);
      deps.metrics.count('StaleFeeds', stale);
    }
    return result;
  });
}
