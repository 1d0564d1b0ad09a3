// OPML text to outlines, leniently and in linear time. Most OPML in the wild is hand-edited or exported by tools that
// never escaped `&`, skip the version, or close outlines in the wrong order; a strict XML parser refuses them all.
// htmlparser2's tokenizer in xmlMode reads anything, never reads a DTD (so no entity expansion, no external
// entities), and we decode attribute values ourselves with the HTML attribute rules, which leave a bare `&region=`
// alone. The tree is ours, not htmlparser2's Parser: its stack costs O(depth) per tag, so 900 KB of outlines never
// closed took 12-55 s and 2.8 GB; ours is bounded in depth and in outlines, and the scan stops at the first limit.
import { decodeHTMLAttribute } from 'entities';
import { Tokenizer } from 'htmlparser2';
import { ValidationError } from '#domain/errors.js';
import type { OpmlDocument, OpmlOutline } from '#domain/opml.js';

/** More feed outlines than any real reading list; beyond it the document is refused rather than half-imported. */
export const MAX_OPML_OUTLINES = 10_000;
/** Outlines of any kind (categories too). */
export const MAX_OPML_ELEMENTS = 50_000;
/** Categories inside categories: real lists use two or three levels. */
export const MAX_OPML_DEPTH = 64;
/** A subscription list of 10,000 feeds is about 2 MB; the API takes less (MAX_OPML_BYTES). */
export const MAX_OPML_CHARS = 16 * 1024 * 1024;

interface OpenElement {
  name: string;
  /** An outline; a category contributes its title to the outlines inside it, a feed outline does not. */
  outline?: { category?: string };
}

function lowerKeys(attributes: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) result[key.toLowerCase()] = decodeHTMLAttribute(value);
  return result;
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function tooLarge(message: string): ValidationError {
  return new ValidationError('OPML too large', [{ path: '(body)', message }]);
}

/** Thrown inside the tokenizer's callbacks to stop it at the first limit. */
class StopOpml extends Error {
  constructor(readonly error: ValidationError) {
    super(error.message);
  }
}

/** The feed outline an `<outline>` with these attributes names, or undefined for a category (or anything else). */
function feedOutline(raw: Record<string, string>, open: readonly OpenElement[]): OpmlOutline | { category?: string } {
  const attributes = lowerKeys(raw);
  const label = present(attributes.title) ?? present(attributes.text);
  const type = attributes.type?.toLowerCase();
  // Some exporters write `url` where OPML says `xmlUrl`; only trust it on an outline typed as a feed.
  const xmlUrl = present(attributes.xmlurl) ?? (type === 'rss' || type === 'atom' ? present(attributes.url) : undefined);
  if (xmlUrl === undefined) return label !== undefined ? { category: label } : {};
  const categories = open.map((element) => element.outline?.category).filter((category): category is string => category !== undefined);
  const htmlUrl = present(attributes.htmlurl);
  const language = present(attributes.language);
  const country = present(attributes['newsalert:country']);
  return {
    xmlUrl,
    ...(label !== undefined ? { title: label } : {}),
    ...(htmlUrl !== undefined ? { htmlUrl } : {}),
    ...(language !== undefined ? { language } : {}),
    ...(country !== undefined ? { country } : {}),
    categories,
  };
}

/**
 * Reads every `<outline>` that names a feed, with the titles of the outlines around it as categories. Throws
 * ValidationError when the text has no `<opml>` element and no feed outline (it is not OPML), or is beyond a limit:
 * too long, too many outlines, or outlines nested too deeply.
 */
export function parseOpml(text: string): OpmlDocument {
  if (text.length > MAX_OPML_CHARS) throw tooLarge(`more than ${MAX_OPML_CHARS} characters`);
  const outlines: OpmlOutline[] = [];
  const open: OpenElement[] = [];
  let sawOpml = false;
  let inHead = false;
  let inHeadTitle = false;
  let title = '';
  let elements = 0;
  let tagName = '';
  let attributes: Record<string, string> = {};
  let attributeName = '';
  let attributeValue = '';
  const stop = (message: string): never => {
    throw new StopOpml(tooLarge(message));
  };

  const openTag = (): void => {
    const name = tagName.toLowerCase();
    if (name === 'opml') sawOpml = true;
    else if (name === 'head') inHead = true;
    else if (name === 'title' && inHead) inHeadTitle = true;
    if (open.length >= MAX_OPML_DEPTH) stop(`outlines nested deeper than ${MAX_OPML_DEPTH} levels`);
    if (name !== 'outline') {
      open.push({ name });
      return;
    }
    if (++elements > MAX_OPML_ELEMENTS) stop(`more than ${MAX_OPML_ELEMENTS} outlines`);
    const found = feedOutline(attributes, open);
    if ('xmlUrl' in found) {
      if (outlines.length >= MAX_OPML_OUTLINES) stop(`more than ${MAX_OPML_OUTLINES} feed outlines`);
      outlines.push(found);
      open.push({ name, outline: {} });
    } else {
      open.push({ name, outline: found });
    }
  };

  const closeTop = (): void => {
    const element = open.pop();
    if (element?.name === 'title') inHeadTitle = false;
    else if (element?.name === 'head') inHead = false;
  };

  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      onopentagname(start, end) {
        tagName = text.slice(start, end);
        attributes = {};
      },
      onattribname(start, end) {
        attributeName = text.slice(start, end);
        attributeValue = '';
      },
      onattribdata(start, end) {
        attributeValue += text.slice(start, end);
      },
      onattribentity() {},
      onattribend() {
        // The first of two same-named attributes wins, as in htmlparser2's Parser.
        if (!Object.hasOwn(attributes, attributeName)) attributes[attributeName] = attributeValue;
      },
      onopentagend() {
        openTag();
      },
      onselfclosingtag() {
        openTag();
        closeTop();
      },
      onclosetag(start, end) {
        const name = text.slice(start, end).toLowerCase();
        // A close tag ends the innermost open element of its name and everything left open inside it.
        let at = open.length - 1;
        while (at >= 0 && open[at]!.name !== name) at--;
        while (at >= 0 && open.length > at) closeTop();
      },
      ontext(start, end) {
        if (inHeadTitle) title += text.slice(start, end);
      },
      oncdata(start, end, offset) {
        if (inHeadTitle) title += text.slice(start, end - offset);
      },
      ontextentity() {},
      oncomment() {},
      ondeclaration() {},
      onprocessinginstruction() {},
      onend() {},
    },
  );
  try {
    tokenizer.write(text);
    tokenizer.end();
  } catch (error: unknown) {
    if (error instanceof StopOpml) throw error.error;
    throw error;
  }

  if (!sawOpml && outlines.length === 0) {
    throw new ValidationError('Not an OPML document', [{ path: '(body)', message: 'no <opml> element and no <outline xmlUrl=…>' }]);
  }
  const documentTitle = present(decodeHTMLAttribute(title.replace(/\s+/g, ' ')));
  return { ...(documentTitle !== undefined ? { title: documentTitle } : {}), outlines };
}
