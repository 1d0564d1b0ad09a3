// One linear pass over a feed's XML before rss-parser (xml2js) builds anything from it: how deep it nests, how many
// elements it has, where its items are and when each was published. htmlparser2's tokenizer is a state machine that
// looks at each character once and keeps no tree, so a hostile document costs at most one pass; what it finds
// decides whether the document is refused, handed on as it is, or cut down to the items a poll takes (select.ts).
import { Tokenizer } from 'htmlparser2';
import type { TokenizerCallbacks } from 'htmlparser2';
import { FeedError } from '#domain/errors.js';
import { FEED_LIMITS } from './limits.js';

/** One item element (RSS/RDF `<item>`, Atom `<entry>`) where rss-parser reads items: its span and what it holds. */
export interface ItemSpan {
  /** Index of its `<` and just past its closing `>`. */
  start: number;
  end: number;
  /** Elements inside it, itself included. */
  elements: number;
  /** The text of its first date element (pubDate, dc:date, published, updated, …), as written. */
  date?: string;
}

export interface XmlScan {
  items: ItemSpan[];
  /** Elements outside the items. */
  otherElements: number;
  /** The xml:lang of the root element, else of the first `<channel>`: a declared language. */
  xmlLang?: string;
}

const DATE_ELEMENTS = new Set(['pubDate', 'dc:date', 'published', 'updated', 'issued', 'modified', 'created', 'atom:published', 'atom:updated']);
/** A date is never longer; a longer text is no date, and is not kept. */
const MAX_DATE_CHARS = 200;

/** Thrown inside the tokenizer's callbacks to stop it at once; turned into the FeedError it carries. */
class StopScan extends Error {
  constructor(readonly error: FeedError) {
    super(error.message);
  }
}

function lineOf(xml: string, index: number): number {
  let line = 1;
  for (let at = xml.indexOf('\n'); at !== -1 && at < index; at = xml.indexOf('\n', at + 1)) line++;
  return line;
}

/** How far down the open elements a closing tag is matched. */
const CLOSE_SEARCH_DEPTH = 16;

function innermost(stack: readonly string[], tagName: string): number {
  for (let at = stack.length - 1; at >= 0 && at >= stack.length - CLOSE_SEARCH_DEPTH; at--) if (stack[at] === tagName) return at;
  return -1;
}

/** The tokenizer events the scan reads; the others (entities, comments, declarations, ...) change nothing it counts. */
type ScanCallbacks = Pick<
  TokenizerCallbacks,
  'onopentagname' | 'onattribname' | 'onattribdata' | 'onattribend' | 'onselfclosingtag' | 'onclosetag' | 'ontext' | 'oncdata'
>;

/** One pass of htmlparser2's tokenizer over `xml`, entities left as written; a StopScan ends it with its FeedError. */
function tokenize(xml: string, callbacks: ScanCallbacks): void {
  const ignore = (): void => {};
  const tokenizer = new Tokenizer(
    { xmlMode: true, decodeEntities: false },
    {
      ...callbacks,
      onattribentity: ignore,
      onopentagend: ignore,
      ontextentity: ignore,
      oncomment: ignore,
      ondeclaration: ignore,
      onprocessinginstruction: ignore,
      onend: ignore,
    },
  );
  try {
    tokenizer.write(xml);
    tokenizer.end();
  } catch (error: unknown) {
    if (error instanceof StopScan) throw error.error;
    throw error;
  }
}

/**
 * Scans `xml` (from its first tag on). Throws FeedError 'too-deep' when elements nest deeper than the limit, and
 * 'too-many-elements' when there are more elements outside the items than the limit: in both cases before any
 * parser has built a value from them.
 */
export function scanXml(xml: string, limits = FEED_LIMITS): XmlScan {
  const stack: string[] = [];
  const items: ItemSpan[] = [];
  let otherElements = 0;
  let current: ItemSpan | undefined;
  /** Depth of the element that holds the items (the root, or RSS's first channel), once known. */
  let containerDepth = -1;
  let itemName = 'item';
  let dateDepth = -1;
  let dateText = '';
  let tagStart = 0;
  let attributeName = '';
  let attributeValue = '';
  let rootLang: string | undefined;
  let channelLang: string | undefined;

  const name = (start: number, end: number): string => xml.slice(start, end);
  const stop = (error: FeedError): never => {
    throw new StopScan(error);
  };

  const open = (tagName: string): void => {
    stack.push(tagName);
    const depth = stack.length;
    if (depth > limits.maxDepth) {
      stop(new FeedError('too-deep', `Elements nested deeper than ${limits.maxDepth} levels (line ${lineOf(xml, tagStart)})`));
    }
    if (current !== undefined) {
      current.elements++;
      if (dateDepth === -1 && current.date === undefined && depth === containerDepth + 2 && DATE_ELEMENTS.has(tagName)) {
        dateDepth = depth;
        dateText = '';
      }
      return;
    }
    if (depth === 1) {
      itemName = tagName === 'feed' ? 'entry' : 'item';
      if (tagName.toLowerCase() !== 'rss') containerDepth = 1;
    } else if (depth === 2 && containerDepth === -1 && tagName === 'channel') {
      containerDepth = 2;
    }
    if (depth === containerDepth + 1 && tagName === itemName) {
      current = { start: tagStart, end: tagStart, elements: 1 };
      return;
    }
    otherElements++;
    if (otherElements > limits.maxOtherElements) {
      stop(new FeedError('too-many-elements', `More than ${limits.maxOtherElements} elements outside the feed's items`));
    }
  };

  const close = (end: number): void => {
    const depth = stack.length;
    stack.pop();
    if (depth === dateDepth && current !== undefined) {
      const date = dateText.trim();
      if (date !== '' && date.length <= MAX_DATE_CHARS) current.date = date;
      dateDepth = -1;
    }
    if (current !== undefined && depth === containerDepth + 1) {
      current.end = end;
      items.push(current);
      current = undefined;
    }
  };

  const text = (start: number, end: number): void => {
    if (dateDepth !== -1 && stack.length === dateDepth && dateText.length <= MAX_DATE_CHARS) dateText += xml.slice(start, end);
  };

  tokenize(xml, {
    onopentagname(start, end) {
      tagStart = start - 1;
      open(name(start, end));
    },
    onattribname(start, end) {
      attributeName = name(start, end);
      attributeValue = '';
    },
    onattribdata(start, end) {
      if (attributeName === 'xml:lang' && attributeValue.length < 100) attributeValue += xml.slice(start, end);
    },
    onattribend() {
      if (attributeName !== 'xml:lang' || attributeValue.trim() === '') return;
      if (stack.length === 1) rootLang ??= attributeValue.trim();
      else if (stack.at(-1) === 'channel') channelLang ??= attributeValue.trim();
    },
    onselfclosingtag(end) {
      close(end + 1);
    },
    onclosetag(start, end) {
      const closing = name(start, end);
      // Only a close that matches one of the few innermost open elements counts: a stray one is for the XML parser
      // to refuse, and looking no deeper keeps a run of stray closes linear.
      const at = innermost(stack, closing);
      if (at === -1) return;
      const gt = xml.indexOf('>', end);
      const after = gt === -1 ? xml.length : gt + 1;
      while (stack.length > at) close(after);
    },
    ontext: text,
    oncdata(start, end) {
      text(start, end);
    },
  });
  const xmlLang = rootLang ?? channelLang;
  return { items, otherElements, ...(xmlLang !== undefined ? { xmlLang } : {}) };
}
