// Cursor pagination, the same on every list: `?limit=` (bounded) and `?cursor=` in, `nextCursor` out (absent on
// the last page), plus a Link rel="next" header. A cursor is the store's position (Page.after) signed with HMAC and
// bound to its listing and filters: a caller cannot forge a position, nor carry a cursor to another listing or
// another owner's; either is a 400, never a store error.
//
//   const feeds = listing(cursors, 'feeds');
//   route('GET', '/feeds', async (req) => feeds.answer(req, 'feeds', await deps.feeds.listPage(feeds.request(req.query)), publicFeed),
//     { query: pageQuery({ defaultLimit: 100, maxLimit: 500 }), responses: { 200: ok('A page', pageSchema('feeds', FeedSchema)) } });
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '#domain/errors.js';
import type { Page, PageRequest } from '#domain/ports.js';
import { json, queryOf, type ApiRequest, type Result } from './router.js';

// Versioned purpose string: the key may be shared with another use (the unsubscribe links) without a cursor ever
// verifying as something else, or the other way round.
const PURPOSE = 'newsalert-cursor-v1';
const MAC_BYTES = 16;
const MAX_CURSOR_LENGTH = 2048;

export interface Cursors {
  encode(listing: string, position: string): string;
  /** The position a cursor of this listing names; any other string is a ValidationError on `cursor`. */
  decode(listing: string, cursor: string): string;
}

/** Without a secret, a random one: cursors then hold within this process only (tests, a single local server). */
export function createCursors(secret: string | Uint8Array = randomBytes(32)): Cursors {
  const mac = (listing: string, payload: string) =>
    createHmac('sha256', secret).update(`${PURPOSE}\u0000${listing}\u0000${payload}`).digest().subarray(0, MAC_BYTES);
  const refuse = () => new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a nextCursor of this listing (with these filters)' }]);
  return {
    encode(listing, position) {
      const payload = Buffer.from(position, 'utf8').toString('base64url');
      return `${payload}.${mac(listing, payload).toString('base64url')}`;
    },
    decode(listing, cursor) {
      const dot = cursor.indexOf('.');
      if (dot <= 0 || cursor.length > MAX_CURSOR_LENGTH) throw refuse();
      const payload = cursor.slice(0, dot);
      const presented = Buffer.from(cursor.slice(dot + 1), 'base64url');
      const expected = mac(listing, payload);
      if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) throw refuse();
      return Buffer.from(payload, 'base64url').toString('utf8');
    },
  };
}

export interface PageQuery {
  limit: number;
  cursor?: string;
}

/** The query of a list route: limit (1..maxLimit, default defaultLimit), cursor, and the route's own filters. */
export function pageQuery<S extends z.ZodRawShape = Record<never, never>>(bounds: { defaultLimit: number; maxLimit: number }, filters: S = {} as S) {
  const error = `must be an integer from 1 to ${bounds.maxLimit}`;
  return queryOf({
    limit: z.coerce
      .number({ error })
      .int({ error })
      .min(1, { error })
      .max(bounds.maxLimit, { error })
      .default(bounds.defaultLimit)
      .meta({ description: `At most this many items (1 to ${bounds.maxLimit}, default ${bounds.defaultLimit})` }),
    cursor: z
      .string()
      .min(1)
      .max(MAX_CURSOR_LENGTH)
      .optional()
      .meta({ description: 'The nextCursor of the previous page, with the same filters' }),
    ...filters,
  });
}

/** The body of a page: the items under `key`, and nextCursor when more may follow. */
export function pageSchema<K extends string>(key: K, item: z.ZodType) {
  return z.object({
    [key]: z.array(item),
    nextCursor: z.string().optional().meta({ description: 'Pass as ?cursor= for the next page; absent on the last page' }),
  } as Record<K, z.ZodType> & { nextCursor: z.ZodOptional<z.ZodString> });
}

export interface Listing {
  /** What to ask the repository for. */
  request(query: PageQuery): PageRequest;
  /** The 200 answer: the page's items (mapped for display) with nextCursor and a Link header to the next page. */
  answer<T>(req: ApiRequest<PageQuery & Record<string, unknown>>, key: string, page: Page<T>, show?: (item: T) => unknown): Result;
}

/** A listing named by `name`: its filters belong in the name, so a cursor only continues the same question. */
export function listing(cursors: Cursors, name: string): Listing {
  return {
    request: (query) => ({ limit: query.limit, ...(query.cursor !== undefined ? { after: cursors.decode(name, query.cursor) } : {}) }),
    answer(req, key, page, show = (item) => item) {
      const nextCursor = page.after === undefined ? undefined : cursors.encode(name, page.after);
      const headers: Record<string, string> = {};
      if (nextCursor !== undefined) headers.link = `<${nextLink(req, nextCursor)}>; rel="next"`;
      return json(200, { [key]: page.items.map(show), ...(nextCursor !== undefined ? { nextCursor } : {}) }, headers);
    },
  };
}

function nextLink(req: ApiRequest<Record<string, unknown>>, cursor: string): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) {
    // Parsed query values are strings, numbers or booleans: JSON writes the last two as they were sent.
    if (name !== 'cursor' && value !== undefined) query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  query.set('cursor', cursor);
  return `${req.path}?${query.toString()}`;
}

/**
 * A page of a list held whole in memory and sorted by `positionOf` (unique, in string order): for small tables
 * read at once, such as API keys.
 */
export function pageOfSorted<T>(items: readonly T[], positionOf: (item: T) => string, page: PageRequest): Page<T> {
  const after = page.after;
  const rest = after === undefined ? items : items.filter((item) => positionOf(item) > after);
  const taken = rest.slice(0, page.limit);
  const last = taken[taken.length - 1];
  return { items: taken, ...(rest.length > page.limit && last !== undefined ? { after: positionOf(last) } : {}) };
}
