// A small router for API Gateway HTTP API (payload v2) events: routes on method + path, so the same handler serves
// API Gateway's routes and the local server. Authentication and domain errors map to status codes here, once.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import type { Principal } from '#domain/api-key.js';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.js';
import type { Logger } from '#shared/logger.js';

export type Result = APIGatewayProxyStructuredResultV2;
export type Params = Record<string, string>;

/**
 * Who may call a route. public: anyone (the OpenAPI document, signed unsubscribe links, hub callbacks); owner: any
 * valid key, scoped to its own subscriptions; admin: admin keys only.
 */
export type Access = 'public' | 'owner' | 'admin';

export interface ApiRequest {
  method: string;
  path: string;
  params: Params;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The raw body as text ('' when none). */
  rawBody: string;
  /** The raw body as bytes: for signatures over exactly what was sent (WebSub pushes in any charset). */
  rawBytes: Buffer;
  /** The body parsed as JSON; throws ValidationError (400) when it is not. */
  body: () => unknown;
  /** The authenticated caller; undefined only on public routes. */
  principal?: Principal;
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
  /** Query parameters: name -> description. */
  query?: Record<string, string>;
  /** Status -> description of the success responses (errors are documented for every route). */
  responses?: Record<number, string>;
}

export interface RouteOptions extends RouteDoc {
  /** @default 'admin': a route nobody classified is closed, never open. */
  access?: Access;
}

export interface Route {
  method: string;
  /** The path template, e.g. "/feeds/{feedId}" (used by the OpenAPI document and the infra routes). */
  path: string;
  pattern: RegExp;
  keys: string[];
  access: Access;
  doc: RouteDoc;
  run: (req: ApiRequest) => Promise<Result>;
}

/** Finds the caller of a request from its headers; undefined when no valid key is presented. */
export type Authenticate = (headers: Record<string, string | undefined>) => Promise<Principal | undefined>;

export const MAX_BODY_BYTES = 64 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function route(method: string, path: string, run: Route['run'], options: RouteOptions = {}): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' + path.replace(/\{(\w+)\}/g, (_m, key: string) => (keys.push(key), '([^/]+)')) + '/?$',
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
export function principalOf(req: ApiRequest): Principal {
  if (req.principal === undefined) throw new Error(`route ${req.method} ${req.path} ran without a principal`);
  return req.principal;
}

export function limitFrom(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new ValidationError('Invalid query', [{ path: 'limit', message: `must be an integer from 1 to ${max}` }]);
  }
  return parsed;
}

function toRequest(event: APIGatewayProxyEventV2, route: Route, path: string): ApiRequest {
  const values = route.pattern.exec(path)!.slice(1);
  const params: Params = Object.fromEntries(route.keys.map((key, i) => [key, decodeURIComponent(values[i] ?? '')]));
  const rawBytes = event.body ? Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8') : Buffer.alloc(0);
  const rawBody = event.isBase64Encoded ? rawBytes.toString('utf8') : (event.body ?? '');
  return {
    method: route.method,
    path,
    params,
    query: event.queryStringParameters ?? {},
    headers: lowerCaseHeaders(event),
    rawBody,
    rawBytes,
    body: () => {
      if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) {
        throw new ValidationError('Body too large', [{ path: '(body)', message: `at most ${MAX_BODY_BYTES} bytes` }]);
      }
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

export async function handleApiRequest(
  logger: Logger,
  routes: Route[],
  event: APIGatewayProxyEventV2,
  authenticate: Authenticate,
): Promise<Result> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const candidates = routes.filter((r) => r.pattern.test(path));
  const match = candidates.find((r) => r.method === method);
  if (!match) {
    return candidates.length > 0
      ? json(405, { error: `method ${method} not allowed on ${path}` }, { allow: candidates.map((r) => r.method).join(', ') })
      : json(404, { error: `no route ${method} ${path}` });
  }
  try {
    const req = toRequest(event, match, path);
    if (match.access !== 'public') {
      const principal = await authenticate(req.headers);
      if (principal === undefined) {
        return json(401, { error: 'missing or invalid API key: send "authorization: Bearer <key>" or "x-api-key: <key>"' }, { 'www-authenticate': 'Bearer' });
      }
      if (match.access === 'admin' && principal.scope !== 'admin') {
        return json(403, { error: `${method} ${match.path} needs an admin key` });
      }
      req.principal = principal;
    }
    return await match.run(req);
  } catch (error) {
    if (error instanceof ValidationError) return json(400, { error: error.message, issues: error.issues });
    if (error instanceof NotFoundError) return json(404, { error: error.message });
    if (error instanceof ConflictError) return json(409, { error: error.message });
    // Anything else is ours: log it whole, tell the caller nothing internal.
    logger.error('api request failed', { method, path, error: error as Error });
    return json(500, { error: 'internal error' });
  }
}
