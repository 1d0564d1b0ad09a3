// Talks to WebSub hubs: one form POST per subscription request, through the same SSRF guard as feed fetches (a hub
// URL comes from a feed, so from anyone on the web).
import http from 'node:http';
import https from 'node:https';
import { FeedError } from '#domain/errors.js';
import type { WebSubHubClient } from '#domain/ports.js';
import { withoutTrailingSlashes } from '#domain/url.js';
import { DEFAULT_USER_AGENT } from './http/feed-fetcher.js';
import { assertUrlAllowed, guardedLookup, type AddressPolicy } from './http/ssrf.js';

export interface WebSubHubClientOptions {
  policy: AddressPolicy;
  /** @default 10000 */
  timeoutMs?: number;
  userAgent?: string;
}

const MAX_DETAIL_CHARS = 300;

export function createWebSubHubClient(options: WebSubHubClientOptions): WebSubHubClient {
  const lookup = guardedLookup(options.policy);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
  return {
    async request(hubUrl, formBody) {
      // IP literals never reach `lookup`, so the URL is checked up front as well.
      const url = await assertUrlAllowed(hubUrl, options.policy);
      const transport = url.protocol === 'https:' ? https : http;
      return new Promise((resolve, reject) => {
        const request = transport.request(
          url,
          {
            method: 'POST',
            lookup,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              'content-length': Buffer.byteLength(formBody),
              'user-agent': userAgent,
            },
            timeout: timeoutMs,
          },
          (response) => {
            let detail = '';
            response.on('data', (chunk: Buffer) => {
              if (detail.length < MAX_DETAIL_CHARS) detail += chunk.toString('utf8');
            });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, detail: detail.slice(0, MAX_DETAIL_CHARS).trim() }));
            response.on('error', (error) => reject(new FeedError('connection-error', `hub ${url.host}: ${error.message}`, { cause: error })));
          },
        );
        request.on('timeout', () => request.destroy(new FeedError('timeout', `hub ${url.host} did not answer in ${timeoutMs} ms`)));
        request.on('error', (error) => {
          reject(error instanceof FeedError ? error : new FeedError('connection-error', `hub ${url.host}: ${error.message}`, { cause: error }));
        });
        request.end(formBody);
      });
    },
  };
}

/** WebSub wiring for a runtime whose public origin is `baseUrl` (may be a function: the local port is known late). */
export function createWebSubConfig(
  baseUrl: string | (() => string),
  policy: AddressPolicy,
): { hub: WebSubHubClient; callbackUrl: (feedId: string) => string } {
  const base = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  return {
    hub: createWebSubHubClient({ policy }),
    callbackUrl: (feedId) => `${withoutTrailingSlashes(base())}/websub/${encodeURIComponent(feedId)}`,
  };
}
