// "What is this URL?": one fetch through the same fetcher and parser the poller uses, summarised for a person
// deciding whether to add it.
import { FeedError } from '#domain/errors.js';
import type { WebSubDiscovery } from '#domain/websub.js';
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
    }
  | { ok: false; reason: string; detail: string; httpStatus?: number };

/** Never throws for a feed problem: the problem, categorised like a poll failure, is the answer. */
export async function validateFeedUrl(deps: Pick<ApiDeps, 'fetcher'>, url: string): Promise<FeedValidation> {
  try {
    const fetched = await deps.fetcher.fetch({ url });
    if (fetched.status !== 'ok') {
      return { ok: false, reason: 'not-modified', detail: 'the server answered 304 to an unconditional request', httpStatus: 304 };
    }
    const parsed = await parseFeed(fetched.body, { contentType: fetched.contentType, baseUrl: fetched.finalUrl });
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
