// The local runtime's Platform (functions/compose/platform.ts): every table in dynalite, the queues and topics of
// the in-process bus, loopback allowed (the demo's feeds and receiver, tests' servers), the API's origin once the
// server listens. The composition modules wire each function over it exactly as they do over AWS.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ChannelSecretCodec } from '#adapters/dynamo/channel-secrets.js';
import type { TableNames } from '#adapters/dynamo/tables.js';
import type { Platform } from '#compose/platform.js';
import type { QueueName, TableName, TopicName } from '#compose/resources.js';
import type { PipelineSettings } from '#handlers/deps.js';
import type { MatchSnapshotStore } from '#domain/ports.js';
import type { DeliveryMessage } from '#domain/types.js';
import type { LocalQueue, LocalTopic } from './bus.js';

/** Everything any function is given: what the local platform offers (each composition takes only its own part). */
type AllResources = {
  tables: Record<TableName, 'readWrite'>;
  queues: QueueName[];
  topics: TopicName[];
  publicUrl: true;
  unsubscribeSecret: true;
  deliveryDlqRedrive: true;
  snapshotBucket: 'readWrite';
};

export interface LocalPlatformParts {
  doc: DynamoDBDocumentClient;
  names: TableNames;
  queues: { poll: LocalQueue<unknown>; delivery: LocalQueue<DeliveryMessage> };
  topics: Record<TopicName, LocalTopic>;
  settings: PipelineSettings;
  /** The API's origin: known once the server listens, read each time a URL is built. */
  publicUrl: () => string;
  unsubscribeSecret: string;
  /** Match index snapshots: files in the data directory, or memory. */
  matchSnapshots: MatchSnapshotStore;
  /** Seals webhook secrets in the local store's files. */
  channelSecrets: ChannelSecretCodec;
}

export type LocalPlatform = Platform<AllResources>;

export function createLocalPlatform(parts: LocalPlatformParts): LocalPlatform {
  const deadLetters = parts.queues.delivery.deadLetterQueue;
  if (deadLetters === undefined) throw new Error('the local delivery queue needs its dead-letter queue');
  const queues: Record<QueueName, LocalQueue<unknown>> = {
    poll: parts.queues.poll,
    delivery: parts.queues.delivery,
    deliveryDlq: deadLetters,
  };
  return {
    doc: parts.doc,
    table: (name) => parts.names[name],
    queue: (name: QueueName) => queues[name],
    topic: (name) => parts.topics[name],
    // Locally the demo feeds and receiver are on loopback, so loopback is allowed here, and only here.
    addressPolicy: { allowLoopback: true },
    settings: parts.settings,
    publicUrl: parts.publicUrl,
    unsubscribeSecret: parts.unsubscribeSecret,
    matchSnapshots: parts.matchSnapshots,
    channelSecrets: parts.channelSecrets,
    redriveDeliveryDlq: async () => ({ moved: deadLetters.redrive(parts.queues.delivery) }),
  };
}
