// api: API Gateway HTTP API (payload v2) -> feeds, subscriptions, deliveries and recent articles.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { withObservability } from '#shared/middleware.js';
import { articleRoutes } from './articles-routes.js';
import type { ApiDeps } from './deps.js';
import { feedRoutes } from './feeds-routes.js';
import { handleApiRequest, json, route, type Route } from './router.js';
import { subscriptionRoutes } from './subscriptions-routes.js';

export type { ApiDeps } from './deps.js';

export function createApiRoutes(deps: ApiDeps): Route[] {
  return [
    route('GET', '/health', async () => json(200, { ok: true })),
    ...feedRoutes(deps),
    ...subscriptionRoutes(deps),
    ...articleRoutes(deps),
  ];
}

export function createApiHandler(deps: ApiDeps) {
  const routes = createApiRoutes(deps);
  return withObservability(deps.logger, async (event: APIGatewayProxyEventV2, _context: Context) =>
    handleApiRequest(deps.logger, routes, event),
  );
}
