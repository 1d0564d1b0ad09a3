// The WebSub renewer's dependencies (the subscriber side only: no feed parser, no classifier), for its Lambda
// (functions/lambda/websub-renewer.ts) and the local runtime alike.
import { randomBytes } from 'node:crypto';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import type { WebSubSubscriberDeps } from '#handlers/websub-subscriber.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import type { Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composeWebSubRenewer(
  platform: Platform<(typeof FUNCTION_RESOURCES)['websub-renewer']>,
  observability: Observability,
): WebSubSubscriberDeps & Observability {
  return {
    feeds: new DynamoFeedRepository(platform.doc, platform.table('feeds')),
    websub: createWebSubConfig(platform.publicUrl, platform.addressPolicy),
    randomBytes: (size) => randomBytes(size),
    clock: systemClock,
    ...observability,
  };
}
