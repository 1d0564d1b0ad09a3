// The signed unsubscribe link every alert carries: HMAC-SHA256 over the subscription id with a server secret, so the
// link needs no login and cannot be forged for another subscription.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { withoutTrailingSlashes } from './url.js';

export interface UnsubscribeLinkConfig {
  /** Server secret; never leaves the server. */
  secret: string;
  /** The public origin of the API, e.g. "https://abc.execute-api.eu-west-1.amazonaws.com". */
  baseUrl: string;
}

export interface UnsubscribeLinks {
  /** The link to put in an alert for this subscription. */
  urlFor(subscriptionId: string): string;
  /** Whether `token` is the one `urlFor` puts in the link of this subscription. */
  verify(subscriptionId: string, token: string): boolean;
}

// Versioned purpose string: the same secret can never be tricked into signing something else that looks alike.
const PURPOSE = 'newsalert-unsubscribe-v1';

export function unsubscribeTokenFor(subscriptionId: string, secret: string): string {
  return createHmac('sha256', secret).update(`${PURPOSE}\u0000${subscriptionId}`).digest('base64url');
}

export function unsubscribeUrlFor(subscriptionId: string, config: UnsubscribeLinkConfig): string {
  const base = withoutTrailingSlashes(config.baseUrl);
  return `${base}/unsubscribe/${encodeURIComponent(subscriptionId)}?token=${unsubscribeTokenFor(subscriptionId, config.secret)}`;
}

export function createUnsubscribeLinks(config: UnsubscribeLinkConfig): UnsubscribeLinks {
  if (config.secret.length < 16) throw new RangeError('the unsubscribe secret must be at least 16 characters');
  return {
    urlFor: (subscriptionId) => unsubscribeUrlFor(subscriptionId, config),
    verify(subscriptionId, token) {
      const expected = Buffer.from(unsubscribeTokenFor(subscriptionId, config.secret));
      const presented = Buffer.from(token);
      return presented.length === expected.length && timingSafeEqual(presented, expected);
    },
  };
}
