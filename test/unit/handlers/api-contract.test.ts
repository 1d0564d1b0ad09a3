// The API contract: the OpenAPI document, the router's route table and the HTTP API routes in the CDK template must
// name exactly the same operations. Infra never imports function code, so this test holds the two together.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiRoutes, type ApiDeps } from '#handlers/api/index.js';
import { buildOpenApiDocument } from '#handlers/api/openapi.js';
import { handleApiRequest, type Route } from '#handlers/api/router.js';
import { createLogger } from '#shared/logger.js';
import { functionLogicalId, resourcesOfType, synthesizeTemplate } from '../../infra/template-helpers.js';

// Building the route table touches no dependency; a request would, and none is made except for the document.
const routes: Route[] = createApiRoutes({ logger: createLogger('test', 'SILENT') } as unknown as ApiDeps);
const routeKeys = routes.map((r) => `${r.method} ${r.path}`).sort();

type Operation = { security?: unknown[]; responses: Record<string, unknown>; requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } }; parameters?: { name: string; in: string }[] };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>> };

function documentKeys(document: Document): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`))
    .sort();
}

async function servedDocument(): Promise<Document> {
  const event = { rawPath: '/openapi.json', requestContext: { http: { method: 'GET' } }, headers: {} } as unknown as APIGatewayProxyEventV2;
  const result = await handleApiRequest(createLogger('test', 'SILENT'), routes, event, async () => undefined);
  expect(result.statusCode).toBe(200);
  return JSON.parse(String(result.body)) as Document;
}

describe('OpenAPI document', () => {
  it('is served without a key and lists every route of the router, and nothing else', async () => {
    const document = await servedDocument();

    expect(document.openapi).toBe('3.1.0');
    expect(documentKeys(document)).toEqual(routeKeys);
  });

  it('declares every path parameter, and a 401 on every route that needs a key', () => {
    const document = buildOpenApiDocument(routes) as unknown as Document;

    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      expect(operation.parameters?.filter((p) => p.in === 'path').map((p) => p.name) ?? [], route.path).toEqual(route.keys);
      if (route.access === 'public') expect(operation.security, route.path).toEqual([]);
      else expect(operation.responses, `${route.method} ${route.path}`).toHaveProperty('401');
      if (route.access === 'admin') expect(operation.responses, `${route.method} ${route.path}`).toHaveProperty('403');
    }
  });

  it('describes the subscription body from the zod schema that validates it', () => {
    const document = buildOpenApiDocument(routes) as unknown as Document;

    const create = document.paths['/subscriptions']?.post?.requestBody?.content['application/json'].schema;
    const patch = document.paths['/subscriptions/{subscriptionId}']?.patch?.requestBody?.content['application/json'].schema;

    expect(create?.required).toEqual(['channel']);
    expect(Object.keys(create?.properties as object)).toEqual(
      expect.arrayContaining(['topics', 'countries', 'countryRole', 'keywords', 'query', 'languages', 'minScore', 'frequency', 'quietHours', 'rateCapPerHour', 'channel']),
    );
    expect(patch).not.toHaveProperty('required');
  });

  it('keeps the unsubscribe link and the document itself public, and keys and feeds admin-only', () => {
    const access = Object.fromEntries(routes.map((r) => [`${r.method} ${r.path}`, r.access]));

    expect(access['GET /openapi.json']).toBe('public');
    expect(access['POST /unsubscribe/{subscriptionId}']).toBe('public');
    expect(access['POST /keys']).toBe('admin');
    expect(access['POST /feeds']).toBe('admin');
    expect(access['PATCH /subscriptions/{subscriptionId}']).toBe('owner');
  });
});

describe('infra HTTP API routes', () => {
  let apiRouteKeys: string[];

  beforeAll(() => {
    const template = synthesizeTemplate('dev');
    const apiFunction = functionLogicalId(template, 'Api');
    const integrations = resourcesOfType(template, 'AWS::ApiGatewayV2::Integration');
    const apiIntegrations = new Set(
      Object.entries(integrations)
        .filter(([, integration]) => JSON.stringify(integration.Properties.IntegrationUri).includes(`"${apiFunction}"`))
        .map(([id]) => id),
    );
    apiRouteKeys = Object.values(resourcesOfType(template, 'AWS::ApiGatewayV2::Route'))
      .filter((route) => [...apiIntegrations].some((id) => JSON.stringify(route.Properties.Target).includes(`"${id}"`)))
      .map((route) => String(route.Properties.RouteKey))
      .sort();
  }, 180_000);

  it('sends exactly the routes of the api function to it', () => {
    const missingInInfra = routeKeys.filter((key) => !apiRouteKeys.includes(key));
    const unknownToRouter = apiRouteKeys.filter((key) => !routeKeys.includes(key));

    expect({ missingInInfra, unknownToRouter }).toEqual({ missingInInfra: [], unknownToRouter: [] });
  });
});

