// /feeds: add (SSRF-checked), list, read with health, remove.
import { ConflictError, NotFoundError } from '#domain/errors.js';
import { newFeed, parseFeedInput } from '#domain/feed.js';
import { checkUrl } from './check-url.js';
import type { ApiDeps } from './deps.js';
import { json, requireFound, route, type Route } from './router.js';

export function feedRoutes(deps: ApiDeps): Route[] {
  return [
    route('GET', '/feeds', async () => json(200, { feeds: await deps.feeds.list() })),
    route('POST', '/feeds', async (req) => {
      const input = parseFeedInput(req.body());
      await checkUrl(deps, input.url, 'url');
      const feed = newFeed(input, deps.clock.now());
      if (!(await deps.feeds.create(feed))) throw new ConflictError(`feed ${feed.feedId} exists already`);
      return json(201, feed);
    }),
    route('GET', '/feeds/{feedId}', async (req) => json(200, requireFound(await deps.feeds.get(req.params.feedId!), 'feed'))),
    route('DELETE', '/feeds/{feedId}', async (req) => {
      if (!(await deps.feeds.delete(req.params.feedId!))) throw new NotFoundError('feed not found');
      return { statusCode: 204 };
    }),
  ];
}
