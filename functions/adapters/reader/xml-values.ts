// Reading xml2js values, the shape rss-parser hands back: strings, `{ _: text, $: attributes }` and arrays of them.

export type XmlValue = unknown;
export type RawFields = Record<string, XmlValue>;

export function isRecord(value: XmlValue): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * How deep textOf follows mixed content. The reader refuses documents nested deeper than its limit before xml2js
 * builds them (scan.ts), so this only bounds the recursion should anything else hand a deeper value in.
 */
const MAX_TEXT_DEPTH = 300;

/** Text of an xml2js value: a string, an element with text (`_`), or the text leaves of mixed content. */
export function textOf(value: XmlValue, depth = 0): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (depth > MAX_TEXT_DEPTH) return undefined;
  if (Array.isArray(value)) return textOf(value[0], depth + 1);
  if (!isRecord(value)) return undefined;
  if (typeof value._ === 'string') return value._;
  const parts = Object.entries(value)
    .filter(([key]) => key !== '$')
    .map(([, child]) => (Array.isArray(child) ? child.map((each) => textOf(each, depth + 1)).join(' ') : textOf(child, depth + 1)))
    .filter((part): part is string => part !== undefined && part !== '');
  return parts.length > 0 ? parts.join(' ') : undefined;
}

export function attributes(value: XmlValue): Record<string, string> {
  if (!isRecord(value) || !isRecord(value.$)) return {};
  const result: Record<string, string> = {};
  for (const [key, attr] of Object.entries(value.$)) if (typeof attr === 'string') result[key] = attr;
  return result;
}

export function asArray(value: XmlValue): XmlValue[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function clean(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The key under which the parser keeps xml:base facts beside rss-parser's own fields. */
export const XML_BASE = 'xml:base';

/** The element's own xml:base attribute, as written. */
export function xmlBaseOf(element: XmlValue): string | undefined {
  return attributes(element)[XML_BASE];
}

/** The Atom `<link>` rss-parser takes as the link: the first rel="alternate", else the first. */
export function alternateLink(links: XmlValue): XmlValue {
  const all = asArray(links);
  return all.find((link) => attributes(link).rel === 'alternate') ?? all[0];
}
