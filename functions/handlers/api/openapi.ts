// The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate the bodies, so
// the contract cannot drift from the code (test/unit/handlers/api-openapi.test.ts holds both to it).
import * as z from 'zod';
import type { Route } from './router.js';

type JsonObject = Record<string, unknown>;

const ERROR_RESPONSES: Record<string, { description: string; when: (route: Route) => boolean }> = {
  '400': { description: 'Bad input: `issues` names each field and what is wrong with it', when: (r) => r.doc.body !== undefined || r.doc.query !== undefined || r.keys.length > 0 },
  '401': { description: 'Missing or invalid API key', when: (r) => r.access !== 'public' },
  '403': { description: 'An owner key on an admin route', when: (r) => r.access === 'admin' },
  '404': { description: 'Not found (also: another owner\'s subscription)', when: (r) => r.keys.length > 0 },
};

function bodySchema(route: Route): JsonObject | undefined {
  if (route.doc.body === undefined) return undefined;
  // Input side: what a caller sends (before defaults and transforms). Refinements cannot be expressed and are
  // described by the 400 answer instead.
  const { $schema: _dialect, ...schema } = z.toJSONSchema(route.doc.body, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  if (route.doc.partialBody) delete schema.required;
  return schema;
}

function operationFor(route: Route): JsonObject {
  const parameters = [
    ...route.keys.map((key) => ({ name: key, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(route.doc.query ?? {}).map(([name, description]) => ({ name, in: 'query', required: false, description, schema: { type: 'string' } })),
  ];
  const responses: JsonObject = {};
  for (const [status, description] of Object.entries(route.doc.responses ?? { 200: 'OK' })) {
    responses[status] = status === '204' ? { description } : { description, content: { 'application/json': { schema: { type: 'object' } } } };
  }
  for (const [status, error] of Object.entries(ERROR_RESPONSES)) {
    if (error.when(route)) responses[status] = { description: error.description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  }
  const body = bodySchema(route);
  return {
    operationId: operationIdOf(route),
    ...(route.doc.summary ? { summary: route.doc.summary } : {}),
    ...(route.doc.description ? { description: route.doc.description } : {}),
    ...(route.doc.tags ? { tags: route.doc.tags } : {}),
    'x-access': route.access,
    // An empty list overrides the document's default: no key needed.
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: { 'application/json': { schema: body } } } } : {}),
    responses,
  };
}

/** "POST /subscriptions/{subscriptionId}/rotate-secret" -> "postSubscriptionsBySubscriptionIdRotateSecret". */
export function operationIdOf(route: Route): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/^\{(\w+)\}$/, 'by-$1'))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

export function buildOpenApiDocument(routes: readonly Route[], info: { version: string } = { version: '1' }): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationFor(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'newsalert',
      version: info.version,
      description: 'News alerts by topic, country and keyword. Keys: "admin" for everything, "owner" for one owner\'s subscriptions.',
    },
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'authorization: Bearer <API key>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: { type: 'string' },
            issues: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
    // Either scheme: the API accepts the key in either header.
    security: [{ bearer: [] }, { apiKey: [] }],
  };
}
