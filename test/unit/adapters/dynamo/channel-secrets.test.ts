import { describe, expect, it } from 'vitest';
import {
  ChannelSecretError,
  SEALED_PREFIX,
  createChannelSecretCodec,
  generateChannelSecretKey,
} from '#adapters/dynamo/channel-secrets.js';
import type { Subscription } from '#domain/types.js';
import { buildSubscription } from '../../../integration/dynamo/fixtures.js';

const SECRET = 'whsec_' + Buffer.alloc(24, 1).toString('base64');
const PREVIOUS = 'whsec_' + Buffer.alloc(24, 2).toString('base64');
const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/s3cr3tT0ken';

function webhook(subscriptionId = 'sub-1'): Subscription {
  return buildSubscription({
    subscriptionId,
    channel: { type: 'webhook', url: 'https://hooks.example/a', secret: SECRET, previousSecret: PREVIOUS, previousSecretExpiresAt: '2026-01-01T00:00:00.000Z' },
  });
}

describe('channel secret codec', () => {
  const codec = createChannelSecretCodec(generateChannelSecretKey());

  it('seals both webhook secrets and the Slack URL, and opens them back to what they were', () => {
    // Prepare
    const slack = buildSubscription({ subscriptionId: 'sub-2', channel: { type: 'slack', webhookUrl: SLACK_URL } });

    // Act
    const sealedWebhook = codec.seal(webhook());
    const sealedSlack = codec.seal(slack);

    // Assess
    const stored = JSON.stringify([sealedWebhook, sealedSlack]);
    expect(stored).not.toContain('whsec_');
    expect(stored).not.toContain('s3cr3tT0ken');
    expect(sealedWebhook.channel).toMatchObject({ url: 'https://hooks.example/a', previousSecretExpiresAt: '2026-01-01T00:00:00.000Z' });
    expect((sealedWebhook.channel as { secret: string }).secret.startsWith(SEALED_PREFIX)).toBe(true);
    expect(codec.open(sealedWebhook)).toEqual(webhook());
    expect(codec.open(sealedSlack)).toEqual(slack);
  });

  it('seals the same secret differently each time (random IV) and leaves sealed values as they are', () => {
    // Act
    const first = codec.seal(webhook());
    const second = codec.seal(webhook());

    // Assess
    expect(first.channel).not.toEqual(second.channel);
    expect(codec.seal(first)).toEqual(first);
  });

  it('leaves channels without secrets (SQS, SNS) untouched', () => {
    // Prepare
    const sqs = buildSubscription({ channel: { type: 'sqs', queueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/alerts' } });
    const sns = buildSubscription({ channel: { type: 'sns' } });

    // Act & Assess
    expect(codec.seal(sqs)).toEqual(sqs);
    expect(codec.seal(sns)).toEqual(sns);
    expect(codec.holdsPlainSecrets(sqs)).toBe(false);
  });

  it('reads plain secrets written before sealing existed, and says they are plain', () => {
    // Act & Assess
    expect(codec.open(webhook())).toEqual(webhook());
    expect(codec.holdsPlainSecrets(webhook())).toBe(true);
    expect(codec.holdsPlainSecrets(codec.seal(webhook()))).toBe(false);
  });

  it('refuses a sealed secret copied to another subscription or to another field', () => {
    // Prepare
    const sealed = codec.seal(webhook('sub-a'));
    const channel = sealed.channel as Extract<Subscription['channel'], { type: 'webhook' }>;

    // Act & Assess
    expect(() => codec.open({ ...sealed, subscriptionId: 'sub-b' })).toThrow(ChannelSecretError);
    expect(() => codec.open({ ...sealed, channel: { ...channel, secret: channel.previousSecret! } })).toThrow(/secret of subscription sub-a/);
  });

  it('names the key when a secret was sealed with another one', () => {
    // Prepare
    const other = createChannelSecretCodec(generateChannelSecretKey(), 'the store key in /data/store-key');

    // Act & Assess
    expect(() => other.open(codec.seal(webhook()))).toThrow('does not open with the store key in /data/store-key');
  });

  it('refuses a key that is not 32 bytes', () => {
    // Act & Assess
    expect(() => createChannelSecretCodec(Buffer.alloc(16))).toThrow(RangeError);
  });
});
