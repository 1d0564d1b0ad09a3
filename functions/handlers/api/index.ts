// api: API Gateway HTTP API (payload v2) -> feeds, subscriptions, keys, deliveries and recent articles, each route
// authenticated by API key (see router.ts for the access levels) except the public ones.
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { keyIdOf, presentedApiKey, verifyApiKey, type Principal } from '#domain/api-key.js';
import { withObservability } from '#shared/middleware.js';
import { articleRoutes } from './articles-routes.js';
import { consoleRoutes } from './console-routes.js';
import { deliveriesRoutes } from './deliveries-routes.js';
import type { ApiDeps } from './deps.js';
import { feedRoutes } from './feeds-routes.js';
import { keyRoutes } from './keys-routes.js';
import * as z from 'zod';
import { buildOpenApiDocument } from './openapi.js';
import { createCursors } from './pages.js';
import { handleApiRequest, json, ok, route, type Authenticate, type Route } from './router.js';
import { HealthSchema } from './schemas.js';
import { subscriptionRoutes } from './subscriptions-routes.js';
import { unsubscribeRoutes } from './unsubscribe-routes.js';

export type { ApiDeps } from './deps.js';

export function createApiRoutes(deps: ApiDeps): Route[] {
  const cursors = createCursors(deps.cursorSecret);
  const routes: Route[] = [
    route('GET', '/health', async () => json(200, { ok: true }), { access: 'public', tags: ['meta'], summary: 'Liveness', responses: { 200: ok('Up', HealthSchema) } }),
    ...feedRoutes(deps, cursors),
    ...subscriptionRoutes(deps, cursors),
    ...deliveriesRoutes(deps, cursors),
    ...keyRoutes(deps, cursors),
    ...articleRoutes(deps, cursors),
    ...unsubscribeRoutes(deps),
    ...consoleRoutes(deps),
  ];
  let document: string | undefined;
  routes.push(
    route(
      'GET',
      '/openapi.json',
      // Built once, on first request, from the final table, this route included.
      async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: (document ??= JSON.stringify(buildOpenApiDocument(routes))) }),
      {
        access: 'public',
        tags: ['meta'],
        summary: 'This OpenAPI 3.1 document',
        responses: { 200: ok('The document', z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument' })) },
      },
    ),
  );
  return routes;
}

/** One GetItem per request, consistent: a revoked key stops working at once. */
export function createKeyAuthenticator(deps: Pick<ApiDeps, 'apiKeys'>): Authenticate {
  return async (headers): Promise<Principal | undefined> => {
    const key = presentedApiKey(headers);
    const keyId = key === undefined ? undefined : keyIdOf(key);
    if (key === undefined || keyId === undefined) return undefined;
    return verifyApiKey(key, await deps.apiKeys.get(keyId));
  };
}

export function createApiHandler(deps: ApiDeps) {
  const routes = createApiRoutes(deps);
  const authenticate = createKeyAuthenticator(deps);
  return withObservability(deps, async (event: APIGatewayProxyEventV2, _context: Context) =>
    handleApiRequest(deps.logger, routes, event, authenticate),
  );
}
