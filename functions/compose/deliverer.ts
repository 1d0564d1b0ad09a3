// The deliverer's dependencies, for its Lambda (functions/lambda/deliverer.ts) and the local runtime alike. Only the
// alert channels differ: SQS and SNS clients in AWS, in-process stand-ins locally; webhooks are real HTTP in both.
import { DynamoDeliveryRepository } from '#adapters/dynamo/deliveries-repository.js';
import { DynamoDigestBuffer } from '#adapters/dynamo/digest-buffer-repository.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { AlertSender } from '#domain/ports.js';
import type { DeliveryMessage } from '#domain/types.js';
import type { DelivererDeps } from '#handlers/deliverer.js';
import { createDeliveryGate, DEFAULT_DELIVERY_CONCURRENCY } from '#handlers/delivery-gate.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import { subscriptionStoreOptions, type Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';
import { unsubscribeLinksOn } from './unsubscribe-links.js';

export function composeDeliverer(
  platform: Platform<(typeof FUNCTION_RESOURCES)['deliverer']>,
  observability: Observability,
  channels: { alertSender: AlertSender },
): DelivererDeps {
  const { doc } = platform;
  const deadLetters = platform.queue<DeliveryMessage>('deliveryDlq');
  return {
    subscriptions: new DynamoSubscriptionRepository(doc, platform.table('subscriptions'), subscriptionStoreOptions(platform)),
    deliveries: new DynamoDeliveryRepository(doc, platform.table('deliveries')),
    digestBuffer: new DynamoDigestBuffer(doc, platform.table('digests')),
    // Retries are new messages on the delivery queue itself, so SQS delays (chained past 900 s) carry the schedule.
    deliveryQueue: platform.queue<DeliveryMessage>('delivery'),
    deliveryDeadLetters: { send: (message) => deadLetters.send([{ id: message.deliveryId, body: message }]) },
    alertSender: channels.alertSender,
    unsubscribeLinks: unsubscribeLinksOn(platform),
    clock: systemClock,
    random: Math.random,
    settings: platform.settings,
    // One per process: in AWS, per warm Lambda instance.
    deliveryGate: createDeliveryGate(platform.settings.deliveryConcurrency ?? DEFAULT_DELIVERY_CONCURRENCY),
    ...observability,
  };
}
