// /articles: recent articles, newest first, by topic or country, a page at a time.
import * as z from 'zod';
import type { ApiDeps } from './deps.js';
import { createCursors, listing, pageQuery, pageSchema, type Cursors } from './pages.js';
import { ok, route, type Route } from './router.js';
import { ArticleSchema } from './schemas.js';

const ArticlesQuery = pageQuery(
  { defaultLimit: 20, maxLimit: 200 },
  {
    topic: z
      .string()
      .regex(/^medtop:\d{8}$/, { error: 'must be an IPTC code like medtop:11000000' })
      .optional()
      .meta({ description: 'Only articles about this IPTC Media Topic' }),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { error: 'must be an ISO 3166-1 alpha-2 code' })
      .transform((code) => code.toUpperCase())
      .optional()
      .meta({ description: 'Only articles about this country (ISO 3166-1 alpha-2)' }),
  },
);

export function articleRoutes(deps: Pick<ApiDeps, 'articles'>, cursors: Cursors = createCursors()): Route[] {
  return [
    route(
      'GET',
      '/articles',
      async (req) => {
        const { topic, country } = req.query;
        // The filters are part of the listing: a cursor of one question does not continue another.
        const articles = listing(cursors, `articles:${topic ?? ''}:${country ?? ''}`);
        const page = await deps.articles.listRecentPage({
          ...articles.request(req.query),
          ...(topic ? { topic } : {}),
          ...(country ? { country } : {}),
        });
        return articles.answer(req, 'articles', page);
      },
      {
        tags: ['articles'],
        summary: 'Recent articles, newest first',
        query: ArticlesQuery,
        responses: { 200: ok('A page of articles', pageSchema('articles', ArticleSchema)) },
      },
    ),
  ];
}
