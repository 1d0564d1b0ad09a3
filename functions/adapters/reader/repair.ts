// Checks and repairs on the decoded text before any XML parser sees it: where the XML starts (junk before the
// declaration), what the prolog holds (entity declarations are refused: billion laughs, XXE), the root element,
// and HTML named entities, which are not XML but fill real feeds.
import { decodeHTML } from 'entities';
import { FeedError } from '#domain/errors.js';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
/**
 * An ampersand that is not one of the references repairEntities leaves alone (XML's five, numeric ones). Most feeds
 * have none, and then the split-and-replace pass over the whole document is skipped.
 */
const NEEDS_ENTITY_REPAIR = /&(?!(?:amp|lt|gt|quot|apos);|#\d+;|#[xX][0-9a-fA-F]+;)/;

/** Everything before the root element: declaration, comments, doctype. */
export function prologOf(xml: string): string {
  // Walk the prolog's parts rather than search for the first tag: a comment may well contain "<item>".
  let index = 0;
  for (;;) {
    while (index < xml.length && /\s/.test(xml.charAt(index))) index++;
    let end: number;
    if (xml.startsWith('<?', index)) end = xml.indexOf('?>', index + 2) + 2;
    else if (xml.startsWith('<!--', index)) end = xml.indexOf('-->', index + 4) + 3;
    else if (/^<!doctype/i.test(xml.slice(index, index + 9))) end = doctypeEnd(xml, index);
    else break;
    if (end < index + 2) return xml;
    index = end;
  }
  return xml.slice(0, index);
}

/** End of a DOCTYPE, past its internal subset (`[...]`) where entity declarations live. */
function doctypeEnd(xml: string, start: number): number {
  let inSubset = false;
  let quote: string | undefined;
  for (let index = start + 9; index < xml.length; index++) {
    const char = xml.charAt(index);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '[') inSubset = true;
    else if (char === ']') inSubset = false;
    else if (char === '>' && !inSubset) return index + 1;
  }
  return -1;
}

export function rootElementName(xml: string): string | undefined {
  return /<([A-Za-z_][\w.:-]*)/.exec(xml.slice(prologOf(xml).length))?.[1];
}

/** Refuses a document whose prolog declares DTD entities, before any parser could expand them. */
export function refuseEntityDeclarations(xml: string): void {
  if (/<!ENTITY/i.test(prologOf(xml))) {
    throw new FeedError('entity-declaration', 'The document declares DTD entities; refused (entity expansion / XXE)');
  }
}

/**
 * HTML named entities (&nbsp;, &eacute;) are not XML, yet feeds are full of them and a strict parser stops at the
 * first. Outside CDATA and comments, turn known ones into numeric references and escape stray ampersands.
 */
export function repairEntities(xml: string): string {
  if (!NEEDS_ENTITY_REPAIR.test(xml)) return xml;
  return splitProtected(xml)
    .map((part, index) => {
      if (index % 2 === 1) return part;
      return part.replace(/&(?!#\d+;|#x[0-9a-f]+;)([A-Za-z][A-Za-z0-9]*;)?/gi, (match: string, named?: string) => {
        if (named === undefined) return '&amp;';
        const name = named.slice(0, -1);
        if (XML_ENTITIES.has(name)) return match;
        const decoded = decodeHTML(match);
        if (decoded === match) return `&amp;${named}`;
        return [...decoded].map((char) => `&#${char.codePointAt(0) ?? 0xfffd};`).join('');
      });
    })
    .join('');
}

/** The openers of the sections whose text is not XML markup, and their terminators. */
const PROTECTED = [
  { open: '<![CDATA[', close: ']]>' },
  { open: '<!--', close: '-->' },
] as const;

/**
 * The text split around CDATA sections and comments: [markup, section, markup, section, …, markup], as
 * String.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/) would, in one pass. An opener whose terminator never
 * comes is markup; once one is missing for a kind, every later opener of that kind is markup too, so each search
 * starts where the last one stopped and no character is scanned twice by it.
 */
export function splitProtected(xml: string): string[] {
  const parts: string[] = [];
  /** Per kind: the next opener at or after the cursor (-1: none), and whether terminators ran out. */
  const next = PROTECTED.map(({ open }) => xml.indexOf(open));
  let from = 0;
  let cursor = 0;
  for (;;) {
    let kind = -1;
    for (let candidate = 0; candidate < PROTECTED.length; candidate++) {
      if (next[candidate]! < cursor && next[candidate] !== -1) next[candidate] = xml.indexOf(PROTECTED[candidate]!.open, cursor);
      if (next[candidate] !== -1 && (kind === -1 || next[candidate]! < next[kind]!)) kind = candidate;
    }
    if (kind === -1) break;
    const { open, close } = PROTECTED[kind]!;
    const start = next[kind]!;
    const end = xml.indexOf(close, start + open.length);
    if (end === -1) {
      next[kind] = -1;
      continue;
    }
    parts.push(xml.slice(from, start), xml.slice(start, end + close.length));
    from = cursor = end + close.length;
  }
  parts.push(xml.slice(from));
  return parts;
}

/** Looked for in the first bytes only: junk before the declaration is a notice or a stray line, not a page. */
const JUNK_SCAN_CHARS = 4096;

/** Where the XML starts: at `<?xml` when junk (PHP notices, blank lines, stray text) precedes it, else the first `<`. */
export function xmlStart(decoded: string): number {
  const declaration = decoded.slice(0, JUNK_SCAN_CHARS).indexOf('<?xml');
  return declaration !== -1 ? declaration : decoded.indexOf('<');
}
