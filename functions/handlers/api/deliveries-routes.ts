// Replay: one failed delivery of a subscription (its owner), or the whole delivery DLQ (admin). The work is done by
// replayDelivery / redriveDeliveryDlq in handlers/deliverer.ts; these routes only authorise and map the result.
import { NotFoundError } from '#domain/errors.js';
import type { Principal } from '#domain/api-key.js';
import { redriveDeliveryDlq, replayDelivery } from '../deliverer.js';
import type { ApiDeps } from './deps.js';
import { createCursors, listing, pageQuery, pageSchema, type Cursors } from './pages.js';
import { json, ok, principalOf, route, type ApiRequest, type Route } from './router.js';
import { AlertFailedRecordSchema, RedriveSchema, ReplaySchema } from './schemas.js';

function canSee(principal: Principal, owner: string): boolean {
  return principal.scope === 'admin' || owner === principal.owner;
}

/** 404 for another owner's subscription, as for a missing one: an owner cannot even learn that it exists. */
async function requireVisible(deps: ApiDeps, req: ApiRequest<unknown>): Promise<string> {
  const subscriptionId = req.params.subscriptionId!;
  const subscription = await deps.subscriptions.get(subscriptionId);
  if (subscription === undefined || !canSee(principalOf(req), subscription.owner)) throw new NotFoundError('subscription not found');
  return subscriptionId;
}

export function deliveriesRoutes(deps: ApiDeps, cursors: Cursors = createCursors()): Route[] {
  return [
    route(
      'GET',
      '/subscriptions/{subscriptionId}/failures',
      async (req) => {
        const subscriptionId = await requireVisible(deps, req);
        const failures = listing(cursors, `failures:${subscriptionId}`);
        return failures.answer(req, 'failures', await deps.deliveries.listFailures(subscriptionId, failures.request(req.query)));
      },
      {
        access: 'owner',
        tags: ['deliveries'],
        summary: 'The alert.failed records of a subscription, a page at a time',
        query: pageQuery({ defaultLimit: 50, maxLimit: 500 }),
        responses: { 200: ok('A page of failures', pageSchema('failures', AlertFailedRecordSchema)) },
      },
    ),
    route(
      'POST',
      '/subscriptions/{subscriptionId}/deliveries/{articleId}/replay',
      async (req) => {
        const subscriptionId = await requireVisible(deps, req);
        return json(202, await replayDelivery(deps, subscriptionId, req.params.articleId!));
      },
      {
        access: 'owner',
        tags: ['deliveries'],
        summary: 'Send a delivery that failed for good again, from its first attempt',
        conflicts: true,
        responses: { 202: ok('Enqueued', ReplaySchema) },
      },
    ),
    route(
      'POST',
      '/deliveries/dlq/redrive',
      async () => {
        return json(202, await redriveDeliveryDlq({ deliveryDeadLetters: deps.deliveryDeadLetters, logger: deps.logger }));
      },
      { access: 'admin', tags: ['deliveries'], summary: 'Move every dead-lettered delivery back to the delivery queue', responses: { 202: ok('Started', RedriveSchema) } },
    ),
  ];
}
