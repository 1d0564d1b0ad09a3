// What a composition module gets from where it runs: in AWS (aws.ts) SDK clients over the names the stack passes;
// in the local runtime (functions/local/platform.ts) dynalite and the in-process bus. A function's Platform offers
// exactly what FUNCTION_RESOURCES gives that function, so a composition cannot reach anything it is not granted.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MessageTopic } from '#adapters/aws-messaging.js';
import type { ChannelSecretCodec } from '#adapters/dynamo/channel-secrets.js';
import type { AddressPolicy } from '#adapters/http/ssrf.js';
import type { MatchSnapshotStore, QueueSender } from '#domain/ports.js';
import type { PipelineSettings } from '#handlers/deps.js';
import type { FunctionResources } from './resources.js';

export type TableOf<R extends FunctionResources> = keyof R['tables'] & string;
export type QueueOf<R extends FunctionResources> = R['queues'][number];
export type TopicOf<R extends FunctionResources> = R['topics'][number];

export type Platform<R extends FunctionResources> = {
  doc: DynamoDBDocumentClient;
  /** The physical name of one of the function's tables. */
  table(name: TableOf<R>): string;
  queue<T>(name: QueueOf<R>): QueueSender<T>;
  topic(name: TopicOf<R>): MessageTopic;
  /** Where outbound HTTP (feeds, hubs, webhooks) may go: the public internet in AWS, loopback too locally. */
  addressPolicy: AddressPolicy;
  settings: PipelineSettings;
  /** Seals channel secrets in the subscriptions table (the local store); deployed, the table's KMS key encrypts them. */
  channelSecrets?: ChannelSecretCodec;
} & (R extends { publicUrl: true } ? { publicUrl: () => string } : unknown) &
  (R extends { unsubscribeSecret: true } ? { unsubscribeSecret: string } : unknown) &
  (R extends { deliveryDlqRedrive: true } ? { redriveDeliveryDlq: () => Promise<{ moved?: number; taskHandle?: string }> } : unknown) &
  (R extends { snapshotBucket: 'read' | 'readWrite' } ? { matchSnapshots: MatchSnapshotStore } : unknown);

/** The subscriptions repository's options every composition passes: the channel-secret codec where there is one. */
export function subscriptionStoreOptions(platform: { channelSecrets?: ChannelSecretCodec }): { secrets?: ChannelSecretCodec } {
  return platform.channelSecrets === undefined ? {} : { secrets: platform.channelSecrets };
}
