// Fetches feeds over node:http/https (not fetch/undici) because the SSRF guard must sit in the `lookup` hook of
// every hop. Every limit is enforced while streaming: decompressed size, redirect count, connect and total time.
import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { FeedError } from '#domain/errors.js';
import type { FeedFetcher, FetchFeedRequest, FetchFeedResult } from '#domain/ports.js';
import { assertUrlAllowed, guardedLookup, type AddressPolicy } from './ssrf.js';

export interface FeedFetcherOptions {
  policy: AddressPolicy;
  /** @default "newsalert/0.1 (+https://github.com/newsalert/newsalert)" */
  userAgent?: string;
  /** Time to resolve and connect one hop. @default 5000 */
  connectTimeoutMs?: number;
  /** Whole fetch including redirects and body; capped at 20000. @default 20000 */
  totalTimeoutMs?: number;
  /** Cap on the DECOMPRESSED body. @default 15 MiB */
  maxBodyBytes?: number;
  /** @default 5 */
  maxRedirects?: number;
}

export const DEFAULT_USER_AGENT = 'newsalert/0.1 (+https://github.com/newsalert/newsalert)';
const MAX_TOTAL_TIMEOUT_MS = 20_000;
const ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const PERMANENT_STATUSES = new Set([301, 308]);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL']);

interface Settings {
  policy: AddressPolicy;
  userAgent: string;
  connectTimeoutMs: number;
  totalTimeoutMs: number;
  maxBodyBytes: number;
  maxRedirects: number;
}

type HopResult =
  | { kind: 'redirect'; status: number; location: string }
  | { kind: 'not-modified'; etag?: string; lastModified?: string; maxAgeSeconds?: number }
  | { kind: 'ok'; status: number; body: Buffer; contentType?: string; etag?: string; lastModified?: string; maxAgeSeconds?: number; linkHeader?: string };

export function createFeedFetcher(options: FeedFetcherOptions): FeedFetcher {
  const settings: Settings = {
    policy: options.policy,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    connectTimeoutMs: positive(options.connectTimeoutMs, 5_000),
    totalTimeoutMs: Math.min(positive(options.totalTimeoutMs, MAX_TOTAL_TIMEOUT_MS), MAX_TOTAL_TIMEOUT_MS),
    maxBodyBytes: positive(options.maxBodyBytes, 15 * 1024 * 1024),
    maxRedirects: Math.max(0, Math.floor(options.maxRedirects ?? 5)),
  };
  return { fetch: (request) => fetchFeed(request, settings) };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

async function fetchFeed(request: FetchFeedRequest, settings: Settings): Promise<FetchFeedResult> {
  // One controller for the whole fetch: aborting it destroys whichever socket is open at that moment.
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    deadline.abort(new FeedError('timeout', `Fetch took longer than ${settings.totalTimeoutMs} ms`));
  }, settings.totalTimeoutMs);
  try {
    let current = request.url;
    let redirects = 0;
    let allPermanent = true;
    for (;;) {
      const target = await raceDeadline(assertUrlAllowed(current, settings.policy), deadline.signal);
      const hop = await requestOnce(target, request, settings, deadline.signal);
      if (hop.kind === 'redirect') {
        if (redirects >= settings.maxRedirects) {
          throw new FeedError('too-many-redirects', `More than ${settings.maxRedirects} redirects from ${request.url}`, {
            httpStatus: hop.status,
          });
        }
        redirects += 1;
        allPermanent &&= PERMANENT_STATUSES.has(hop.status);
        current = resolveLocation(hop.location, target);
        continue;
      }
      const permanentRedirect = redirects > 0 && allPermanent;
      if (hop.kind === 'not-modified') {
        return {
          status: 'not-modified',
          url: request.url,
          finalUrl: current,
          permanentRedirect,
          etag: hop.etag ?? request.etag,
          lastModified: hop.lastModified ?? request.lastModified,
          ...(hop.maxAgeSeconds !== undefined ? { maxAgeSeconds: hop.maxAgeSeconds } : {}),
          httpStatus: 304,
        };
      }
      return {
        status: 'ok',
        url: request.url,
        finalUrl: current,
        permanentRedirect,
        body: hop.body,
        contentType: hop.contentType,
        etag: hop.etag,
        lastModified: hop.lastModified,
        ...(hop.maxAgeSeconds !== undefined ? { maxAgeSeconds: hop.maxAgeSeconds } : {}),
        ...(hop.linkHeader !== undefined ? { linkHeader: hop.linkHeader } : {}),
        httpStatus: hop.status,
      };
    }
  } finally {
    clearTimeout(timer);
  }
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch (error: unknown) {
    throw new FeedError('invalid-url', `Redirect to an invalid URL: ${JSON.stringify(location)}`, { cause: error });
  }
}

function abortReason(signal: AbortSignal): FeedError {
  return signal.reason instanceof FeedError ? signal.reason : new FeedError('timeout', 'Fetch aborted');
}

function raceDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function requestOnce(target: URL, request: FetchFeedRequest, settings: Settings, signal: AbortSignal): Promise<HopResult> {
  return new Promise<HopResult>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal));
      return;
    }
    const headers: Record<string, string> = {
      'User-Agent': settings.userAgent,
      Accept: ACCEPT,
      'Accept-Encoding': 'gzip, deflate, br',
    };
    if (request.etag) headers['If-None-Match'] = request.etag;
    if (request.lastModified) headers['If-Modified-Since'] = request.lastModified;

    const transport = target.protocol === 'https:' ? https : http;
    let settled = false;
    const req = transport.request(target, {
      method: 'GET',
      headers,
      // A fresh socket per hop: each connection goes through the guarded lookup and nothing lingers after a fetch.
      agent: false,
      lookup: guardedLookup(settings.policy),
    });

    const finish = (error: Error | undefined, result?: HopResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      signal.removeEventListener('abort', onAbort);
      // Whatever is left (a redirect's or error page's body, a half-read body) is not worth the bandwidth.
      req.destroy();
      if (error) {
        reject(error);
      } else if (result) {
        resolve(result);
      }
    };
    const onAbort = (): void => finish(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });

    const connectTimer = setTimeout(() => {
      finish(new FeedError('timeout', `Could not connect to ${target.host} within ${settings.connectTimeoutMs} ms`));
    }, settings.connectTimeoutMs);
    req.on('socket', (socket) => {
      socket.once(target.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
    });
    req.on('error', (error) => finish(translateNetworkError(error, target)));

    req.on('response', (res) => {
      clearTimeout(connectTimer);
      const status = res.statusCode ?? 0;
      const etag = header(res, 'etag');
      const lastModified = header(res, 'last-modified');
      const maxAgeSeconds = parseMaxAge(header(res, 'cache-control'));

      if (REDIRECT_STATUSES.has(status)) {
        const location = header(res, 'location');
        res.resume();
        if (location === undefined) {
          finish(new FeedError(`http-${status}`, `HTTP ${status} without a Location header`, { httpStatus: status }));
        } else {
          finish(undefined, { kind: 'redirect', status, location });
        }
        return;
      }
      if (status === 304) {
        res.resume();
        finish(undefined, { kind: 'not-modified', etag, lastModified, maxAgeSeconds });
        return;
      }
      if (status < 200 || status > 299) {
        res.resume();
        const retryAfterSeconds =
          status === 429 || status === 503 ? parseRetryAfter(header(res, 'retry-after'), Date.now()) : undefined;
        finish(
          new FeedError(`http-${status}`, `HTTP ${status} from ${target.host}`, { httpStatus: status, retryAfterSeconds }),
        );
        return;
      }

      // Node joins repeated Link headers with ", ", the separator of Link values, so one string holds them all.
      const linkHeader = header(res, 'link');
      readBody(res, settings.maxBodyBytes).then(
        (body) => finish(undefined, { kind: 'ok', status, body, contentType: header(res, 'content-type'), etag, lastModified, maxAgeSeconds, linkHeader }),
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
    });
    req.end();
  });
}

function header(res: http.IncomingMessage, name: string): string | undefined {
  const value = res.headers[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single === undefined || single === '' ? undefined : single;
}

function decoderFor(res: http.IncomingMessage): Readable {
  const encoding = (header(res, 'content-encoding') ?? 'identity').trim().toLowerCase();
  switch (encoding) {
    case 'identity':
    case 'none':
      return res;
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(new DeflateEither());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      throw new FeedError('decompression', `Unsupported Content-Encoding: ${encoding}`);
  }
}

/**
 * "deflate" should mean zlib-wrapped data (RFC 9110), but some servers send raw deflate. The first two bytes tell:
 * a zlib header has compression method 8 and is a multiple of 31.
 */
class DeflateEither extends Transform {
  private inflater: zlib.Inflate | zlib.InflateRaw | undefined;
  private head = Buffer.alloc(0);

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.inflater === undefined) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) {
        callback();
        return;
      }
      this.start(this.head);
      callback();
      return;
    }
    this.inflater.write(chunk);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.inflater === undefined) {
      if (this.head.length === 0) {
        callback();
        return;
      }
      this.start(this.head);
    }
    this.inflater?.once('end', () => callback());
    this.inflater?.end();
  }

  private start(head: Buffer): void {
    const cmf = head[0] ?? 0;
    const flg = head[1] ?? 0;
    const zlibWrapped = (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0;
    const inflater = zlibWrapped ? zlib.createInflate() : zlib.createInflateRaw();
    inflater.on('data', (data: Buffer) => this.push(data));
    inflater.on('error', (error) => this.destroy(error));
    this.inflater = inflater;
    inflater.write(head);
  }
}

function readBody(res: http.IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const declared = Number(header(res, 'content-length'));
    const identity = (header(res, 'content-encoding') ?? 'identity').toLowerCase() === 'identity';
    if (identity && Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      reject(new FeedError('too-large', `Body of ${declared} bytes exceeds the ${maxBytes}-byte limit`));
      return;
    }
    let stream: Readable;
    try {
      stream = decoderFor(res);
    } catch (error: unknown) {
      res.destroy();
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    let done = false;
    const fail = (error: FeedError): void => {
      if (done) return;
      done = true;
      // Destroying the response destroys its socket: the server stops sending at once.
      res.destroy();
      if (stream !== res) stream.destroy();
      reject(error);
    };
    stream.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > maxBytes) {
        fail(new FeedError('too-large', `Body exceeds the ${maxBytes}-byte limit (after decompression)`));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks, total));
    });
    stream.on('error', (error: Error) => {
      const isZlib = stream !== res && 'code' in error && /^(Z_|ERR_(_|BROTLI|ZLIB))/.test(String(error.code));
      fail(
        isZlib
          ? new FeedError('decompression', `Could not decompress the body: ${error.message}`, { cause: error })
          : new FeedError('connection', `Connection failed while reading the body: ${error.message}`, { cause: error }),
      );
    });
    if (stream !== res) {
      res.on('error', (error: Error) =>
        fail(new FeedError('connection', `Connection failed while reading the body: ${error.message}`, { cause: error })),
      );
    }
    res.on('aborted', () => fail(new FeedError('connection', 'The server closed the connection mid-body')));
  });
}

function translateNetworkError(error: Error, target: URL): FeedError {
  if (error instanceof FeedError) return error;
  const code = 'code' in error ? String(error.code) : '';
  if (DNS_CODES.has(code)) return new FeedError('dns', `Could not resolve ${target.hostname} (${code})`, { cause: error });
  return new FeedError('connection', `Connection to ${target.host} failed: ${code || error.message}`, { cause: error });
}

/** Retry-After is either delta-seconds or an HTTP date; both become whole seconds from now, never negative. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** Cache-Control max-age in seconds (s-maxage is for shared caches, which we are not); undefined when absent. */
export function parseMaxAge(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /(?:^|[,\s])max-age\s*=\s*"?(\d{1,10})"?/i.exec(value);
  return match ? Number(match[1]) : undefined;
}
