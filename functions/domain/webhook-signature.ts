// Standard Webhooks (https://www.standardwebhooks.com) signing, over the reference `standardwebhooks` package.
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { ValidationError } from './errors.js';

export interface SignInput {
  /** The message id; receivers deduplicate on it. */
  id: string;
  timestamp: Date;
  /** The exact bytes that go on the wire: the signature covers them, not a re-serialisation. */
  body: string;
}

export type WebhookHeaders = Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;

const SECRET_BYTES = 24;

function createWebhook(secret: string): Webhook {
  try {
    return new Webhook(secret);
  } catch (error) {
    throw new ValidationError('Invalid webhook secret: expected "whsec_" followed by base64', [], { cause: error });
  }
}

/**
 * Signs with one secret, or with several during a secret rotation: Standard Webhooks puts the signatures in one
 * header, space-separated, and a receiver accepts the message when any of them verifies with the secret it holds.
 */
export function signWebhook(secret: string | readonly string[], input: SignInput): WebhookHeaders {
  const secrets = typeof secret === 'string' ? [secret] : [...new Set(secret)];
  if (secrets.length === 0) throw new ValidationError('No webhook secret to sign with');
  const signature = secrets.map((s) => createWebhook(s).sign(input.id, input.timestamp, input.body)).join(' ');
  return {
    'webhook-id': input.id,
    'webhook-timestamp': String(Math.floor(input.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}

/**
 * Checks the signature and the timestamp tolerance (5 minutes, against the process clock: the library reads it) and
 * returns the parsed JSON body. Throws ValidationError when the message is not authentic.
 */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string): unknown {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') flat[name.toLowerCase()] = value;
    else if (Array.isArray(value)) flat[name.toLowerCase()] = value.join(' ');
  }
  try {
    return createWebhook(secret).verify(body, flat);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      throw new ValidationError(`Webhook verification failed: ${error.message}`, [], { cause: error });
    }
    if (error instanceof SyntaxError) {
      throw new ValidationError('Webhook body is signed but is not JSON', [], { cause: error });
    }
    throw error;
  }
}

/** The secrets that sign at `now`: the current one, and the previous one while its grace period lasts. */
export function signingSecrets(
  channel: { secret: string; previousSecret?: string; previousSecretExpiresAt?: string },
  now: Date,
): string[] {
  const secrets = [channel.secret];
  if (channel.previousSecret !== undefined && channel.previousSecretExpiresAt !== undefined && Date.parse(channel.previousSecretExpiresAt) > now.getTime()) {
    secrets.push(channel.previousSecret);
  }
  return secrets;
}

/** A new Standard Webhooks secret: "whsec_" + base64 of 24 bytes from the given random source. */
export function generateWebhookSecret(randomBytes: (n: number) => Uint8Array): string {
  const bytes = randomBytes(SECRET_BYTES);
  if (bytes.length !== SECRET_BYTES) {
    throw new RangeError(`random source returned ${bytes.length} bytes, expected ${SECRET_BYTES}`);
  }
  return `whsec_${Buffer.from(bytes).toString('base64')}`;
}
