// api: API Gateway HTTP API (payload v2) -> feeds, subscriptions, deliveries and recent articles.
// Routing is done here on method + path, so the same handler serves API Gateway's routes and the local server.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ConflictError, FeedError, NotFoundError, ValidationError } from '#domain/errors.js';
import { newFeed, parseFeedInput } from '#domain/feed.js';
import { newSubscription, parseSubscriptionInput } from '#domain/subscription.js';
import { generateWebhookSecret } from '#domain/webhook-signature.js';
import type { Subscription } from '#domain/types.js';
import { withObservability } from '#shared/middleware.js';
import type { PipelineDeps } from './deps.js';

export type ApiDeps = Pick<
  PipelineDeps,
  'feeds' | 'subscriptions' | 'deliveries' | 'articles' | 'assertUrlAllowed' | 'clock' | 'newId' | 'randomBytes' | 'logger'
>;

type Result = APIGatewayProxyStructuredResultV2;
type Params = Record<string, string>;
type Route = { method: string; pattern: RegExp; keys: string[]; run: (req: Request) => Promise<Result> };
interface Request {
  params: Params;
  query: Record<string, string | undefined>;
  body: () => unknown;
}

const MAX_BODY_BYTES = 64 * 1024;

function json(statusCode: number, body: unknown): Result {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** Webhook secrets are shown once, when the subscription is created; never in reads or lists. */
function publicSubscription(subscription: Subscription): unknown {
  if (subscription.channel.type !== 'webhook') return subscription;
  const { secret: _secret, ...channel } = subscription.channel;
  return { ...subscription, channel };
}

function limitFrom(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new ValidationError('Invalid query', [{ path: 'limit', message: `must be an integer from 1 to ${max}` }]);
  }
  return parsed;
}

function route(method: string, path: string, run: Route['run']): Route {
  const keys: string[] = [];
  const pattern = new RegExp(
    '^' + path.replace(/\{(\w+)\}/g, (_m, key: string) => (keys.push(key), '([^/]+)')) + '/?$',
  );
  return { method, pattern, keys, run };
}

export function createApiRoutes(deps: ApiDeps): Route[] {
  const requireFound = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new NotFoundError(`${what} not found`);
    return value;
  };
  const checkUrl = async (url: string, field: string) => {
    try {
      await deps.assertUrlAllowed(url);
    } catch (error) {
      if (error instanceof FeedError) throw new ValidationError('URL not allowed', [{ path: field, message: `${error.reason}: ${error.message}` }]);
      throw error;
    }
  };
  return [
    route('GET', '/health', async () => json(200, { ok: true })),
    route('GET', '/feeds', async () => json(200, { feeds: await deps.feeds.list() })),
    route('POST', '/feeds', async (req) => {
      const input = parseFeedInput(req.body());
      await checkUrl(input.url, 'url');
      const feed = newFeed(input, deps.clock.now());
      if (!(await deps.feeds.create(feed))) throw new ConflictError(`feed ${feed.feedId} exists already`);
      return json(201, feed);
    }),
    route('GET', '/feeds/{feedId}', async (req) => json(200, requireFound(await deps.feeds.get(req.params.feedId!), 'feed'))),
    route('DELETE', '/feeds/{feedId}', async (req) => {
      if (!(await deps.feeds.delete(req.params.feedId!))) throw new NotFoundError('feed not found');
      return { statusCode: 204 };
    }),
    route('GET', '/subscriptions', async () =>
      json(200, { subscriptions: (await deps.subscriptions.list()).map(publicSubscription) }),
    ),
    route('POST', '/subscriptions', async (req) => {
      const input = parseSubscriptionInput(req.body());
      if (input.channel.type === 'webhook') await checkUrl(input.channel.url, 'channel.url');
      const subscription = newSubscription(input, {
        id: 'sub_' + deps.newId(),
        now: deps.clock.now(),
        owner: input.owner ?? 'admin',
        secret: generateWebhookSecret(deps.randomBytes),
      });
      await deps.subscriptions.put(subscription);
      return json(201, subscription);
    }),
    route('GET', '/subscriptions/{subscriptionId}', async (req) =>
      json(200, publicSubscription(requireFound(await deps.subscriptions.get(req.params.subscriptionId!), 'subscription'))),
    ),
    route('DELETE', '/subscriptions/{subscriptionId}', async (req) => {
      if (!(await deps.subscriptions.delete(req.params.subscriptionId!))) throw new NotFoundError('subscription not found');
      return { statusCode: 204 };
    }),
    route('GET', '/subscriptions/{subscriptionId}/deliveries', async (req) => {
      requireFound(await deps.subscriptions.get(req.params.subscriptionId!), 'subscription');
      const limit = limitFrom(req.query.limit, 50, 500);
      return json(200, { deliveries: await deps.deliveries.listBySubscription(req.params.subscriptionId!, limit) });
    }),
    route('GET', '/articles', async (req) => {
      const limit = limitFrom(req.query.limit, 20, 200);
      const topic = req.query.topic;
      const country = req.query.country?.toUpperCase();
      if (topic !== undefined && !/^medtop:\d{8}$/.test(topic)) {
        throw new ValidationError('Invalid query', [{ path: 'topic', message: 'must be an IPTC code like medtop:11000000' }]);
      }
      if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
        throw new ValidationError('Invalid query', [{ path: 'country', message: 'must be an ISO 3166-1 alpha-2 code' }]);
      }
      const articles = await deps.articles.listRecent({
        limit,
        ...(topic ? { topic } : {}),
        ...(country ? { country } : {}),
      });
      return json(200, { articles });
    }),
  ];
}

export async function handleApiRequest(deps: ApiDeps, routes: Route[], event: APIGatewayProxyEventV2): Promise<Result> {
  const method = event.requestContext?.http?.method ?? 'GET';
  const path = event.rawPath ?? '/';
  const candidates = routes.filter((r) => r.pattern.test(path));
  const match = candidates.find((r) => r.method === method);
  if (!match) {
    return candidates.length > 0
      ? json(405, { error: `method ${method} not allowed on ${path}` })
      : json(404, { error: `no route ${method} ${path}` });
  }
  const values = match.pattern.exec(path)!.slice(1);
  const params: Params = Object.fromEntries(match.keys.map((key, i) => [key, decodeURIComponent(values[i] ?? '')]));
  const request: Request = {
    params,
    query: event.queryStringParameters ?? {},
    body: () => {
      const raw = event.body ? (event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body) : '';
      if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new ValidationError('Body too large', [{ path: '(body)', message: `at most ${MAX_BODY_BYTES} bytes` }]);
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new ValidationError('Malformed JSON body', [{ path: '(body)', message: 'not valid JSON' }]);
      }
    },
  };
  try {
    return await match.run(request);
  } catch (error) {
    if (error instanceof ValidationError) return json(400, { error: error.message, issues: error.issues });
    if (error instanceof NotFoundError) return json(404, { error: error.message });
    if (error instanceof ConflictError) return json(409, { error: error.message });
    // Anything else is ours: log it whole, tell the caller nothing internal.
    deps.logger.error('api request failed', { method, path, error: error as Error });
    return json(500, { error: 'internal error' });
  }
}

export function createApiHandler(deps: ApiDeps) {
  const routes = createApiRoutes(deps);
  return withObservability(deps.logger, async (event: APIGatewayProxyEventV2, _context: Context) =>
    handleApiRequest(deps, routes, event),
  );
}
