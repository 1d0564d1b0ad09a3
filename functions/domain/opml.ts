// OPML: which outlines of a subscription list become feeds, and our feeds written back as OPML 2.0.
// Parsing the (often malformed) text is the adapter's job (adapters/opml-parser.ts); this module only decides.
import { FeedInputSchema, feedIdFor, type FeedInput } from './feed.js';
import type { Feed } from './types.js';

/** One outline that names a feed (`xmlUrl`), as found: attribute values entity-decoded, nothing else done. */
export interface OpmlOutline {
  xmlUrl: string;
  /** `title`, else `text`. */
  title?: string;
  htmlUrl?: string;
  language?: string;
  /** Our own extension attribute (`newsalert:country`), so an export re-imports without loss. */
  country?: string;
  /** Titles of the enclosing outlines, outermost first (categories, flattened away on import). */
  categories: string[];
}

export interface OpmlDocument {
  title?: string;
  outlines: OpmlOutline[];
}

export interface OpmlImportOptions {
  /** ISO 3166-1 alpha-2 applied to outlines that carry none. */
  defaultCountry?: string;
}

export type OpmlSkipReason = 'exists' | 'duplicate';

export interface OpmlImportPlan {
  /** Valid, new, one per URL: still to be address-checked and created. */
  candidates: { input: FeedInput; feedId: string }[];
  skipped: { url: string; feedId: string; reason: OpmlSkipReason }[];
  invalid: { url: string; title?: string; reason: string; detail: string }[];
}

/** The longest sourceName FeedInputSchema takes; longer OPML titles are cut rather than refused. */
const MAX_TITLE = 200;
/** OPML country attribute namespace: our extension, declared on the root of every export. */
export const NEWSALERT_OPML_NS = 'https://github.com/newsalert/newsalert/opml';

/**
 * The key two URLs of one feed share: WHATWG parsing lowercases scheme and host and drops the default port, so
 * "HTTP://Example.com:80/rss" and "http://example.com/rss" are one feed. The path and query stay as written.
 */
export function feedUrlKey(url: string): string {
  try {
    return new URL(url.trim()).href;
  } catch {
    return url.trim();
  }
}

function cleanTitle(title: string | undefined): string | undefined {
  const folded = title?.replace(/\s+/g, ' ').trim();
  if (folded === undefined || folded === '') return undefined;
  return folded.length > MAX_TITLE ? folded.slice(0, MAX_TITLE - 1).trimEnd() + '…' : folded;
}

function languageOf(value: string | undefined): string | undefined {
  // OPML carries RFC 5646 tags ("en-us"); feeds store the ISO 639-1 part only.
  const primary = value?.trim().toLowerCase().split(/[-_]/)[0];
  return primary !== undefined && /^[a-z]{2}$/.test(primary) ? primary : undefined;
}

/**
 * Decides, per outline, what an import does: add it, skip it (already a feed, or repeated in the file) or refuse it
 * with a reason. Never throws for bad outlines: one broken line must not sink a list of hundreds.
 */
export function planOpmlImport(document: OpmlDocument, existing: readonly Feed[], options: OpmlImportOptions = {}): OpmlImportPlan {
  const known = new Map<string, string>();
  for (const feed of existing) {
    known.set(feedUrlKey(feed.url), feed.feedId);
    known.set(feed.feedId, feed.feedId);
  }
  const seen = new Set<string>();
  const plan: OpmlImportPlan = { candidates: [], skipped: [], invalid: [] };

  for (const outline of document.outlines) {
    const url = outline.xmlUrl.trim();
    // OPML requires `text`, so exporters (ours included) write the URL there for an untitled feed: no title.
    const title = outline.title?.trim() === url ? undefined : cleanTitle(outline.title);
    const language = languageOf(outline.language);
    const country = outline.country?.trim() || options.defaultCountry;
    const parsed = FeedInputSchema.safeParse({
      url,
      ...(title !== undefined ? { sourceName: title } : {}),
      ...(country !== undefined ? { sourceCountry: country } : {}),
      ...(language !== undefined ? { language } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'url';
      plan.invalid.push({
        url,
        ...(title !== undefined ? { title } : {}),
        reason: field === 'url' ? 'invalid-url' : `invalid-${field}`,
        detail: `${field}: ${issue?.message ?? 'invalid'}`,
      });
      continue;
    }
    if (!URL.canParse(parsed.data.url)) {
      plan.invalid.push({ url, ...(title !== undefined ? { title } : {}), reason: 'invalid-url', detail: 'url: not a parseable URL' });
      continue;
    }
    const key = feedUrlKey(parsed.data.url);
    const feedId = feedIdFor(parsed.data.url);
    const existingId = known.get(key) ?? known.get(feedId);
    if (existingId !== undefined) {
      plan.skipped.push({ url, feedId: existingId, reason: 'exists' });
      continue;
    }
    if (seen.has(key)) {
      plan.skipped.push({ url, feedId, reason: 'duplicate' });
      continue;
    }
    seen.add(key);
    plan.candidates.push({ input: parsed.data, feedId });
  }
  return plan;
}

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]!};`);
}

// XML 1.0 forbids most C0 controls even as references; a title scraped from a feed can carry them.
function stripControls(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

function attribute(name: string, value: string | undefined): string {
  return value === undefined || value === '' ? '' : ` ${name}="${escapeXml(stripControls(value))}"`;
}

/** OPML 2.0 of the given feeds, sorted by title then URL so two exports of one list are byte-identical. */
export function renderOpml(feeds: readonly Feed[], options: { title: string; now: Date }): string {
  const sorted = [...feeds].sort(
    (a, b) => (a.sourceName ?? a.url).localeCompare(b.sourceName ?? b.url) || a.url.localeCompare(b.url),
  );
  const lines = sorted.map((feed) => {
    const text = feed.sourceName ?? feed.url;
    return (
      '    <outline type="rss"' +
      attribute('text', text) +
      attribute('title', feed.sourceName) +
      attribute('xmlUrl', feed.url) +
      attribute('language', feed.language) +
      attribute('newsalert:country', feed.sourceCountry) +
      '/>'
    );
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<opml version="2.0" xmlns:newsalert="${NEWSALERT_OPML_NS}">`,
    '  <head>',
    `    <title>${escapeXml(stripControls(options.title))}</title>`,
    `    <dateCreated>${options.now.toUTCString()}</dateCreated>`,
    '    <docs>http://opml.org/spec2.opml</docs>',
    '  </head>',
    '  <body>',
    ...lines,
    '  </body>',
    '</opml>',
    '',
  ].join('\n');
}
