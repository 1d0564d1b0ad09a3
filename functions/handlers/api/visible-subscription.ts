// Owner keys see only their own subscriptions: anyone else's is "not found" (404), exactly like a missing one, so
// ids cannot be probed.
import type { Principal } from '#domain/api-key.js';
import { NotFoundError } from '#domain/errors.js';
import type { Subscription } from '#domain/types.js';
import type { ApiDeps } from './deps.js';
import { principalOf, type ApiRequest } from './router.js';

/** The subscription, if the caller may see it. Another owner's subscription is indistinguishable from none. */
export async function visibleSubscription(deps: Pick<ApiDeps, 'subscriptions'>, req: ApiRequest<unknown>): Promise<Subscription> {
  const principal = principalOf(req);
  const subscription = await deps.subscriptions.get(req.params.subscriptionId!);
  if (subscription === undefined || !canSee(principal, subscription)) throw new NotFoundError('subscription not found');
  return subscription;
}

function canSee(principal: Principal, subscription: Subscription): boolean {
  return principal.scope === 'admin' || subscription.owner === principal.owner;
}

