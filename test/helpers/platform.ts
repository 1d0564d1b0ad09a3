// A composition Platform (functions/compose/platform.ts) for tests: the real DynamoDB adapters over a test's
// dynalite tables, and queues and topics that keep what is sent to them. Tests compose a function's dependencies
// with the same module its Lambda and the local runtime use, and override only what the test is about.
import type { StringMessageAttribute } from '#adapters/aws-messaging.js';
import type { Platform } from '#compose/platform.js';
import type { QueueName, TableName, TopicName } from '#compose/resources.js';
import type { QueueMessage } from '#domain/ports.js';
import { DEFAULT_SETTINGS, type PipelineSettings } from '#handlers/deps.js';
import type { LocalTables } from '../integration/dynamo/local-tables.js';

type Everything = {
  tables: Record<TableName, 'readWrite'>;
  queues: QueueName[];
  topics: TopicName[];
  publicUrl: true;
  unsubscribeSecret: true;
  deliveryDlqRedrive: true;
};

export interface TestPlatform extends Platform<Everything> {
  /** Everything sent to each queue, in order. */
  sent: Record<QueueName, QueueMessage<unknown>[]>;
  /** Everything published to each topic, in order. */
  published: Record<TopicName, { message: string; attributes: Record<string, StringMessageAttribute> }[]>;
}

export function testPlatform(local: LocalTables, settings: Partial<PipelineSettings> = {}): TestPlatform {
  const sent: TestPlatform['sent'] = { poll: [], delivery: [], deliveryDlq: [] };
  const published: TestPlatform['published'] = { articles: [], alerts: [] };
  return {
    doc: local.doc,
    table: (name) => local.names[name],
    queue: (name) => ({ send: async (messages) => void sent[name].push(...messages) }),
    topic: (name) => ({ publish: async (message, attributes) => void published[name].push({ message, attributes }) }),
    // Tests' feeds, hubs and receivers are servers on 127.0.0.1.
    addressPolicy: { allowLoopback: true },
    settings: { ...DEFAULT_SETTINGS, ...settings },
    publicUrl: () => 'http://127.0.0.1:9/callback-origin',
    unsubscribeSecret: 'test-unsubscribe-secret-of-32-characters',
    redriveDeliveryDlq: async () => ({ moved: 0 }),
    sent,
    published,
  };
}
