// "What is this URL?": one fetch through the same fetcher and parser the poller uses, summarised for a person
// deciding whether to add it.
import { FeedError } from '#domain/errors.js';
import type { WebSubDiscovery } from '#domain/websub.js';
import { commonFeedUrls, feedLinksOfPage, looksLikeHtml } from '#adapters/http/feed-discovery.js';
import { parseFeed } from '#adapters/reader/index.js';
import { discoverWebSub } from '#adapters/websub-discovery.js';
import type { ApiDeps } from './deps.js';

export type FeedValidation =
  | {
      ok: true;
      format: string;
      title?: string;
      itemCount: number;
      language?: string;
      sampleTitle?: string;
      /** Where the feed was found after redirects. */
      finalUrl: string;
      httpStatus: number;
      contentType?: string;
      /** Present when the feed advertises a WebSub hub. */
      websub?: WebSubDiscovery;
      /**
       * The URL asked for was a web page, and this is the feed found from it: announced by a
       * `<link rel="alternate">` of the page ('link'), or served at a common feed path of its site ('common-path').
       */
      discovered?: { from: string; by: 'link' | 'common-path'; feedUrl: string };
    }
  | { ok: false; reason: string; detail: string; httpStatus?: number };

type Validated = Extract<FeedValidation, { ok: true }>;

/** One fetch and parse; a FeedError is thrown for a feed problem. The page's body comes back for discovery. */
async function fetchFeed(deps: Pick<ApiDeps, 'fetcher'>, url: string): Promise<Validated> {
  const fetched = await deps.fetcher.fetch({ url });
  if (fetched.status !== 'ok') throw new FeedError('not-modified', 'the server answered 304 to an unconditional request', { httpStatus: 304 });
  let parsed: Awaited<ReturnType<typeof parseFeed>>;
  try {
    parsed = await parseFeed(fetched.body, { contentType: fetched.contentType, baseUrl: fetched.finalUrl });
  } catch (error) {
    if (error instanceof FeedError && looksLikeHtml(fetched.body, fetched.contentType)) throw new WebPage(error, fetched.body, fetched.finalUrl);
    throw error;
  }
  const sampleTitle = parsed.items.find((item) => item.title !== undefined)?.title;
  const discovery = discoverWebSub(fetched.body, fetched.finalUrl, fetched.linkHeader);
  return {
    ok: true,
    format: parsed.format,
    ...(parsed.title !== undefined ? { title: parsed.title } : {}),
    itemCount: parsed.items.length,
    ...(parsed.language !== undefined ? { language: parsed.language } : {}),
    ...(sampleTitle !== undefined ? { sampleTitle } : {}),
    finalUrl: fetched.finalUrl,
    httpStatus: fetched.httpStatus,
    ...(fetched.contentType !== undefined ? { contentType: fetched.contentType } : {}),
    ...(discovery.hubs.length > 0 ? { websub: discovery } : {}),
  };
}

/** The URL answered with a web page, not a feed: its body is where to look for the feed. */
class WebPage extends Error {
  constructor(
    readonly problem: FeedError,
    readonly body: Uint8Array,
    readonly pageUrl: string,
  ) {
    super(problem.message);
  }
}

/** Follows a web page to its feed: its announced feeds first, else the common paths of its site. */
async function discoverFrom(deps: Pick<ApiDeps, 'fetcher'>, url: string, page: WebPage): Promise<Validated | undefined> {
  const links = feedLinksOfPage(page.body, page.pageUrl);
  const candidates: { url: string; by: 'link' | 'common-path' }[] =
    links.length > 0 ? links.map((link) => ({ url: link, by: 'link' })) : commonFeedUrls(page.pageUrl).map((path) => ({ url: path, by: 'common-path' }));
  for (const candidate of candidates) {
    try {
      const found = await fetchFeed(deps, candidate.url);
      return { ...found, discovered: { from: url, by: candidate.by, feedUrl: candidate.url } };
    } catch (error) {
      // An announced feed that is broken is worth saying; a common path that is missing is the normal case.
      if (!(error instanceof FeedError) && !(error instanceof WebPage)) throw error;
    }
  }
  return undefined;
}

/**
 * Never throws for a feed problem: the problem, categorised like a poll failure, is the answer. A web page is followed
 * to the feed it announces (`discovered` says which); a page with no feed found stays 'not-a-feed'.
 */
export async function validateFeedUrl(deps: Pick<ApiDeps, 'fetcher'>, url: string): Promise<FeedValidation> {
  try {
    try {
      return await fetchFeed(deps, url);
    } catch (error) {
      if (!(error instanceof WebPage)) throw error;
      const found = await discoverFrom(deps, url, error);
      if (found !== undefined) return found;
      throw new FeedError(error.problem.reason, `${error.problem.message}; the page names no feed, and none is at ${COMMON_PATHS_TEXT}`);
    }
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    return {
      ok: false,
      reason: error.reason,
      detail: error.message,
      ...(error.httpStatus !== undefined ? { httpStatus: error.httpStatus } : {}),
    };
  }
}

const COMMON_PATHS_TEXT = 'the common feed paths of its site';
