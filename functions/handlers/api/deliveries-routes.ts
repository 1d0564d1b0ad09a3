// Replay: one failed delivery of a subscription (its owner), or the whole delivery DLQ (admin). The work is done by
// replayDelivery / redriveDeliveryDlq in handlers/deliverer.ts; these routes only authorise and map the result.
import { redriveDeliveryDlq, replayDelivery } from '../deliverer.js';
import { takeActionSlot } from './action-limits.js';
import type { ApiDeps } from './deps.js';
import { createCursors, listing, pageQuery, pageSchema, type Cursors } from './pages.js';
import { json, ok, principalOf, route, type Route } from './router.js';
import { AlertFailedRecordSchema, RedriveSchema, ReplaySchema } from './schemas.js';
import { visibleSubscription } from './visible-subscription.js';

export function deliveriesRoutes(deps: ApiDeps, cursors: Cursors = createCursors()): Route[] {
  return [
    route(
      'GET',
      '/subscriptions/{subscriptionId}/failures',
      async (req) => {
        const { subscriptionId } = await visibleSubscription(deps, req);
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
        const { subscriptionId } = await visibleSubscription(deps, req);
        await takeActionSlot(deps, principalOf(req), 'replay');
        return json(202, await replayDelivery(deps, subscriptionId, req.params.articleId!));
      },
      {
        access: 'owner',
        tags: ['deliveries'],
        summary: 'Send a delivery that failed for good again, from its first attempt',
        description: 'At most 60 a minute per owner; more answers 429 with Retry-After.',
        conflicts: true,
        rateLimited: true,
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
