// /subscriptions: create (webhook URL SSRF-checked, secret shown once), list, read, remove, delivery log.
import { NotFoundError } from '#domain/errors.js';
import { newSubscription, parseSubscriptionInput } from '#domain/subscription.js';
import type { Subscription } from '#domain/types.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import { checkUrl } from './check-url.js';
import type { ApiDeps } from './deps.js';
import { json, limitFrom, requireFound, route, type Route } from './router.js';

/** Webhook secrets are shown once, when the subscription is created; never in reads or lists. */
export function publicSubscription(subscription: Subscription): unknown {
  if (subscription.channel.type !== 'webhook') return subscription;
  const { secret: _secret, ...channel } = subscription.channel;
  return { ...subscription, channel };
}

export function subscriptionRoutes(deps: ApiDeps): Route[] {
  return [
    route('GET', '/subscriptions', async () =>
      json(200, { subscriptions: (await deps.subscriptions.list()).map(publicSubscription) }),
    ),
    route('POST', '/subscriptions', async (req) => {
      const input = parseSubscriptionInput(req.body());
      if (input.channel.type === 'webhook') await checkUrl(deps, input.channel.url, 'channel.url');
      const subscription = newSubscription(input, {
        id: 'sub_' + deps.newId(),
        now: deps.clock.now(),
        owner: input.owner ?? 'admin',
        secret: generateWebhookSecret(deps.randomBytes),
      });
      await deps.subscriptions.put(subscription);
      return json(201, subscription);
    }),
    route('GET', '/subscriptions/{subscriptionId}', async (req) =>
      json(200, publicSubscription(requireFound(await deps.subscriptions.get(req.params.subscriptionId!), 'subscription'))),
    ),
    route('DELETE', '/subscriptions/{subscriptionId}', async (req) => {
      if (!(await deps.subscriptions.delete(req.params.subscriptionId!))) throw new NotFoundError('subscription not found');
      return { statusCode: 204 };
    }),
    route('GET', '/subscriptions/{subscriptionId}/deliveries', async (req) => {
      requireFound(await deps.subscriptions.get(req.params.subscriptionId!), 'subscription');
      const limit = limitFrom(req.query.limit, 50, 500);
      return json(200, { deliveries: await deps.deliveries.listBySubscription(req.params.subscriptionId!, limit) });
    }),
  ];
}
