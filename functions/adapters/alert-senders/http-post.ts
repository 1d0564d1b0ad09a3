// One guarded HTTP(S) POST for the channels that speak HTTP (signed webhooks, Slack): the SSRF check on the URL and
// on every resolved address, a whole-request deadline, a bounded read of the answer, and the answer turned into a
// DeliveryError that says whether a retry can help.
import http from 'node:http';
import https from 'node:https';
import { DeliveryError, FeedError } from '#domain/errors.js';
import type { SendOptions } from '#domain/ports.js';
import { parseRetryAfter } from '#domain/retry-schedule.js';
import { assertUrlAllowed, guardedLookup } from '#adapters/http/ssrf.js';
import type { AddressPolicy } from '#adapters/http/ssrf.js';

export interface HttpPostDeps {
  policy: AddressPolicy;
  /** Whole-request deadline for a webhook: connect, send, response headers and body. @default 15000 */
  timeoutMs?: number;
  /** @default "newsalert-webhooks/1" */
  userAgent?: string;
  now: () => Date;
}

/** POSTs a JSON body; resolves on a 2xx, throws DeliveryError otherwise. `options.timeoutMs` overrides the deadline. */
export type JsonPost = (rawUrl: string, body: string, headers: Record<string, string>, options?: SendOptions) => Promise<void>;

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_USER_AGENT = 'newsalert-webhooks/1';
/** Receivers owe us a status, not a body: read a little for the error message, never buffer more than this. */
const MAX_RESPONSE_BYTES = 64 * 1024;
const ERROR_SNIPPET_CHARS = 200;

class WebhookTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
    this.name = 'WebhookTimeoutError';
  }
}

interface WebhookResponse {
  status: number;
  retryAfter?: string;
  snippet: string;
}

export function createJsonPost(deps: HttpPostDeps): JsonPost {
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const userAgent = deps.userAgent ?? DEFAULT_USER_AGENT;
  const lookup = guardedLookup(deps.policy);
  // Kept alive across invocations of a warm Lambda: repeat deliveries to one receiver skip the TCP and TLS setup.
  // Pooled sockets were connected through the guarded lookup, so reusing them cannot bypass the address check.
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  return async (rawUrl, body, extraHeaders, options) => {
    // Hosts written as IP literals never reach `lookup`, so the URL is checked up front as well.
    const url = await checkWebhookUrl(rawUrl, deps.policy);
    const headers: http.OutgoingHttpHeaders = {
      ...extraHeaders,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
      'user-agent': userAgent,
    };

    let response: WebhookResponse;
    try {
      response = await postOnce(url, body, headers, {
        lookup,
        agent: url.protocol === 'https:' ? agents.https : agents.http,
        timeoutMs: options?.timeoutMs ?? timeoutMs,
      });
    } catch (error: unknown) {
      throw translateRequestError(error, url);
    }
    checkWebhookStatus(response, deps.now());
  };
}

async function checkWebhookUrl(rawUrl: string, policy: AddressPolicy): Promise<URL> {
  try {
    return await assertUrlAllowed(rawUrl, policy);
  } catch (error: unknown) {
    if (error instanceof FeedError) {
      // A name that does not resolve today may resolve tomorrow; an address or URL that is not allowed never will.
      const permanent = error.reason === 'blocked-address' || error.reason === 'invalid-url';
      throw new DeliveryError(`webhook ${error.reason}: ${error.message}`, permanent, { cause: error });
    }
    throw error;
  }
}

function postOnce(
  url: URL,
  body: string,
  headers: http.OutgoingHttpHeaders,
  options: { lookup: ReturnType<typeof guardedLookup>; agent: http.Agent; timeoutMs: number },
): Promise<WebhookResponse> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<WebhookResponse>((resolve, reject) => {
    let settled = false;
    let response: WebhookResponse | undefined;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };

    const request = transport.request(url, { method: 'POST', headers, lookup: options.lookup, agent: options.agent }, (res) => {
      const current: WebhookResponse = { status: res.statusCode ?? 0, snippet: '' };
      if (typeof res.headers['retry-after'] === 'string') current.retryAfter = res.headers['retry-after'];
      response = current;
      let received = 0;
      res.on('data', (chunk: Buffer) => {
        if (current.snippet.length < ERROR_SNIPPET_CHARS) current.snippet += chunk.toString('utf8').slice(0, ERROR_SNIPPET_CHARS);
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) {
          settle(() => resolve(current));
          res.destroy();
        }
      });
      res.on('end', () => settle(() => resolve(current)));
      // The status line is the receiver's answer; a body cut short afterwards does not change it.
      res.on('error', () => settle(() => resolve(current)));
    });

    const timer = setTimeout(() => {
      // A 2xx whose body is still trickling in has been accepted: do not send it again.
      if (response !== undefined && response.status >= 200 && response.status < 300) {
        const accepted = response;
        settle(() => resolve(accepted));
      } else {
        settle(() => reject(new WebhookTimeoutError(options.timeoutMs)));
      }
      request.destroy();
    }, options.timeoutMs);

    request.on('error', (error) => settle(() => reject(error)));
    request.end(body);
  });
}

function translateRequestError(error: unknown, url: URL): DeliveryError {
  if (error instanceof WebhookTimeoutError) {
    return new DeliveryError(`webhook timeout: ${url.host} sent ${error.message}`, false, { cause: error });
  }
  if (error instanceof FeedError && error.reason === 'blocked-address') {
    return new DeliveryError(`webhook blocked-address: ${error.message}`, true, { cause: error });
  }
  if (error instanceof FeedError) {
    return new DeliveryError(`webhook ${error.reason}: ${error.message}`, false, { cause: error });
  }
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? error.code : error.name;
    // Refused, reset, unresolvable, TLS trouble: all can be fixed on the receiver's side without a new subscription.
    return new DeliveryError(`webhook connection-error (${code}) to ${url.host}: ${error.message}`, false, { cause: error });
  }
  return new DeliveryError(`webhook connection-error to ${url.host}`, false, { cause: error });
}

function checkWebhookStatus(response: WebhookResponse, now: Date): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const detail = response.snippet.replace(/\s+/g, ' ').trim().slice(0, ERROR_SNIPPET_CHARS);
  const suffix = detail === '' ? '' : `: ${detail}`;
  if (status >= 300 && status < 400) {
    // Following a redirect would let a receiver point us anywhere after the address check; it must fix its URL.
    // Its Location is not quoted: nothing a receiver sends in a header reaches a log or the delivery log.
    throw new DeliveryError(`webhook http-${status}: redirect not followed`, true, { httpStatus: status });
  }
  const retryable = status >= 500 || status === 408 || status === 429;
  const retryAfterSeconds = status === 429 || status === 503 ? parseRetryAfter(response.retryAfter, now) : undefined;
  throw new DeliveryError(`webhook http-${status}${suffix}`, !retryable, {
    httpStatus: status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
}
