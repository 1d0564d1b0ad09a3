// The scheduler's dependencies, for its Lambda (functions/lambda/scheduler.ts) and the local runtime alike.
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import type { PollMessage } from '#domain/types.js';
import type { SchedulerDeps } from '#handlers/scheduler.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import type { Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composeScheduler(platform: Platform<(typeof FUNCTION_RESOURCES)['scheduler']>, observability: Observability): SchedulerDeps {
  return {
    feeds: new DynamoFeedRepository(platform.doc, platform.table('feeds')),
    pollQueue: platform.queue<PollMessage>('poll'),
    clock: systemClock,
    settings: platform.settings,
    ...observability,
  };
}
