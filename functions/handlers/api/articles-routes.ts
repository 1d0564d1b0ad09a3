// /articles: recent articles, newest first, by topic or country.
import { ValidationError } from '#domain/errors.js';
import type { ApiDeps } from './deps.js';
import { json, limitFrom, route, type Route } from './router.js';

export function articleRoutes(deps: ApiDeps): Route[] {
  return [
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
