// The WebSub callback's dependencies (verification of intent, signed pushes into the ingest core), for its Lambda
// (functions/lambda/websub.ts) and the local runtime alike.
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import type { WebSubCallbackDeps } from '#handlers/websub-callback.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { composeIngest } from './ingest.js';
import type { Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composeWebSubCallback(platform: Platform<(typeof FUNCTION_RESOURCES)['websub']>, observability: Observability): WebSubCallbackDeps {
  const { doc } = platform;
  return {
    ...composeIngest({ doc, articlesTable: platform.table('articles'), ingestTable: platform.table('ingest'), articlesTopic: platform.topic('articles'), settings: platform.settings }),
    feeds: new DynamoFeedRepository(doc, platform.table('feeds')),
    clock: systemClock,
    ...observability,
  };
}
