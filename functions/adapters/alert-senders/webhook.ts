// The webhook channel: the alert JSON POSTed to the subscriber's URL, signed as Standard Webhooks prescribe
// (webhook-id, webhook-timestamp, webhook-signature; two signatures during a secret rotation).
import { DeliveryError, ValidationError } from '#domain/errors.js';
import { signingSecrets, signWebhook } from '#domain/webhook-signature.js';
import type { ChannelSender } from './channel.js';
import { createJsonPost } from './http-post.js';
import type { HttpPostDeps } from './http-post.js';

export function createWebhookChannel(deps: HttpPostDeps): ChannelSender<'webhook'> {
  const post = createJsonPost(deps);
  return {
    async send(channel, alert, options) {
      const body = JSON.stringify(alert);
      let signature: Record<string, string>;
      try {
        const now = deps.now();
        signature = signWebhook(signingSecrets(channel, now), { id: alert.id, timestamp: now, body });
      } catch (error: unknown) {
        if (error instanceof ValidationError) throw new DeliveryError(`webhook secret unusable: ${error.message}`, true, { cause: error });
        throw error;
      }
      return post(channel.url, body, signature, options);
    },
  };
}
