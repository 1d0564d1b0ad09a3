// The digest function's dependencies, for its Lambda (functions/lambda/digest.ts) and the local runtime alike.
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { DeliveryMessage } from '#domain/types.js';
import type { DigestDeps } from '#handlers/digest.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { subscriptionStoreOptions, type Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export function composeDigest(platform: Platform<(typeof FUNCTION_RESOURCES)['digest']>, observability: Observability): DigestDeps {
  return {
    subscriptions: new DynamoSubscriptionRepository(platform.doc, platform.table('subscriptions'), subscriptionStoreOptions(platform)),
    digestBuffer: new DynamoDigestBuffer(platform.doc, platform.table('digests')),
    deliveryQueue: platform.queue<DeliveryMessage>('delivery'),
    clock: systemClock,
    ...observability,
  };
}
