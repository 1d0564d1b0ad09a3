// OPML text to outlines, leniently. Most OPML in the wild is hand-edited or exported by tools that never escaped
// `&`, skip the version, or close outlines in the wrong order; a strict XML parser refuses them all. htmlparser2 in
// xmlMode tokenises anything, never reads a DTD (so no entity expansion, no external entities), and we decode
// attribute values ourselves with the HTML attribute rules, which leave a bare `&region=` alone.
import { decodeHTMLAttribute } from 'entities';
import { Parser } from 'htmlparser2';
import { ValidationError } from '#domain/errors.js';
import type { OpmlDocument, OpmlOutline } from '#domain/opml.js';

/** More outlines than any real reading list; beyond it the document is refused rather than half-imported. */
export const MAX_OPML_OUTLINES = 10_000;

interface OpenOutline {
  /** A category contributes its title to the outlines inside it; a feed outline does not. */
  category?: string;
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

/**
 * Reads every `<outline>` that names a feed, with the titles of the outlines around it as categories. Throws
 * ValidationError when the text has no `<opml>` element and no feed outline (it is not OPML), or too many outlines.
 */
export function parseOpml(text: string): OpmlDocument {
  const outlines: OpmlOutline[] = [];
  const stack: OpenOutline[] = [];
  let sawOpml = false;
  let inHeadTitle = false;
  let inHead = false;
  let title = '';
  let tooMany = false;

  const parser = new Parser(
    {
      onopentag(rawName, rawAttributes) {
        const name = rawName.toLowerCase();
        if (name === 'opml') sawOpml = true;
        else if (name === 'head') inHead = true;
        else if (name === 'title' && inHead) inHeadTitle = true;
        if (name !== 'outline') return;
        const attributes = lowerKeys(rawAttributes);
        const label = present(attributes.title) ?? present(attributes.text);
        const type = attributes.type?.toLowerCase();
        // Some exporters write `url` where OPML says `xmlUrl`; only trust it on an outline typed as a feed.
        const xmlUrl = present(attributes.xmlurl) ?? (type === 'rss' || type === 'atom' ? present(attributes.url) : undefined);
        if (xmlUrl === undefined) {
          stack.push(label !== undefined ? { category: label } : {});
          return;
        }
        stack.push({});
        if (outlines.length >= MAX_OPML_OUTLINES) {
          tooMany = true;
          return;
        }
        const categories = stack.map((open) => open.category).filter((category): category is string => category !== undefined);
        const htmlUrl = present(attributes.htmlurl);
        const language = present(attributes.language);
        const country = present(attributes['newsalert:country']);
        outlines.push({
          xmlUrl,
          ...(label !== undefined ? { title: label } : {}),
          ...(htmlUrl !== undefined ? { htmlUrl } : {}),
          ...(language !== undefined ? { language } : {}),
          ...(country !== undefined ? { country } : {}),
          categories,
        });
      },
      ontext(chunk) {
        if (inHeadTitle) title += chunk;
      },
      onclosetag(rawName) {
        const name = rawName.toLowerCase();
        if (name === 'outline') stack.pop();
        else if (name === 'title') inHeadTitle = false;
        else if (name === 'head') inHead = false;
      },
    },
    { xmlMode: true, decodeEntities: false, recognizeSelfClosing: true },
  );
  parser.end(text);

  if (tooMany) {
    throw new ValidationError('OPML too large', [{ path: '(body)', message: `more than ${MAX_OPML_OUTLINES} feed outlines` }]);
  }
  if (!sawOpml && outlines.length === 0) {
    throw new ValidationError('Not an OPML document', [{ path: '(body)', message: 'no <opml> element and no <outline xmlUrl=…>' }]);
  }
  const documentTitle = present(decodeHTMLAttribute(title.replace(/\s+/g, ' ')));
  return { ...(documentTitle !== undefined ? { title: documentTitle } : {}), outlines };
}
