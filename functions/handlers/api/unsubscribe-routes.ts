// /unsubscribe/{subscriptionId}?token=…: the signed link every alert carries. GET only shows a confirmation form,
// because link scanners and chat unfurlers (Slack fetches every URL it is shown) must never unsubscribe anyone; the
// form's POST does it. Both are public: the HMAC token is the credential.
import * as z from 'zod';
import { NotFoundError } from '#domain/errors.js';
import type { Subscription } from '#domain/types.js';
import type { ApiDeps } from './deps.js';
import { queryOf, route, type ApiRequest, type Result, type Route } from './router.js';

const PATH = '/unsubscribe/{subscriptionId}';
const TAGS = ['unsubscribe'];
const TokenQuery = queryOf({ token: z.string().max(200).optional().meta({ description: 'The signature in the link' }) });
const HTML = (description: string) => ({ 200: { description, schema: z.string(), contentType: 'text/html' } });
export const UNSUBSCRIBED_REASON = 'unsubscribed through the link in an alert';

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function page(statusCode: number, title: string, body: string): Result {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // The page shows a token-bearing form: no caching, no framing, no referrer leaking the token.
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36em;margin:3em auto">${body}</body></html>`,
  };
}

/** The subscription the link names, when its token is right; a wrong token looks exactly like an unknown id. */
async function linkedSubscription(deps: ApiDeps, req: ApiRequest<{ token?: string }>): Promise<Subscription> {
  const id = req.params.subscriptionId!;
  const token = req.query.token ?? '';
  const subscription = deps.unsubscribeLinks.verify(id, token) ? await deps.subscriptions.get(id) : undefined;
  if (subscription === undefined) throw new NotFoundError('unsubscribe link not valid');
  return subscription;
}

export function unsubscribeRoutes(deps: ApiDeps): Route[] {
  const describe = (s: Subscription) => escapeHtml(s.name ?? s.subscriptionId);
  return [
    route(
      'GET',
      PATH,
      async (req) => {
        const subscription = await linkedSubscription(deps, req);
        const action = `?token=${encodeURIComponent(req.query.token ?? '')}`;
        return page(
          200,
          'Unsubscribe',
          `<h1>Unsubscribe?</h1><p>Stop the alerts of <strong>${describe(subscription)}</strong>.</p>` +
            `<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
        );
      },
      { access: 'public', tags: TAGS, summary: 'Confirmation page of the unsubscribe link alerts carry', query: TokenQuery, responses: HTML('A confirmation form') },
    ),
    route(
      'POST',
      PATH,
      async (req) => {
        const subscription = await linkedSubscription(deps, req);
        if (subscription.status !== 'disabled' || subscription.statusReason !== UNSUBSCRIBED_REASON) {
          await deps.subscriptions.put({ ...subscription, status: 'disabled', statusReason: UNSUBSCRIBED_REASON, updatedAt: deps.clock.now().toISOString() });
        }
        return page(200, 'Unsubscribed', `<h1>Unsubscribed</h1><p><strong>${describe(subscription)}</strong> sends no more alerts.</p>`);
      },
      { access: 'public', tags: TAGS, summary: 'Unsubscribe (disables the subscription; its owner can resume it)', query: TokenQuery, responses: HTML('Unsubscribed') },
    ),
  ];
}
