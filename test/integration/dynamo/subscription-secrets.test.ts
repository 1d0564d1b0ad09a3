// The subscriptions repository with a channel secret codec, on dynalite: what is stored is sealed, what is read is
// plain, and a store from before sealing keeps working and gets sealed.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChannelSecretCodec, generateChannelSecretKey, SEALED_PREFIX } from '#adapters/dynamo/channel-secrets.js';
import { resealChannelSecrets } from '#adapters/dynamo/reseal-subscriptions.js';
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import { buildSubscription } from './fixtures.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

const SECRET = 'whsec_' + Buffer.alloc(24, 3).toString('base64');
const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/s3cr3tT0ken';

describe('DynamoSubscriptionRepository with sealed channel secrets (dynalite)', () => {
  let local: LocalTables;
  const codec = createChannelSecretCodec(generateChannelSecretKey());
  let sealed: DynamoSubscriptionRepository;
  let plain: DynamoSubscriptionRepository;

  beforeAll(async () => {
    local = await startLocalTables('secrets');
    sealed = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions, { secrets: codec });
    plain = new DynamoSubscriptionRepository(local.doc, local.names.subscriptions);
  });
  afterAll(async () => {
    await local?.close();
  });

  const storedChannel = async (subscriptionId: string) =>
    (await local.doc.send(new GetCommand({ TableName: local.names.subscriptions, Key: { subscriptionId } }))).Item?.channel as Record<string, string>;

  it('stores the webhook secret and the Slack URL sealed, and gives them back plain from get and list', async () => {
    // Prepare
    const webhook = buildSubscription({ subscriptionId: 'sealed-webhook', channel: { type: 'webhook', url: 'https://hooks.example/a', secret: SECRET } });
    const slack = buildSubscription({ subscriptionId: 'sealed-slack', channel: { type: 'slack', webhookUrl: SLACK_URL } });

    // Act
    await sealed.put(webhook);
    await sealed.put(slack);

    // Assess
    expect((await storedChannel('sealed-webhook')).secret?.startsWith(SEALED_PREFIX)).toBe(true);
    expect((await storedChannel('sealed-slack')).webhookUrl?.startsWith(SEALED_PREFIX)).toBe(true);
    expect(await sealed.get('sealed-webhook')).toEqual(webhook);
    const listed = await sealed.list();
    expect(listed.find((s) => s.subscriptionId === 'sealed-slack')).toEqual(slack);
  });

  it('reads a subscription stored plain before sealing, and the start-up pass seals it in place', async () => {
    // Prepare
    const legacy = buildSubscription({ subscriptionId: 'legacy-webhook', channel: { type: 'webhook', url: 'https://hooks.example/b', secret: SECRET } });
    await plain.put(legacy);

    // Act
    const before = await sealed.get('legacy-webhook');
    const result = await resealChannelSecrets(local.doc, local.names.subscriptions, codec);

    // Assess
    expect(before).toEqual(legacy);
    expect(result.resealed).toBeGreaterThanOrEqual(1);
    expect((await storedChannel('legacy-webhook')).secret?.startsWith(SEALED_PREFIX)).toBe(true);
    expect(await sealed.get('legacy-webhook')).toEqual(legacy);
    expect((await resealChannelSecrets(local.doc, local.names.subscriptions, codec)).resealed).toBe(0);
  });

  it('leaves tombstones alone and keeps a resealed subscription at its place in the change log', async () => {
    // Prepare
    const legacy = buildSubscription({ subscriptionId: 'legacy-logged', channel: { type: 'webhook', url: 'https://hooks.example/c', secret: SECRET } });
    await plain.put(legacy);
    await plain.put(buildSubscription({ subscriptionId: 'legacy-deleted' }));
    await plain.delete('legacy-deleted');
    const logged = (await sealed.changesSince(0)).find((change) => change.subscriptionId === 'legacy-logged');

    // Act
    const result = await resealChannelSecrets(local.doc, local.names.subscriptions, codec);

    // Assess
    expect(result.resealed).toBe(1);
    expect((await storedChannel('legacy-logged')).secret?.startsWith(SEALED_PREFIX)).toBe(true);
    const after = (await sealed.changesSince(0)).find((change) => change.subscriptionId === 'legacy-logged');
    expect(logged).toBeDefined();
    expect(after).toEqual(logged);
    expect(await sealed.get('legacy-logged')).toEqual(legacy);
    expect(await sealed.get('legacy-deleted')).toBeUndefined();
  });

  it('fails the start-up pass, naming the key, when the store was sealed with another key', async () => {
    // Prepare
    const otherKey = createChannelSecretCodec(generateChannelSecretKey(), 'the store key in /elsewhere/store-key');
    await sealed.put(buildSubscription({ subscriptionId: 'sealed-other' }));

    // Act & Assess
    await expect(resealChannelSecrets(local.doc, local.names.subscriptions, otherKey)).rejects.toThrow('/elsewhere/store-key');
  });
});
