// The OpenAPI 3.1 document, generated from the route table and the same zod schemas that validate the input and
// describe the answers, so the contract cannot drift from the code: requests (path ids, query, body), every success
// answer with its schema, the problem+json errors each route can give, and the webhook events (`webhooks`).
// test/unit/handlers/api-openapi.test.ts checks the document; the API tests validate real answers against it.
import * as z from 'zod';
import { WEBHOOK_EVENTS } from '#domain/event-schemas.js';
import { PATH_PARAMS, isPathParamName } from './path-params.js';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from './problem.js';
import type { Route } from './router.js';

type JsonObject = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';
const SHARED = '__shared';

/** The error answers a route can give, from how it is declared; anything else is `default` (429, 500, 503...). */
const ERROR_RESPONSES: Record<string, { description: string; when: (route: Route) => boolean }> = {
  '400': { description: 'Bad input: malformed id, unknown or invalid query parameter, invalid body; `errors` names each field', when: () => true },
  '401': { description: 'Missing or invalid API key', when: (r) => r.access !== 'public' },
  '403': { description: 'An owner key on an admin route', when: (r) => r.access === 'admin' },
  '404': { description: "Not found (also: another owner's subscription)", when: (r) => r.keys.length > 0 },
  '409': { description: 'Conflicts with the current state', when: (r) => r.doc.conflicts === true },
  '413': { description: 'Body too large', when: (r) => r.doc.body !== undefined },
  '415': { description: 'Body in a media type this route does not take', when: (r) => r.doc.body !== undefined },
  '429': { description: "Over the owner's rate for this action: `Retry-After` says when to try again", when: (r) => r.doc.rateLimited === true },
};

function withoutDialect(schema: JsonObject): JsonObject {
  const { $schema: _dialect, $id: _id, ...rest } = schema;
  return rest;
}

/** Rewrites zod's refs into its "__shared" bucket to plain component refs, everywhere in `value`. */
function hoistRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hoistRefs);
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof child === 'string' ? child.replace(`${REF_PREFIX}${SHARED}#/$defs/`, REF_PREFIX) : hoistRefs(child);
  }
  return out;
}

/** Output schemas (answers, events) as components: every named zod schema once, referenced from where it is used. */
class Components {
  private readonly registry = z.registry<{ id: string }>();
  private readonly ids = new Map<z.ZodType, string>();

  /** A $ref to the schema's component: its zod `id` meta if it has one, else `fallbackId`. */
  ref(schema: z.ZodType, fallbackId: string): JsonObject {
    let id = this.ids.get(schema);
    if (id === undefined) {
      id = schema.meta()?.id ?? fallbackId;
      this.ids.set(schema, id);
      this.registry.add(schema, { id });
    }
    return { $ref: REF_PREFIX + id };
  }

  build(): Record<string, JsonObject> {
    const generated = z.toJSONSchema(this.registry, { io: 'output', unrepresentable: 'any', uri: (id) => REF_PREFIX + id }) as {
      schemas: Record<string, JsonObject>;
    };
    const schemas: Record<string, JsonObject> = {};
    for (const [id, schema] of Object.entries(generated.schemas)) {
      if (id === SHARED) {
        for (const [sharedId, shared] of Object.entries((schema.$defs ?? {}) as Record<string, JsonObject>)) schemas[sharedId] = shared;
      } else {
        schemas[id] = withoutDialect(schema);
      }
    }
    return hoistRefs(Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)))) as Record<string, JsonObject>;
  }
}

/** An input schema inline (request body, parameter): what a caller sends, before defaults and transforms. */
function inputSchema(schema: z.ZodType): JsonObject {
  return withoutDialect(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
}

function parametersOf(route: Route): JsonObject[] {
  const path = route.keys.map((key) => {
    const schema = isPathParamName(key) ? inputSchema(PATH_PARAMS[key]) : { type: 'string' };
    const { description, ...rest } = schema;
    return { name: key, in: 'path', required: true, ...(description ? { description } : {}), schema: rest };
  });
  const shape = (route.doc.query?.shape ?? {}) as Record<string, z.ZodType>;
  const query = Object.entries(shape).map(([name, field]) => {
    const { description, ...schema } = inputSchema(field);
    return { name, in: 'query', required: !field.safeParse(undefined).success, ...(description ? { description } : {}), schema };
  });
  return [...path, ...query];
}

function requestBodyOf(route: Route): JsonObject | undefined {
  if (route.doc.body === undefined) return undefined;
  // Refinements cannot be expressed and are described by the 400 answer instead.
  const schema = inputSchema(route.doc.body);
  if (route.doc.partialBody) delete schema.required;
  const content: JsonObject = { 'application/json': { schema } };
  for (const type of route.doc.otherBodyTypes ?? []) content[type] = { schema: { type: 'string' } };
  return { required: !route.doc.optionalBody, content };
}

function operationFor(route: Route, components: Components): JsonObject {
  const operationId = operationIdOf(route);
  const responses: JsonObject = {};
  for (const [status, answer] of Object.entries(route.doc.responses ?? { 200: { description: 'OK' } })) {
    responses[status] =
      answer.schema === undefined
        ? { description: answer.description }
        : {
            description: answer.description,
            content: { [answer.contentType ?? 'application/json']: { schema: components.ref(answer.schema, `${operationId}${status}`) } },
          };
  }
  const problem = { [PROBLEM_CONTENT_TYPE]: { schema: components.ref(ProblemSchema, 'Problem') } };
  for (const [status, error] of Object.entries(ERROR_RESPONSES)) {
    if (error.when(route)) responses[status] = { description: error.description, content: problem };
  }
  responses.default = { description: 'Any other error (429 slow down, 500, 503): problem details', content: problem };
  const parameters = parametersOf(route);
  const body = requestBodyOf(route);
  return {
    operationId,
    ...(route.doc.summary ? { summary: route.doc.summary } : {}),
    ...(route.doc.description ? { description: route.doc.description } : {}),
    ...(route.doc.tags ? { tags: route.doc.tags } : {}),
    'x-access': route.access,
    // An empty list overrides the document's default: no key needed.
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

/** "POST /subscriptions/{subscriptionId}/rotate-secret" -> "postSubscriptionsBySubscriptionIdRotateSecret". */
export function operationIdOf(route: Pick<Route, 'method' | 'path'>): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/^\{(\w+)\}$/, 'by-$1'))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return [route.method.toLowerCase(), ...words.map((w) => w.charAt(0).toUpperCase() + w.slice(1))].join('');
}

/** Standard Webhooks: every event is a signed POST to the subscriber's URL, with these headers. */
function webhooksOf(components: Components): JsonObject {
  const header = (name: string, description: string) => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  const webhooks: JsonObject = {};
  for (const [type, schema] of Object.entries(WEBHOOK_EVENTS)) {
    webhooks[type] = {
      post: {
        operationId: `webhook${operationIdOf({ method: '', path: type.replace('.', '-') })}`,
        summary: schema.meta()?.description ?? type,
        parameters: [
          header('webhook-id', 'The event id (the body\'s `id`): deduplicate on it'),
          header('webhook-timestamp', 'Unix seconds when it was signed'),
          header('webhook-signature', 'v1,<base64 HMAC-SHA256 of "id.timestamp.body"> (space-separated during a secret rotation)'),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: components.ref(schema, type) } } },
        responses: {
          '2XX': { description: 'Received. Anything else is retried (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); 410 disables the subscription' },
        },
      },
    };
  }
  return webhooks;
}

export function buildOpenApiDocument(routes: readonly Route[], info: { version: string } = { version: '1' }): JsonObject {
  const components = new Components();
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.method.toLowerCase()] = operationFor(route, components);
  }
  const webhooks = webhooksOf(components);
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'newsalert',
      version: info.version,
      description:
        'News alerts by topic, country and keyword. Keys: "admin" for everything, "owner" for one owner\'s subscriptions. ' +
        'Lists are paged (limit, cursor, nextCursor); errors are RFC 9457 problem details; unknown query parameters are a 400.',
    },
    paths,
    webhooks,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'authorization: Bearer <API key>' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
      },
      schemas: components.build(),
    },
    // Either scheme: the API accepts the key in either header.
    security: [{ bearer: [] }, { apiKey: [] }],
  };
}
