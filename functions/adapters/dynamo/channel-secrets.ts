// Channel secrets at rest: the webhook signing secrets and the Slack incoming-webhook URL (a bearer credential) of a
// subscription, sealed with AES-256-GCM before the subscriptions repository writes them and opened when it reads.
// The local runtime uses it, with a key file beside its admin key: its LevelDB files would otherwise hold every
// secret in plain text. Deployed, the table's KMS key already encrypts the items at rest and only the functions'
// roles can read them, so the repository there stores the channel as it is (no codec).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { NewsalertError } from '#domain/errors.js';
import type { Channel, Subscription } from '#domain/types.js';

/** Marks a sealed value; a plain secret ("whsec_...", "https://hooks...") never starts with it. */
export const SEALED_PREFIX = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class ChannelSecretError extends NewsalertError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ChannelSecretError';
  }
}

export interface ChannelSecretCodec {
  /** The subscription as stored: its channel's secrets sealed. */
  seal(subscription: Subscription): Subscription;
  /** The subscription as read: sealed secrets opened, plain ones (written before sealing existed) as they are. */
  open(subscription: Subscription): Subscription;
  /** Whether a stored subscription still holds a secret in plain text. */
  holdsPlainSecrets(subscription: Subscription): boolean;
}

type SecretField = 'secret' | 'previousSecret' | 'webhookUrl';

/** The channel fields that are secret; the SQS queue URL and the SNS channel carry none. */
function secretFields(channel: Channel): SecretField[] {
  if (channel.type === 'webhook') return channel.previousSecret === undefined ? ['secret'] : ['secret', 'previousSecret'];
  if (channel.type === 'slack') return ['webhookUrl'];
  return [];
}

export function isSealed(value: string): boolean {
  return value.startsWith(SEALED_PREFIX);
}

/**
 * The key binds each sealed value to its subscription and field (additional authenticated data), so a value copied
 * to another subscription, or from `previousSecret` to `secret`, fails to open instead of signing for it.
 */
export function createChannelSecretCodec(key: Uint8Array, describeKey = 'the store key'): ChannelSecretCodec {
  if (key.length !== KEY_BYTES) throw new RangeError(`A channel secret key is ${KEY_BYTES} bytes, got ${key.length}`);
  const context = (subscriptionId: string, field: SecretField) => Buffer.from(`${subscriptionId}\0${field}`, 'utf8');

  const sealValue = (value: string, subscriptionId: string, field: SecretField): string => {
    if (isSealed(value)) return value;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(context(subscriptionId, field));
    const sealed = Buffer.concat([iv, cipher.update(value, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return SEALED_PREFIX + sealed.toString('base64url');
  };

  const openValue = (value: string, subscriptionId: string, field: SecretField): string => {
    if (!isSealed(value)) return value;
    const sealed = Buffer.from(value.slice(SEALED_PREFIX.length), 'base64url');
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new ChannelSecretError(`The ${field} of subscription ${subscriptionId} is not a sealed value`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(context(subscriptionId, field));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new ChannelSecretError(
        `The ${field} of subscription ${subscriptionId} does not open with ${describeKey}: it was sealed with another key, or changed`,
        { cause: error },
      );
    }
  };

  const mapSecrets = (subscription: Subscription, map: (value: string, subscriptionId: string, field: SecretField) => string): Subscription => {
    const fields = secretFields(subscription.channel);
    if (fields.length === 0) return subscription;
    const channel: Record<string, unknown> = { ...subscription.channel };
    for (const field of fields) {
      const value = channel[field];
      if (typeof value === 'string') channel[field] = map(value, subscription.subscriptionId, field);
    }
    return { ...subscription, channel: channel as Channel };
  };

  return {
    seal: (subscription) => mapSecrets(subscription, sealValue),
    open: (subscription) => mapSecrets(subscription, openValue),
    holdsPlainSecrets: (subscription) =>
      secretFields(subscription.channel).some((field) => {
        const value = (subscription.channel as Record<string, unknown>)[field];
        return typeof value === 'string' && !isSealed(value);
      }),
  };
}

/** A fresh random key for createChannelSecretCodec. */
export function generateChannelSecretKey(): Buffer {
  return randomBytes(KEY_BYTES);
}
