// A small router for API Gateway HTTP API (payload v2) events: routes on method + path, so the same handler serves
// API Gateway's routes and the local server. Domain errors map to status codes here, once.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ConflictError, NotFoundError, ValidationError } from '#domain/errors.js';
import type { Logger } from '#shared/logger.js';

export type Result = APIGatewayProxyStructuredResultV2;
export type Params = Record<string, string>;

export interface ApiRequest {
  method: string;
  path: string;
  params: Params;
  query: Record<string, string | undefined>;
  headers: Record<string, string | undefined>;
  /** The raw body as text ('' when none). */
  rawBody: string;
  /** The body parsed as JSON; throws ValidationError (400) when it is not. */
  body: () => unknown;
}

export interface Route {
  method: string;
  /** The path template, e.g. "/feeds/{feedId}" (used by the OpenAPI document and the infra routes). */
  path: string;
  pattern: RegExp;
  keys: string[];
  run: (req: ApiRequest) => Promise<Result>;
}

export const MAX_BODY_BYTES = 64 * 1024;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): Result {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function route(method: string, path: string, run: Route['run']): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' + path.replace(/\{(\w+)\}/g, (_m, key: string) => (keys.push(key), '([^/]+)')) + '/?$',
  );
  return { method, path, pattern, keys, run };
}

export function requireFound<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new NotFoundError(`${what} not found`);
  return value;
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
  const rawBody = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
  const headers: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(event.headers ?? {})) headers[key.toLowerCase()] = value;
  return {
    method: route.method,
    path,
    params,
    query: event.queryStringParameters ?? {},
    headers,
    rawBody,
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

export async function handleApiRequest(logger: Logger, routes: Route[], event: APIGatewayProxyEventV2): Promise<Result> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const candidates = routes.filter((r) => r.pattern.test(path));
  const match = candidates.find((r) => r.method === method);
  if (!match) {
    return candidates.length > 0
      ? json(405, { error: `method ${method} not allowed on ${path}` })
      : json(404, { error: `no route ${method} ${path}` });
  }
  try {
    return await match.run(toRequest(event, match, path));
  } catch (error) {
    if (error instanceof ValidationError) return json(400, { error: error.message, issues: error.issues });
    if (error instanceof NotFoundError) return json(404, { error: error.message });
    if (error instanceof ConflictError) return json(409, { error: error.message });
    // Anything else is ours: log it whole, tell the caller nothing internal.
    logger.error('api request failed', { method, path, error: error as Error });
    return json(500, { error: 'internal error' });
  }
}
