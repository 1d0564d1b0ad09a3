// A small router for API Gateway HTTP API (payload v2) events: routes on method + path, so the same handler serves
// API Gateway's routes and the local server. Input is checked and errors are answered here, once.
//
// Adding a route, the one way (every route of the API and of later issues is written like this):
//
//   route('GET', '/things/{thingId}', async (req) => json(200, await find(req.params.thingId!)), {
//     access: 'owner',                               // 'public' | 'owner' | 'admin' (the default: closed)
//     summary: 'Read a thing', tags: ['things'],
//     query: queryOf({ view: z.enum(['short', 'full']).optional() }),  // every query parameter; others: 400
//     body: ThingInputSchema,                        // a JSON body (documented; another media type: 415)
//     responses: { 200: ok('The thing', ThingSchema) },                 // every success status, with its schema
//   });
//
// - Path parameters are named in path-params.ts (pattern and length): a malformed id is a 400 before the handler
//   runs; a well-formed one that names nothing is the handler's 404.
// - A list takes `pageQuery(...)` and answers `pageOf(...)` (pages.ts): `limit`, a signed `cursor`, `nextCursor`.
// - Errors: throw ValidationError / NotFoundError / ConflictError (#domain/errors) or HttpProblem (problem.ts); the
//   answer is application/problem+json (RFC 9457) with the field errors kept. Anything else is a bare 500.
// - The OpenAPI document (openapi.ts) is generated from this table and the same zod schemas; the API tests validate
//   every route's answers against it.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import * as z from 'zod';
import type { Principal } from '#domain/api-key.js';
import { NotFoundError, ValidationError } from '#domain/errors.js';
import type { Logger } from '#shared/logger.js';
import { isPathParamName, PATH_PARAMS } from './path-params.js';
import { HttpProblem, internalProblem, problemFromError, problemResponse } from './problem.js';

export type Result = APIGatewayProxyStructuredResultV2;
export type Params = Record<string, string>;

/**
 * Who may call a route. public: anyone (the OpenAPI document, signed unsubscribe links, hub callbacks); owner: any
 * valid key, scoped to its own subscriptions; admin: admin keys only.
 */
export type Access = 'public' | 'owner' | 'admin';

/** The query parameters a route takes, as a zod object of string inputs (queryOf builds a strict one). */
export type QuerySchema = z.ZodObject;
type QueryOf<Q extends QuerySchema> = z.output<Q>;

export interface ApiRequest<Query = Record<string, unknown>> {
  method: string;
  path: string;
  /** Path parameters, percent-decoded and checked against path-params.ts. */
  params: Params;
  /** The query, parsed by the route's `query` schema. */
  query: Query;
  headers: Record<string, string | undefined>;
  /** The raw body as text ('' when none). */
  rawBody: string;
  /** The raw body as bytes: for signatures over exactly what was sent (WebSub pushes in any charset). */
  rawBytes: Buffer;
  /** The body parsed as JSON; throws ValidationError (400) when it is not, HttpProblem 413 when too large. */
  body: () => unknown;
  /** The authenticated caller; undefined only on public routes. */
  principal?: Principal;
  /** The id problem answers quote in `instance` (API Gateway's request id). */
  requestId: string;
}

/** A success answer in the document: what it means, and the schema of its body (none for 204). */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** @default 'application/json' */
  contentType?: string;
}

/** What the OpenAPI document says about a route; the route table is the single source of both. */
export interface RouteDoc {
  summary?: string;
  description?: string;
  tags?: string[];
  /** The JSON body, when the route takes one. */
  body?: z.ZodType;
  /** Every field of `body` is optional (PATCH): the document drops its required list. */
  partialBody?: boolean;
  /** The body may be left out altogether (its fields all have defaults). */
  optionalBody?: boolean;
  /** Media types the body may have besides JSON (e.g. OPML); the body schema describes the JSON form. */
  otherBodyTypes?: string[];
  /** The route can answer 409 (a conflict with the current state). */
  conflicts?: boolean;
  /** The route is limited per owner: it can answer 429 with Retry-After. */
  rateLimited?: boolean;
  /** The query parameters; absent = none (any parameter is a 400). */
  query?: QuerySchema;
  /** Status -> the success answers (errors are documented for every route from how it is declared). */
  responses?: Record<number, ResponseDoc>;
}

export interface RouteOptions<Q extends QuerySchema> extends Omit<RouteDoc, 'query'> {
  /** @default 'admin': a route nobody classified is closed, never open. */
  access?: Access;
  query?: Q;
}

export interface Route {
  method: string;
  /** The path template, e.g. "/feeds/{feedId}" (used by the OpenAPI document and the infra routes). */
  path: string;
  pattern: RegExp;
  keys: string[];
  access: Access;
  doc: RouteDoc;
  // Method syntax on purpose: each route's handler takes its own parsed query type.
  run(req: ApiRequest): Promise<Result>;
}

/** Finds the caller of a request from its headers; undefined when no valid key is presented. */
export type Authenticate = (headers: Record<string, string | undefined>) => Promise<Principal | undefined>;

export const MAX_BODY_BYTES = 64 * 1024;
const NO_QUERY = z.strictObject({});

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** A documented success answer with a JSON body. */
export function ok(description: string, schema: z.ZodType): ResponseDoc {
  return { description, schema };
}

/** The query parameters of a route: exactly these (each optional unless its schema says otherwise). */
export function queryOf<S extends z.ZodRawShape>(shape: S): z.ZodObject<S, z.core.$strict> {
  return z.strictObject(shape);
}

export function route<Q extends QuerySchema = typeof NO_QUERY>(
  method: string,
  path: string,
  run: (req: ApiRequest<QueryOf<Q>>) => Promise<Result>,
  options: RouteOptions<Q> = {},
): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' +
      path.replace(/\{(\w+)\}/g, (_m, key: string) => {
        if (!isPathParamName(key)) throw new Error(`route ${method} ${path}: name {${key}} in path-params.ts first`);
        keys.push(key);
        return '([^/]+)';
      }) +
      '/?$',
  );
  const { access = 'admin', ...doc } = options;
  return { method, path, pattern, keys, access, doc, run };
}

/** The same routes, opened to everyone: for callbacks that authenticate themselves (signed links, hub signatures). */
export function publicRoutes(routes: Route[]): Route[] {
  return routes.map((r) => ({ ...r, access: 'public' as const }));
}

export function requireFound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFoundError(`${what} not found`);
  return value;
}

/** The caller of a non-public route (the router guarantees one). */
export function principalOf(req: ApiRequest<unknown>): Principal {
  if (req.principal === undefined) throw new Error(`route ${req.method} ${req.path} ran without a principal`);
  return req.principal;
}

function decodeParams(route: Route, path: string): Params {
  const values = route.pattern.exec(path)?.slice(1) ?? [];
  const params: Params = {};
  const issues: { path: string; message: string }[] = [];
  route.keys.forEach((key, i) => {
    let value: string;
    try {
      value = decodeURIComponent(values[i] ?? '');
    } catch {
      issues.push({ path: key, message: 'malformed percent-encoding' });
      return;
    }
    const checked = isPathParamName(key) ? PATH_PARAMS[key].safeParse(value) : undefined;
    if (checked?.success !== true) issues.push({ path: key, message: checked?.error.issues[0]?.message ?? 'not a valid id' });
    params[key] = value;
  });
  if (issues.length > 0) throw new ValidationError(`Malformed ${issues.map((i) => i.path).join(', ')}`, issues);
  return params;
}

function parseQuery(route: Route, raw: Record<string, string | undefined>): Record<string, unknown> {
  const parsed = (route.doc.query ?? NO_QUERY).safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: key, message: 'unknown query parameter' }))
      : [{ path: issue.path.map(String).join('.'), message: issue.message }],
  );
  const unknown = issues.filter((i) => i.message === 'unknown query parameter').map((i) => i.path);
  const accepted = Object.keys((route.doc.query ?? NO_QUERY).shape);
  const detail =
    unknown.length > 0
      ? `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => JSON.stringify(k)).join(', ')}; ` +
        (accepted.length > 0 ? `this route takes ${accepted.join(', ')}` : 'this route takes none')
      : 'Invalid query';
  throw new ValidationError(detail.slice(0, 500), issues);
}

function isJsonMediaType(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function checkMediaType(route: Route, headers: Record<string, string | undefined>, rawBody: string): void {
  if (route.doc.body === undefined || rawBody === '') return;
  const contentType = headers['content-type'];
  if (isJsonMediaType(contentType)) return;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (route.doc.otherBodyTypes?.includes(type)) return;
  const accepted = ['application/json', ...(route.doc.otherBodyTypes ?? [])].join(', ');
  throw new HttpProblem(415, `send the body as ${accepted}`, { headers: { 'accept-post': accepted } });
}

function toRequest(event: APIGatewayProxyEventV2, route: Route, path: string, requestId: string, headers: ApiRequest['headers']): ApiRequest {
  const params = decodeParams(route, path);
  const query = parseQuery(route, event.queryStringParameters ?? {});
  const rawBytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const rawBody = event.isBase64Encoded ? rawBytes.toString('utf8') : (event.body ?? '');
  checkMediaType(route, headers, rawBody);
  return {
    method: route.method,
    path,
    params,
    query,
    headers,
    rawBody,
    rawBytes,
    requestId,
    body: () => {
      if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) throw new HttpProblem(413, `a JSON body may have at most ${MAX_BODY_BYTES} bytes`);
      try {
        return JSON.parse(rawBody) as unknown;
      } catch {
        throw new ValidationError('Malformed JSON body', [{ path: '(body)', message: 'not valid JSON' }]);
      }
    },
  };
}

function lowerCaseHeaders(event: APIGatewayProxyEventV2): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) headers[key.toLowerCase()] = value;
  return headers;
}

/** The caller, or the 401/403 answer. Before any input is parsed: a caller without a key learns nothing more. */
async function authorize(
  match: Route,
  headers: ApiRequest['headers'],
  authenticate: Authenticate,
  instance: string,
): Promise<{ principal?: Principal; refused?: Result }> {
  if (match.access === 'public') return {};
  const principal = await authenticate(headers);
  if (principal === undefined) {
    const detail = 'missing or invalid API key: send "authorization: Bearer <key>" or "x-api-key: <key>"';
    return { refused: problemResponse({ status: 401, detail, instance }, { 'www-authenticate': 'Bearer' }) };
  }
  if (match.access === 'admin' && principal.scope !== 'admin') {
    return { refused: problemResponse({ status: 403, detail: `${match.method} ${match.path} needs an admin key`, instance }) };
  }
  return { principal };
}

export async function handleApiRequest(
  logger: Logger,
  routes: Route[],
  event: APIGatewayProxyEventV2,
  authenticate: Authenticate,
): Promise<Result> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const requestId = event.requestContext?.requestId ?? randomUUID();
  const instance = `urn:newsalert:request:${requestId}`;
  const candidates = routes.filter((r) => r.pattern.test(path));
  const match = candidates.find((r) => r.method === method);
  if (!match) {
    // The path is not echoed whole: it is the caller's own input, and may be megabytes long.
    const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
    return candidates.length > 0
      ? problemResponse({ status: 405, detail: `${method.slice(0, 20)} is not allowed here`, instance }, { allow: candidates.map((r) => r.method).join(', ') })
      : problemResponse({ status: 404, detail: `no route for ${JSON.stringify(shown)}`, instance });
  }
  try {
    const headers = lowerCaseHeaders(event);
    const { principal, refused } = await authorize(match, headers, authenticate, instance);
    if (refused !== undefined) return refused;
    const req = toRequest(event, match, path, requestId, headers);
    if (principal !== undefined) req.principal = principal;
    return await match.run(req);
  } catch (error) {
    const answer = problemFromError(error, instance);
    if (answer !== undefined) return answer;
    // Anything else is ours: log it whole, tell the caller nothing internal.
    logger.error('api request failed', { method, path: path.slice(0, 500), requestId, error: error as Error });
    return internalProblem(instance);
  }
}
