// Keywords and boolean keyword queries: how a term is found in an article, and the query language
//   putin AND (ukraine OR "black sea") NOT football
// AND, OR, NOT (upper case: lower-case "and", "or", "not" are words), "quoted phrases", parentheses, and an implicit
// AND between adjacent terms. NOT binds tightest, then AND, then OR. Matching is case- and diacritics-insensitive
// and on whole words: "art" finds "Art's" but not "party"; a bare "covid-19" is the phrase "covid 19".
import { ValidationError } from './errors.js';

/** Folds case and diacritics so "Übersee" and "ubersee" compare equal. */
export function foldText(text: string): string {
  // NFKD rather than NFD so compatibility forms (ligatures, full-width letters) fold too.
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;
// Scripts written without spaces between words: a word boundary there means nothing, so match as a substring.
const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

/** The folded words of a text, in order. */
export function splitWords(text: string): string[] {
  return foldText(text).split(WORD_SEPARATOR).filter((word) => word !== '');
}

export function hasUnspacedScript(word: string): boolean {
  return UNSPACED_SCRIPT.test(word);
}

// ---------------------------------------------------------------------------------------------------------------
// Terms

export interface KeywordTerm {
  /** As the subscriber wrote it (without quotes): what match reasons report. */
  text: string;
  /** Its folded words in order; a term without letters or digits has none and never matches. */
  words: string[];
  /**
   * Set when the term starts or ends in a script written without spaces (Chinese, Japanese, Thai...): there the
   * term is found inside a longer run of letters, so it is matched with this pattern instead of by whole words.
   */
  pattern?: RegExp;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compileTerm(text: string): KeywordTerm {
  const words = splitWords(text);
  const term: KeywordTerm = { text, words };
  const first = words[0];
  const last = words[words.length - 1];
  if (first === undefined || last === undefined) return term;
  const openStart = hasUnspacedScript(first.charAt(0));
  const openEnd = hasUnspacedScript(last.slice(-1));
  if (openStart || openEnd) {
    const start = openStart ? '' : '(?<![\\p{L}\\p{N}])';
    const end = openEnd ? '' : '(?![\\p{L}\\p{N}])';
    term.pattern = new RegExp(`${start}${words.map(escapeRegExp).join('[^\\p{L}\\p{N}]+')}${end}`, 'u');
  }
  return term;
}

/** The text a term is looked for in (an article's title and summary), folded and split once per article. */
export interface PreparedText {
  /** Each field folded; a phrase never spans two fields. */
  folded: string[];
  /** Each field's words in order. */
  words: string[][];
  /** Every word of every field. */
  wordSet: Set<string>;
}

export function prepareText(fields: readonly string[]): PreparedText {
  const folded = fields.map(foldText);
  const words = folded.map((field) => field.split(WORD_SEPARATOR).filter((word) => word !== ''));
  const wordSet = new Set<string>();
  for (const fieldWords of words) for (const word of fieldWords) wordSet.add(word);
  return { folded, words, wordSet };
}

function containsRun(haystack: readonly string[], run: readonly string[]): boolean {
  const first = run[0];
  outer: for (let i = haystack.indexOf(first ?? ''); i !== -1 && i + run.length <= haystack.length; i = haystack.indexOf(first ?? '', i + 1)) {
    for (let k = 1; k < run.length; k++) if (haystack[i + k] !== run[k]) continue outer;
    return true;
  }
  return false;
}

export function termMatches(term: KeywordTerm, text: PreparedText): boolean {
  const { words } = term;
  if (words.length === 0) return false;
  if (term.pattern) return text.folded.some((field) => term.pattern?.test(field) === true);
  for (const word of words) if (!text.wordSet.has(word)) return false;
  if (words.length === 1) return true;
  return text.words.some((fieldWords) => containsRun(fieldWords, words));
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

export type QueryNode =
  | { kind: 'term'; term: KeywordTerm }
  | { kind: 'and'; children: QueryNode[] }
  | { kind: 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

export interface KeywordQuery {
  source: string;
  root: QueryNode;
  /** The terms not under a NOT: the ones a match can be explained by. */
  positiveTerms: KeywordTerm[];
}

export const MAX_QUERY_LENGTH = 1000;
export const MAX_QUERY_TERMS = 100;
const MAX_QUERY_DEPTH = 32;

/** A query that does not parse. `position` is the 0-based offset of the problem; the message names the column. */
export class KeywordQueryError extends ValidationError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`Invalid query: ${message}`, [{ path: 'query', message }]);
    this.name = 'KeywordQueryError';
  }
}

type Token =
  | { type: 'word' | 'phrase'; text: string; position: number }
  | { type: 'and' | 'or' | 'not' | 'open' | 'close' | 'end'; text: string; position: number };

const QUOTES = new Set(['"', '\u201C', '\u201D', '\u201E']);
const OPERATORS: Record<string, 'and' | 'or' | 'not'> = { AND: 'and', OR: 'or', NOT: 'not' };

const column = (position: number): string => `column ${position + 1}`;

function tokenizeQuery(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source.charAt(i);
    if (/\s/u.test(char)) {
      i++;
    } else if (char === '(' || char === ')') {
      tokens.push({ type: char === '(' ? 'open' : 'close', text: char, position: i });
      i++;
    } else if (QUOTES.has(char)) {
      let end = i + 1;
      while (end < source.length && !QUOTES.has(source.charAt(end))) end++;
      if (end >= source.length) throw new KeywordQueryError(`the quote at ${column(i)} is never closed`, i);
      const text = source.slice(i + 1, end).trim().replace(/\s+/gu, ' ');
      if (text === '') throw new KeywordQueryError(`empty phrase at ${column(i)}`, i);
      tokens.push({ type: 'phrase', text, position: i });
      i = end + 1;
    } else {
      let end = i;
      while (end < source.length && !/[\s()]/u.test(source.charAt(end)) && !QUOTES.has(source.charAt(end))) end++;
      const text = source.slice(i, end);
      const operator = OPERATORS[text];
      tokens.push(operator ? { type: operator, text, position: i } : { type: 'word', text, position: i });
      i = end;
    }
  }
  tokens.push({ type: 'end', text: '', position: source.length });
  return tokens;
}

class QueryParser {
  private index = 0;
  private depth = 0;
  readonly positiveTerms: KeywordTerm[] = [];
  private termCount = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    // The tokenizer always ends the list with an "end" token and the parser never moves past it.
    return this.tokens[this.index] ?? { type: 'end', text: '', position: 0 };
  }

  private next(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  parseQuery(): QueryNode {
    const root = this.parseOr(false);
    const rest = this.peek();
    if (rest.type === 'close') throw new KeywordQueryError(`unexpected ")" at ${column(rest.position)}: there is no "(" to close`, rest.position);
    return root;
  }

  private requireOperand(operator: Token): void {
    const following = this.peek();
    if (following.type === 'end' || following.type === 'close' || following.type === 'and' || following.type === 'or') {
      throw new KeywordQueryError(`${operator.text} at ${column(operator.position)} needs a term after it`, operator.position);
    }
  }

  private parseOr(negated: boolean): QueryNode {
    const children = [this.parseAnd(negated)];
    while (this.peek().type === 'or') {
      this.requireOperand(this.next());
      children.push(this.parseAnd(negated));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'or', children: children.flatMap((c) => (c.kind === 'or' ? c.children : [c])) };
  }

  private parseAnd(negated: boolean): QueryNode {
    const children = [this.parseUnary(negated)];
    for (;;) {
      const token = this.peek();
      if (token.type === 'and') {
        this.requireOperand(this.next());
      } else if (token.type !== 'word' && token.type !== 'phrase' && token.type !== 'not' && token.type !== 'open') {
        break;
      }
      children.push(this.parseUnary(negated));
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'and', children: children.flatMap((c) => (c.kind === 'and' ? c.children : [c])) };
  }

  private parseUnary(negated: boolean): QueryNode {
    const token = this.peek();
    if (token.type === 'not') {
      this.next();
      this.requireOperand(token);
      return { kind: 'not', child: this.nested(token, () => this.parseUnary(!negated)) };
    }
    return this.parsePrimary(negated);
  }

  private nested(token: Token, parse: () => QueryNode): QueryNode {
    if (++this.depth > MAX_QUERY_DEPTH) {
      throw new KeywordQueryError(`nesting deeper than ${MAX_QUERY_DEPTH} levels at ${column(token.position)}`, token.position);
    }
    const node = parse();
    this.depth--;
    return node;
  }

  private parsePrimary(negated: boolean): QueryNode {
    const token = this.next();
    switch (token.type) {
      case 'open': {
        if (this.peek().type === 'close') throw new KeywordQueryError(`empty parentheses at ${column(token.position)}`, token.position);
        const inner = this.nested(token, () => this.parseOr(negated));
        const close = this.next();
        if (close.type !== 'close') throw new KeywordQueryError(`the "(" at ${column(token.position)} is never closed`, token.position);
        return inner;
      }
      case 'word':
      case 'phrase': {
        const term = compileTerm(token.text);
        if (term.words.length === 0) {
          throw new KeywordQueryError(`${JSON.stringify(token.text)} at ${column(token.position)} has no letters or digits`, token.position);
        }
        if (++this.termCount > MAX_QUERY_TERMS) {
          throw new KeywordQueryError(`more than ${MAX_QUERY_TERMS} terms (at ${column(token.position)})`, token.position);
        }
        if (!negated) this.positiveTerms.push(term);
        return { kind: 'term', term };
      }
      case 'close':
        throw new KeywordQueryError(`unexpected ")" at ${column(token.position)}: a term was expected`, token.position);
      case 'end':
        throw new KeywordQueryError(`the query ends where a term was expected`, token.position);
      default:
        // AND / OR where an operand belongs: "AND x", "(OR x)".
        throw new KeywordQueryError(`${token.text} at ${column(token.position)} needs a term before it`, token.position);
    }
  }
}

/** Parses a boolean keyword query. Throws KeywordQueryError (a ValidationError on path "query") saying what and where. */
export function parseKeywordQuery(source: string): KeywordQuery {
  if (typeof source !== 'string') throw new KeywordQueryError('must be a string', 0);
  if (source.length > MAX_QUERY_LENGTH) {
    throw new KeywordQueryError(`longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH);
  }
  if (source.trim() === '') throw new KeywordQueryError('the query is empty', 0);
  const parser = new QueryParser(tokenizeQuery(source));
  const root = parser.parseQuery();
  return { source, root, positiveTerms: parser.positiveTerms };
}

/** The reason a query does not parse, or undefined when it does: for schema refinements that collect issues. */
export function checkKeywordQuery(source: string): { message: string; position: number } | undefined {
  try {
    parseKeywordQuery(source);
    return undefined;
  } catch (error) {
    if (error instanceof KeywordQueryError) return { message: error.issues[0]?.message ?? error.message, position: error.position };
    throw error;
  }
}

function evaluateNode(node: QueryNode, text: PreparedText): boolean {
  switch (node.kind) {
    case 'term':
      return termMatches(node.term, text);
    case 'and':
      return node.children.every((child) => evaluateNode(child, text));
    case 'or':
      return node.children.some((child) => evaluateNode(child, text));
    case 'not':
      return !evaluateNode(node.child, text);
  }
}

/** Whether the text satisfies the query. */
export function evaluateKeywordQuery(query: KeywordQuery, text: PreparedText): boolean {
  return evaluateNode(query.root, text);
}

/** The positive terms found in the text: why a matching query matched. */
export function matchedQueryTerms(query: KeywordQuery, text: PreparedText): string[] {
  const found = query.positiveTerms.filter((term) => termMatches(term, text)).map((term) => term.text);
  return [...new Set(found)];
}
