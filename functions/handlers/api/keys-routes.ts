// /keys: API keys, admin only. A key is shown once, in the answer that creates it; only its hash is stored.
import { apiKeyInputSchema, generateApiKey, parseApiKeyInput, publicApiKey, type ApiKey } from '#domain/api-key.js';
import { ConflictError, NotFoundError } from '#domain/errors.js';
import type { ApiDeps } from './deps.js';
import { createCursors, listing, pageOfSorted, pageQuery, pageSchema, type Cursors } from './pages.js';
import { json, ok, principalOf, route, type Route } from './router.js';
import { ApiKeyCreatedSchema, ApiKeySchema } from './schemas.js';

const TAGS = ['keys'];
/** Oldest first; createdAt is fixed-width ISO, so string order is time order. */
const positionOf = (key: ApiKey) => `${key.createdAt}\u0000${key.keyId}`;

export function keyRoutes(deps: Pick<ApiDeps, 'apiKeys' | 'clock' | 'randomBytes'>, cursors: Cursors = createCursors()): Route[] {
  const keys = listing(cursors, 'keys');
  return [
    route(
      'GET',
      '/keys',
      async (req) => {
        // A deployment has a handful of keys: read whole and sorted, then paged like every other list.
        const all = (await deps.apiKeys.list()).sort((a, b) => (positionOf(a) < positionOf(b) ? -1 : 1));
        return keys.answer(req, 'keys', pageOfSorted(all, positionOf, keys.request(req.query)), publicApiKey);
      },
      {
        tags: TAGS,
        summary: 'List API keys, oldest first (never the keys themselves)',
        query: pageQuery({ defaultLimit: 100, maxLimit: 500 }),
        responses: { 200: ok('A page of keys', pageSchema('keys', ApiKeySchema)) },
      },
    ),
    route(
      'POST',
      '/keys',
      async (req) => {
        const input = parseApiKeyInput(req.body());
        const { key, record } = generateApiKey(input, { now: deps.clock.now(), randomBytes: deps.randomBytes });
        // 64 random bits of id: a collision is practically impossible, but a blind overwrite would hijack a key.
        if (!(await deps.apiKeys.create(record))) throw new ConflictError('key id collision: try again');
        return json(201, { key, ...publicApiKey(record) });
      },
      {
        tags: TAGS,
        summary: 'Create a key: "admin", or "owner" of one owner\'s subscriptions; the key is returned once',
        body: apiKeyInputSchema,
        conflicts: true,
        responses: { 201: ok('Created', ApiKeyCreatedSchema) },
      },
    ),
    route(
      'DELETE',
      '/keys/{keyId}',
      async (req) => {
        // Revoking the key in hand could lock the last admin out; another admin key must do it.
        if (req.params.keyId === principalOf(req).keyId) throw new ConflictError('a key cannot revoke itself: use another admin key');
        if (!(await deps.apiKeys.revoke(req.params.keyId!, deps.clock.now().toISOString()))) throw new NotFoundError('key not found');
        return { statusCode: 204 };
      },
      { tags: TAGS, summary: 'Revoke a key (at once: keys are checked on every request)', conflicts: true, responses: { 204: { description: 'Revoked' } } },
    ),
  ];
}
