// URL canonicalisation: the same article reached through different feeds, campaigns or share buttons must get the
// same canonical URL, because the article id is a hash of it.

const TRACKING_PREFIXES = ['utm_', 'ns_', 'pk_', 'mtm_', 'hsa_', 'fb_'];

// Parameters that only say where a click came from. Meaningful ones (id, page, q, ...) are never in this list.
const TRACKING_PARAMS = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'twclid',
  'ttclid',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  '_ga',
  '_gl',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'igshid',
  'igsh',
  'ref_src',
  'ref_url',
  'mkt_tok',
  'vero_id',
  'vero_conv',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'wt.mc_id',
  'xtor',
  'ocid',
  'smid',
  'smtyp',
  'sr_share',
  'guccounter',
  'guce_referrer',
  'guce_referrer_sig',
  '__twitter_impression',
  // AT Internet, used by the BBC's feeds (?at_medium=RSS&at_campaign=...).
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  'at_format',
  'at_link_id',
  'at_link_origin',
  'at_link_type',
  'at_ptr_name',
  'at_bbc_team',
]);

function decodeParamName(piece: string): string {
  const raw = piece.split('=', 1)[0] ?? '';
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/** Whether a query parameter name only tracks a campaign or click. */
export function isTrackingParam(name: string): boolean {
  const lower = name.toLowerCase();
  return TRACKING_PARAMS.has(lower) || TRACKING_PREFIXES.some((prefix) => lower.startsWith(prefix));
}

/** Resolves `raw` against `base` and returns it only if it is an absolute http(s) URL. Nothing else is changed. */
export function resolveHttpUrl(raw: string | undefined, base?: string): URL | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  if (trimmed === '') return undefined;
  let url: URL;
  try {
    url = base === undefined ? new URL(trimmed) : new URL(trimmed, base);
  } catch {
    // A bad base must not hide a good absolute URL.
    try {
      url = new URL(trimmed);
    } catch {
      return undefined;
    }
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

/**
 * The canonical form of an article URL, or undefined when it is not an http(s) URL: resolved against `base`, scheme
 * and host lower-cased, default port, fragment, credentials and tracking parameters dropped. The order and spelling
 * of the remaining query parameters are kept, since some sites route on them.
 */
export function canonicalizeUrl(raw: string, base?: string): string | undefined {
  const url = resolveHttpUrl(raw, base);
  if (url === undefined) return undefined;
  // The common case has nothing to drop; each setter below re-serialises the whole URL. An empty "?" or "#" still
  // shows in href and is dropped by the setters, hence the last test.
  if (url.search === '' && url.hash === '' && url.username === '' && url.password === '' && !/[?#]/.test(url.href)) {
    return url.href;
  }
  url.hash = '';
  url.username = '';
  url.password = '';
  // Work on the raw query: URLSearchParams would re-encode the parameters we keep.
  const kept = url.search
    .slice(1)
    .split('&')
    .filter((piece) => piece !== '' && !isTrackingParam(decodeParamName(piece)));
  url.search = kept.length > 0 ? `?${kept.join('&')}` : '';
  return url.href;
}

/** The URL without the slashes it ends with ("https://a.example//" -> "https://a.example"), to append a path. */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(0, end);
}
