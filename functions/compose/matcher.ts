// A matcher shard's dependencies, for its Lambda (functions/lambda/matcher.ts) and the local runtime alike. Which
// shard it is goes to its match index cache (createMatchIndexCache), not here.
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { DeliveryMessage } from '#domain/types.js';
import type { MatcherDeps } from '#handlers/matcher.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { subscriptionStoreOptions, type Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composeMatcher(platform: Platform<(typeof FUNCTION_RESOURCES)['matcher']>, observability: Observability): MatcherDeps {
  return {
    // Read through the change log only (its index carries no channel): the matcher never scans the table.
    subscriptions: new DynamoSubscriptionRepository(platform.doc, platform.table('subscriptions'), subscriptionStoreOptions(platform)),
    matchSnapshots: platform.matchSnapshots,
    deliveryQueue: platform.queue<DeliveryMessage>('delivery'),
    clock: systemClock,
    ...observability,
  };
}
