// /keys: API keys, admin only. A key is shown once, in the answer that creates it; only its hash is stored.
import { apiKeyInputSchema, generateApiKey, parseApiKeyInput, publicApiKey } from '#domain/api-key.js';
import { ConflictError, NotFoundError } from '#domain/errors.js';
import type { ApiDeps } from './deps.js';
import { json, principalOf, route, type Route } from './router.js';

const TAGS = ['keys'];

export function keyRoutes(deps: ApiDeps): Route[] {
  return [
    route('GET', '/keys', async () => json(200, { keys: (await deps.apiKeys.list()).map(publicApiKey) }), {
      tags: TAGS,
      summary: 'List API keys (never the keys themselves)',
    }),
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
      { tags: TAGS, summary: 'Create a key: "admin", or "owner" of one owner\'s subscriptions; the key is returned once', body: apiKeyInputSchema, responses: { 201: 'created' } },
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
      { tags: TAGS, summary: 'Revoke a key (at once: keys are checked on every request)', responses: { 204: 'revoked' } },
    ),
  ];
}
