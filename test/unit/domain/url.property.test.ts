import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl, isTrackingParam } from '#domain/url.js';

const TRACKING = ['utm_source', 'utm_medium', 'utm_campaign', 'UTM_Content', 'fbclid', 'gclid', 'mc_cid', 'mc_eid', 'at_medium', 'ns_mchannel'];
const MEANINGFUL = ['id', 'page', 'q', 'article', 'p', 's', 'lang', 'v'];

const host = fc
  .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 3 })
  .map((labels) => `${labels.join('.')}.example`);
const pathSegment = fc.stringMatching(/^[A-Za-z0-9._~%-]{0,12}$/);
const value = fc.stringMatching(/^[A-Za-z0-9._~-]{0,10}$/);
const param = (names: string[]) => fc.tuple(fc.constantFrom(...names), value).map(([name, v]) => `${name}=${v}`);

const articleUrl = fc
  .record({
    scheme: fc.constantFrom('http', 'https', 'HTTP', 'Https'),
    host,
    upperHost: fc.boolean(),
    port: fc.constantFrom('', ':80', ':443', ':8080'),
    path: fc.array(pathSegment, { maxLength: 4 }),
    params: fc.array(fc.oneof(param(TRACKING), param(MEANINGFUL)), { maxLength: 6 }),
    fragment: fc.option(fc.stringMatching(/^[A-Za-z0-9-]{0,8}$/), { nil: undefined }),
  })
  .map(({ scheme, host: name, upperHost, port, path, params, fragment }) => {
    const query = params.length > 0 ? `?${params.join('&')}` : '';
    return `${scheme}://${upperHost ? name.toUpperCase() : name}${port}/${path.join('/')}${query}${fragment === undefined ? '' : `#${fragment}`}`;
  });

describe('canonicalizeUrl properties', () => {
  it('is idempotent: a canonical URL canonicalises to itself', () => {
    fc.assert(
      fc.property(articleUrl, (url) => {
        const once = canonicalizeUrl(url);
        expect(once).toBeDefined();
        expect(canonicalizeUrl(once ?? '')).toBe(once);
      }),
      { numRuns: 500 },
    );
  });

  it('removes every tracking parameter, keeps every meaningful one in order, and drops the fragment', () => {
    fc.assert(
      fc.property(articleUrl, (url) => {
        const canonical = new URL(canonicalizeUrl(url) ?? '');
        const keptNames = [...canonical.searchParams.keys()];
        expect(keptNames.filter((name) => isTrackingParam(name))).toEqual([]);
        const original = new URL(url);
        const meaningful = [...original.searchParams.keys()].filter((name) => !isTrackingParam(name));
        expect(keptNames).toEqual(meaningful);
        expect(canonical.hash).toBe('');
        expect(canonical.host).toBe(canonical.host.toLowerCase());
        // The WHATWG URL reports '' for the scheme's default port: it must not survive in the text either.
        const defaultPort = canonical.protocol === 'http:' ? ':80/' : ':443/';
        expect(canonical.href).not.toContain(`${canonical.hostname}${defaultPort}`);
        expect(canonical.protocol).toBe(original.protocol.toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary input, with or without a base', () => {
    fc.assert(
      fc.property(fc.string(), fc.option(fc.oneof(fc.string(), articleUrl), { nil: undefined }), (raw, base) => {
        const result = canonicalizeUrl(raw, base);
        expect(result === undefined || /^https?:\/\//.test(result)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
