// The poller's dependencies, for its Lambda (functions/lambda/poller.ts) and the local runtime alike.
import { randomBytes } from 'node:crypto';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoHostLimiter } from '#adapters/dynamo/host-limiter.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import { pollingPolicyOf } from '#domain/feed.js';
import type { PollMessage } from '#domain/types.js';
import type { PollerDeps } from '#handlers/poller.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { composeIngest } from './ingest.js';
import type { Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composePoller(platform: Platform<(typeof FUNCTION_RESOURCES)['poller']>, observability: Observability): PollerDeps {
  const { doc } = platform;
  const policy = pollingPolicyOf(platform.settings.polling);
  return {
    ...composeIngest({ doc, articlesTable: platform.table('articles'), ingestTable: platform.table('ingest'), articlesTopic: platform.topic('articles'), settings: platform.settings }),
    feeds: new DynamoFeedRepository(doc, platform.table('feeds')),
    hostLimiter: new DynamoHostLimiter(doc, platform.table('ingest'), { maxConcurrent: policy.hostConcurrency, minSpacingMs: policy.hostSpacingMs }),
    pollQueue: platform.queue<PollMessage>('poll'),
    fetcher: createFeedFetcher({ policy: platform.addressPolicy }),
    // Feeds that advertise a hub are subscribed on a poll as on an add (seed feeds, OPML imports).
    websub: createWebSubConfig(platform.publicUrl, platform.addressPolicy),
    randomBytes: (size) => randomBytes(size),
    clock: systemClock,
    ...observability,
  };
}
