// The API contract: the OpenAPI document, the router's route table and the HTTP API routes in the CDK template must
// name exactly the same operations. Infra never imports function code, so this test holds the two together.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiRoutes, type ApiDeps } from '#handlers/api/index.js';
import { buildOpenApiDocument } from '#handlers/api/openapi.js';
import { handleApiRequest, type Route } from '#handlers/api/router.js';
import { createLogger } from '#shared/logger.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ContractValidator } from '../../helpers/openapi.js';
import { functionLogicalId, resourcesOfType, synthesizeTemplate } from '../../infra/template-helpers.js';

// Building the route table touches no dependency; a request would, and none is made except for the document.
const routes: Route[] = createApiRoutes({ logger: createLogger('test', 'SILENT') } as unknown as ApiDeps);
const routeKeys = routes.map((r) => `${r.method} ${r.path}`).sort();

type Operation = {
  security?: unknown[];
  responses: Record<string, unknown>;
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  parameters?: { name: string; in: string; schema: Record<string, unknown> }[];
};
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

  it('is a valid OpenAPI 3.1 document by the OpenAPI Initiative schema', async () => {
    const document = await servedDocument();

    const result = await new Validator().validate(document as unknown as Record<string, unknown>);

    expect(result.errors ?? [], JSON.stringify(result.errors ?? []).slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents the status codes the routes really answer, each success with its schema', () => {
    const document = buildOpenApiDocument(routes) as unknown as Document;
    const successes = (path: string, method: string) => Object.keys(document.paths[path]?.[method]?.responses ?? {}).filter((s) => s.startsWith('2'));

    expect(successes('/feeds', 'post')).toEqual(['201']);
    expect(successes('/feeds/{feedId}', 'delete')).toEqual(['204']);
    expect(successes('/keys', 'post')).toEqual(['201']);
    expect(successes('/subscriptions/{subscriptionId}/test', 'post')).toEqual(['202']);
    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      for (const [status, response] of Object.entries(operation.responses)) {
        const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
        if (status === '204') expect(content, `${route.method} ${route.path} ${status}`).toBeUndefined();
        else expect(Object.values(content ?? {})[0]?.schema, `${route.method} ${route.path} ${status}`).toBeDefined();
      }
      expect(Object.keys(operation.responses), `${route.method} ${route.path}`).toEqual(expect.arrayContaining(['400', 'default']));
    }
  });

  it('describes every error as problem+json, and the feed body from the zod schema that parses it', () => {
    const document = buildOpenApiDocument(routes) as unknown as Document & { components: { schemas: Record<string, { required?: string[] }> } };
    const addFeed = document.paths['/feeds']?.post;

    expect(addFeed?.requestBody?.content['application/json'].schema.required).toEqual(['url']);
    expect(Object.keys(addFeed?.responses ?? {})).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', 'default']));
    expect(addFeed?.responses['409']).toMatchObject({ content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    expect(document.components.schemas.Problem?.required).toEqual(['type', 'title', 'status']);
  });

  it('declares pattern and length of every path id, and the limit bounds and cursor of every list', () => {
    const document = buildOpenApiDocument(routes) as unknown as Document;

    for (const route of routes) {
      const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation;
      for (const parameter of operation.parameters?.filter((p) => p.in === 'path') ?? []) {
        expect(parameter.schema, `${route.path} ${parameter.name}`).toMatchObject({ type: 'string', pattern: expect.any(String), maxLength: expect.any(Number) });
      }
    }
    for (const [path, items] of [['/feeds', 'feeds'], ['/subscriptions', 'subscriptions'], ['/articles', 'articles'], ['/keys', 'keys'], ['/subscriptions/{subscriptionId}/deliveries', 'deliveries'], ['/subscriptions/{subscriptionId}/failures', 'failures']] as const) {
      const operation = document.paths[path]?.get as Operation & Required<Pick<Operation, 'parameters'>>;
      expect(operation.parameters.find((p) => p.name === 'limit')?.schema, path).toMatchObject({ type: 'integer', minimum: 1, maximum: expect.any(Number) });
      expect(operation.parameters.map((p) => p.name), path).toContain('cursor');
      const ok = operation.responses['200'] as { content: { 'application/json': { schema: { $ref: string } } } };
      const schemaName = ok.content['application/json'].schema.$ref.split('/').pop()!;
      const page = (document as unknown as { components: { schemas: Record<string, { properties: Record<string, unknown> }> } }).components.schemas[schemaName];
      expect(Object.keys(page?.properties ?? {}), path).toEqual([items, 'nextCursor']);
    }
  });

  it('publishes the JSON Schema of every event type under webhooks', () => {
    const contract = new ContractValidator();

    expect(Object.keys(contract.document.webhooks).sort()).toEqual(['alert.created', 'alert.failed', 'digest.created', 'story.updated', 'test']);
    expect(contract.checkEvent('alert.created', { type: 'alert.created' })).not.toEqual([]);
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

