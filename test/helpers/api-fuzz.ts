// Random HTTP requests for the API property test: methods, paths built from the real route templates with ids of
// every kind (valid, unknown, odd characters, unicode, %-encodings good and broken, very long), query parameters,
// headers (good keys, owner keys, garbage) and bodies (valid ones, mutated ones, JSON of any shape, not JSON,
// too large). An event is API Gateway's payload v2, as the Lambda receives it.
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import fc from 'fast-check';

export interface FuzzContext {
  /** The routes: method and template, e.g. GET "/feeds/{feedId}". */
  routes: { method: string; path: string }[];
  /** Ids that exist in the store, so some requests reach a real record. */
  knownIds: string[];
  adminKey: string;
  ownerKey: string;
}

const ODD = ['#', '%', '/', '..', '.', '~', ' ', '+', '?', '&', '=', ';', ',', '"', "'", '<', '>', '\\', '\u0000', '\u202e', '\ud83d\ude00', 'é', '中', '\uffff', '%00', '%2F', '%23', '%25', '%E0%A4%A', '%zz', '%', '%%', '\t', '\n'];

const oddString = fc
  .array(fc.oneof(fc.constantFrom(...ODD), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 6 })), { maxLength: 8 })
  .map((parts) => parts.join(''));

const longString = fc.tuple(fc.constantFrom('a', 'é', '%41', '0', '中', '-'), fc.integer({ min: 129, max: 12_000 })).map(([unit, n]) => unit.repeat(n));

/** A path segment for an id: a known one, a well-formed unknown one, odd characters, encoded, or very long. */
function idSegment(known: string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/) },
    { weight: 1, arbitrary: fc.stringMatching(/^[0-9a-f]{16}$/) },
    { weight: 3, arbitrary: oddString },
    { weight: 2, arbitrary: oddString.map((s) => encodeURIComponent(s)) },
    { weight: 1, arbitrary: oddString.map((s) => encodeURIComponent(encodeURIComponent(s))) },
    { weight: 1, arbitrary: longString },
    { weight: 1, arbitrary: fc.constantFrom('', '#subscriptions-version', '%23subscriptions-version', '#alerts-topic', 'alert.failed%23x', 'digest%23x%23y', 'test_') },
  );
}

function fill(template: string, ids: string[]): string {
  let i = 0;
  return template.replace(/\{\w+\}/g, () => ids[i++] ?? '');
}

/** Method and path: mostly a real route (its own method, or another), filled with ids; sometimes any path at all. */
function targetOf(context: FuzzContext): fc.Arbitrary<{ method: string; path: string }> {
  const ids = fc.array(idSegment(context.knownIds), { minLength: 4, maxLength: 4 });
  const tail = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('/', '//', '/extra') });
  const method = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
    { weight: 1, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'TRACE', 'get', 'CONNECT') },
    { weight: 1, arbitrary: oddString },
  );
  const real = fc
    .tuple(fc.constantFrom(...context.routes), ids, tail, fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: method }))
    .map(([route, filled, end, other]) => ({ method: other ?? route.method, path: fill(route.path, filled) + end }));
  const segments = fc.array(fc.oneof(idSegment(context.knownIds), fc.constantFrom('feeds', 'subscriptions', 'keys', 'articles', 'deliveries')), { maxLength: 5 });
  const anyPath = fc.oneof(segments.map((s) => '/' + s.join('/')), oddString, longString);
  return fc.oneof({ weight: 8, arbitrary: real }, { weight: 2, arbitrary: fc.tuple(method, anyPath).map(([m, path]) => ({ method: m, path })) });
}

const queryValue = fc.oneof(fc.string({ maxLength: 10 }), fc.integer().map(String), fc.constantFrom('0', '1', '50', '501', '-1', '1e2', '1.5', 'NaN', '', 'strict', 'none', 'medtop:15000000', 'FR', 'xx'), oddString, longString);
const queryKey = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('limit', 'cursor', 'owner', 'topic', 'country', 'validate', 'token', 'q', 'hub.mode', '__proto__', 'constructor') },
  { weight: 1, arbitrary: oddString },
);

function keyHeader(context: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const key = fc.oneof(
    fc.constant(context.adminKey),
    fc.constant(context.ownerKey),
    fc.constant(context.adminKey.slice(0, -1) + 'x'),
    fc.stringMatching(/^na_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/),
    oddString,
    longString,
  );
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 6, arbitrary: fc.constant({ authorization: `Bearer ${context.adminKey}` }) },
    { weight: 2, arbitrary: fc.constant({ authorization: `Bearer ${context.ownerKey}` }) },
    { weight: 2, arbitrary: key.map((k) => ({ authorization: `Bearer ${k}` })) },
    { weight: 1, arbitrary: key.map((k) => ({ 'x-api-key': k })) },
    { weight: 1, arbitrary: oddString.map((v) => ({ authorization: v })) },
  );
}

const contentType = fc.oneof(
  fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/merge-patch+json', 'text/plain', 'text/x-opml', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''),
  oddString,
);

const subscriptionLike = fc.record(
  {
    name: fc.oneof(fc.string(), oddString, longString),
    topics: fc.array(fc.oneof(fc.constantFrom('medtop:15000000', 'medtop:11000000', 'medtop:99999999'), oddString), { maxLength: 3 }),
    countries: fc.array(fc.oneof(fc.constantFrom('FR', 'RU', 'xx', 'ZZ'), oddString), { maxLength: 3 }),
    keywords: fc.array(fc.oneof(fc.string(), oddString), { maxLength: 3 }),
    query: fc.oneof(fc.constantFrom('a AND (b OR c)', 'AND', '((((', '"'), oddString, longString),
    channel: fc.oneof(
      fc.constant({ type: 'sns' }),
      fc.record({ type: fc.constant('webhook'), url: fc.oneof(fc.constantFrom('http://10.0.0.1/x', 'https://hooks.example/x', 'http://[::1]/', 'ftp://x'), oddString) }),
      fc.jsonValue(),
    ),
    frequency: fc.oneof(fc.constant({ mode: 'instant' }), fc.record({ mode: fc.constantFrom('daily', 'hourly', 'weekly'), timeZone: fc.oneof(fc.constantFrom('UTC', 'Mars/Olympus'), oddString) })),
    minScore: fc.oneof(fc.double(), fc.integer()),
    until: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), oddString),
    graceSeconds: fc.oneof(fc.integer(), fc.double()),
    url: fc.oneof(fc.constantFrom('https://news.example/rss.xml', 'http://127.0.0.1/', 'http://169.254.169.254/', 'javascript:alert(1)'), oddString, longString),
    scope: fc.oneof(fc.constantFrom('admin', 'owner'), oddString),
    owner: fc.oneof(fc.constantFrom('alice', 'admin'), oddString),
    opml: fc.oneof(fc.constantFrom('<opml><body><outline xmlUrl="https://x.example/f"/></body></opml>', '<opml>'), oddString),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 4, arbitrary: subscriptionLike.map((value) => JSON.stringify(value)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.oneof(oddString, fc.constantFrom('{', '[1,', '{"a":', 'null', '"x"', '\ufeff{}', '{"__proto__":{"x":1}}')) },
  { weight: 1, arbitrary: fc.integer({ min: 64 * 1024 - 8, max: 200_000 }).map((n) => JSON.stringify({ name: 'x'.repeat(n) })) },
);

/** One random request as an API Gateway HTTP API (payload v2) event. */
export function apiEvents(context: FuzzContext): fc.Arbitrary<APIGatewayProxyEventV2> {
  return fc
    .record({
      target: targetOf(context),
      query: fc.option(fc.dictionary(queryKey, queryValue, { maxKeys: 4 }), { freq: 2, nil: undefined }),
      auth: keyHeader(context),
      contentType: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 2, arbitrary: fc.option(contentType, { nil: undefined }) }),
      extraHeaders: fc.dictionary(fc.oneof(fc.constantFrom('content-length', 'host', 'x-forwarded-for', 'accept'), oddString), fc.oneof(fc.string(), oddString), { maxKeys: 2 }),
      body,
      base64: fc.boolean(),
    })
    .map(({ target: { method, path }, query, auth, contentType: type, extraHeaders, body: raw, base64 }) => ({
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: '',
      headers: { ...extraHeaders, ...auth, ...(type !== undefined ? { 'content-type': type } : {}) },
      ...(query !== undefined ? { queryStringParameters: query } : {}),
      requestContext: { http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'fuzz' }, requestId: 'fuzz' },
      ...(raw !== undefined ? { body: base64 ? Buffer.from(raw).toString('base64') : raw, isBase64Encoded: base64 } : { isBase64Encoded: false }),
    }) as unknown as APIGatewayProxyEventV2);
}
