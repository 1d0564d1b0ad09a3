// scheduler: EventBridge tick -> the feeds that are due -> one PollMessage each on the poll queue.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { NotFoundError } from '#domain/errors.js';
import { reservePoll } from '#domain/feed.js';
import type { PollMessage } from '#domain/types.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type SchedulerDeps = Pick<PipelineDeps, 'feeds' | 'pollQueue' | 'clock' | 'logger' | 'settings'>;

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

export function createSchedulerHandler(deps: SchedulerDeps) {
  return withObservability(deps.logger, async (_event: ScheduledEvent, _context: Context) => scheduleDueFeeds(deps));
}
