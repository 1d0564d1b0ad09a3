// Relative references in a feed to absolute URLs. The base of a reference is, in this order (RFC 3986 §5.1, with
// the feed's own links before the retrieval URL, as feed readers do): the xml:base in scope (XML Base: each
// element's xml:base resolved against its parent's, the root's against the document's URL), else the feed's link
// (its site), else its self URL (as the feed states it), else the final URL the feed was fetched from. Only http(s)
// bases count: an xml:base of "javascript:..." or "file:..." is ignored, and the parent's base stays in force.

/** What a feed document's references fall back to when no xml:base is in scope; each absolute when present. */
export interface LinkContext {
  /** The final URL the document was fetched from (after redirects), when known. */
  documentUrl?: string;
  /** The feed's self URL: Atom `<link rel="self">`, RSS `<atom:link rel="self">`, JSON Feed `feed_url`. */
  selfUrl?: string;
  /** The feed's link to its site: RSS channel `<link>`, Atom alternate link, JSON Feed `home_page_url`. */
  feedLink?: string;
}

/** The xml:base values that apply to an element, from the document root inwards, as written (undefined: none). */
export type BaseChain = readonly (string | undefined)[];

/** A URL as written, with the xml:base values of the elements below the item (or feed) down to the one holding it. */
export interface LocatedUrl {
  url: string;
  bases: BaseChain;
}

/** `reference` resolved against `base` when that gives an http(s) URL. */
function httpUrl(reference: string, base: string | undefined): string | undefined {
  let url: URL;
  try {
    url = new URL(reference.trim(), base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}

/** An absolute http(s) URL, or undefined for anything else (relative, another scheme, unparseable). */
export function absoluteHttpUrl(candidate: string | undefined): string | undefined {
  return candidate === undefined ? undefined : httpUrl(candidate, undefined);
}

/**
 * The xml:base chain applied from the outside in, starting from `outer`. A value that does not resolve to an http(s)
 * URL (a relative one with no base yet, an unsafe scheme) leaves the base as it was.
 */
function resolveChain(chain: readonly string[], outer: string | undefined): string | undefined {
  let base = outer;
  for (const value of chain) base = httpUrl(value, base) ?? base;
  return base;
}

/** Empty and fragment-only values ("", "#top") leave the base where it is: they say nothing about where links go. */
function isSayingSomething(value: string | undefined): value is string {
  return value !== undefined && !/^\s*(?:#.*)?$/s.test(value);
}

/** The base for references on an element whose xml:base chain is `chain`. */
export function baseFor(chain: BaseChain, context: LinkContext): string | undefined {
  const fallback = context.feedLink ?? context.selfUrl ?? context.documentUrl;
  const declared = chain.filter(isSayingSomething);
  if (declared.length === 0) return fallback;
  // XML Base: the root's xml:base is relative to the document's own URL; without one, the feed's URLs stand in.
  return resolveChain(declared, context.documentUrl ?? context.selfUrl ?? context.feedLink) ?? fallback;
}

/**
 * A reference as the feed wrote it when it is already absolute (canonicalisation is the domain's job), else resolved
 * against `base`, else as written: the caller decides what an unresolvable reference is worth.
 */
export function resolveLink(reference: string | undefined, base: string | undefined): string | undefined {
  if (reference === undefined || URL.canParse(reference.trim()) || base === undefined) return reference;
  return httpUrl(reference, base) ?? reference;
}
