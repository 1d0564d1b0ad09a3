// The api function's dependencies, for its Lambda (functions/lambda/api.ts) and the local runtime alike.
import { randomBytes, randomUUID } from 'node:crypto';
import { consoleFilesBesideBundle } from '#adapters/console-files.js';
import { DynamoApiKeyRepository } from '#adapters/dynamo/api-keys-repository.js';
import { DynamoArticleRepository } from '#adapters/dynamo/articles-repository.js';
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { createFeedFetcher } from '#adapters/http/feed-fetcher.js';
import { assertUrlAllowed } from '#adapters/http/ssrf.js';
import { createWebSubConfig } from '#adapters/websub-hub-client.js';
import type { DeliveryMessage } from '#domain/types.js';
import type { ApiDeps } from '#handlers/api/index.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { subscriptionStoreOptions, type Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';
import { unsubscribeLinksOn } from './unsubscribe-links.js';

export function composeApi(platform: Platform<(typeof FUNCTION_RESOURCES)['api']>, observability: Observability): ApiDeps {
  const { doc, addressPolicy } = platform;
  return {
    feeds: new DynamoFeedRepository(doc, platform.table('feeds')),
    articles: new DynamoArticleRepository(doc, platform.table('articles')),
    subscriptions: new DynamoSubscriptionRepository(doc, platform.table('subscriptions'), subscriptionStoreOptions(platform)),
    deliveries: new DynamoDeliveryRepository(doc, platform.table('deliveries')),
    apiKeys: new DynamoApiKeyRepository(doc, platform.table('apiKeys')),
    deliveryQueue: platform.queue<DeliveryMessage>('delivery'),
    deliveryDeadLetters: { redrive: platform.redriveDeliveryDlq },
    // Test-fire and replay counts per owner live beside the digests' rate slots, shared by every API instance.
    actionSlots: new DynamoDigestBuffer(doc, platform.table('digests')),
    unsubscribeLinks: unsubscribeLinksOn(platform),
    // One key for every instance (and, locally, across restarts), so a cursor works wherever the next page's
    // request lands; it signs under its own purpose string.
    cursorSecret: platform.unsubscribeSecret,
    assertUrlAllowed: (url) => assertUrlAllowed(url, addressPolicy),
    // Validation on add fetches once; its total time stays inside the API's 10 s timeout.
    fetcher: createFeedFetcher({ policy: addressPolicy, totalTimeoutMs: 7_000 }),
    websub: createWebSubConfig(platform.publicUrl, addressPolicy),
    clock: systemClock,
    newId: () => randomUUID().replaceAll('-', ''),
    randomBytes: (size) => randomBytes(size),
    // The console's build beside the bundle (the local runtime serves its in-memory build instead).
    consoleAssets: consoleFilesBesideBundle(),
    ...observability,
  };
}
