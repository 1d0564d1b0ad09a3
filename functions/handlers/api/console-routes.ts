// The web console (functions/console): its page at `/` and its built files at `/console/{asset}`, public like any
// static site. The page holds no data and no key: it signs in by asking for a key, keeps it in sessionStorage and
// calls this same API with it. The headers lock the page down: no inline script or style, nothing from another
// origin, no framing, no referrer (a URL never carries a key, and the console's own URLs say little).
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { NotFoundError } from '#domain/errors.js';
import { route, type ApiRequest, type Result, type Route } from './router.js';

/** One built file of the console. */
export interface ConsoleAsset {
  body: string;
  contentType: string;
}

/** Where the console's built files come from: beside the Lambda bundle, or built in memory by the local runtime. */
export interface ConsoleAssets {
  /** The file by name ("index.html", "console.js", ...); undefined when the build has no such file. */
  get(name: string): Promise<ConsoleAsset | undefined>;
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Every console answer carries these (the API's JSON answers are not pages and need none of it). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

const TAGS = ['console'];

function etagOf(asset: ConsoleAsset): string {
  return `"${createHash('sha256').update(asset.body).digest('base64url').slice(0, 22)}"`;
}

/** What the console routes use of the API's dependencies (ApiDeps.consoleAssets). */
export interface ConsoleDeps {
  consoleAssets?: ConsoleAssets;
}

async function serve(deps: ConsoleDeps, name: string, req: ApiRequest<unknown>): Promise<Result> {
  const asset = await deps.consoleAssets?.get(name);
  if (asset === undefined) {
    if (deps.consoleAssets === undefined) throw new NotFoundError('this deployment serves no console');
    throw new NotFoundError(`no console file ${JSON.stringify(name)}`);
  }
  const etag = etagOf(asset);
  // Revalidated on every load (the names carry no hash), answered by a 304 while unchanged.
  const headers = { ...CONSOLE_HEADERS, etag, 'cache-control': 'no-cache' };
  if (req.headers['if-none-match'] === etag) return { statusCode: 304, headers };
  return { statusCode: 200, headers: { ...headers, 'content-type': asset.contentType }, body: asset.body };
}

export function consoleRoutes(deps: ConsoleDeps): Route[] {
  const text = (description: string, contentType: string) => ({ 200: { description, schema: z.string(), contentType } });
  return [
    route('GET', '/', async (req) => {
      // The router also lets "//" through as "/" plus a trailing slash: only the root itself is the page.
      if (req.path !== '/') throw new NotFoundError(`no route for ${JSON.stringify(req.path.slice(0, 50))}`);
      return serve(deps, 'index.html', req);
    }, {
      access: 'public',
      tags: TAGS,
      summary: 'The web console (sign in with an API key)',
      responses: text('The console page', 'text/html'),
    }),
    route('GET', '/console/{asset}', async (req) => serve(deps, req.params.asset!, req), {
      access: 'public',
      tags: TAGS,
      summary: "A file of the console's build (script, style sheet)",
      responses: text('The file', 'text/javascript'),
    }),
  ];
}
