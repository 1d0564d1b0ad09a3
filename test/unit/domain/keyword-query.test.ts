import { describe, expect, it } from 'vitest';
import { ValidationError } from '#domain/errors.js';
import {
  checkKeywordQuery,
  evaluateKeywordQuery,
  KeywordQueryError,
  matchedQueryTerms,
  parseKeywordQuery,
  prepareText,
} from '#domain/keyword-query.js';

const TITLE = 'Zelenský and Putin: talks in São Paulo on the Black Sea grain deal';
const SUMMARY = "Ukraine's COVID-19 response was not discussed. Football results follow.";

const matches = (query: string, title = TITLE, summary = SUMMARY): boolean =>
  evaluateKeywordQuery(parseKeywordQuery(query), prepareText([title, summary]));

describe('parseKeywordQuery semantics', () => {
  it.each([
    ['putin', true],
    ['putin AND zelensky', true],
    ['putin zelensky', true],
    ['putin AND biden', false],
    ['putin biden', false],
    ['biden OR putin', true],
    ['biden OR trump', false],
    ['putin NOT football', false],
    ['putin NOT tennis', true],
    ['NOT tennis', true],
    ['"black sea"', true],
    ['"sea black"', false],
    ['"sao paulo" AND "Black Sea"', true],
    ['(biden OR putin) AND (grain OR wheat)', true],
    ['(biden OR putin) AND (wheat OR corn)', false],
    ['biden OR putin AND wheat', false],
    ['putin OR biden AND wheat', true],
    ['NOT NOT putin', true],
    ['NOT (football OR putin)', false],
    ['covid-19', true],
    ['"covid 19" AND ukraine', true],
  ])('%s -> %s', (query, expected) => {
    expect(matches(query)).toBe(expected);
  });

  it('is case- and diacritics-insensitive in both directions', () => {
    expect(matches('ZELENSKY AND saopaulo')).toBe(false);
    expect(matches('ZELENSKY AND são')).toBe(true);
    expect(matches('Zelenský', 'zelensky wins', '')).toBe(true);
  });

  it('matches whole words only', () => {
    expect(matches('sea', 'Seashore and overseas', '')).toBe(false);
    expect(matches('ukrain', TITLE, SUMMARY)).toBe(false);
    expect(matches('ukraine', TITLE, SUMMARY)).toBe(true);
  });

  it('does not let a phrase span the title and the summary', () => {
    expect(matches('"grain deal ukraine"')).toBe(false);
  });

  it('treats lower-case and, or, not as words', () => {
    expect(matches('putin and talks')).toBe(true);
    expect(matches('putin or biden')).toBe(false);
    expect(matches('"was not discussed"')).toBe(true);
  });

  it('accepts typographic quotes around a phrase', () => {
    expect(matches('\u201Cblack sea\u201D')).toBe(true);
  });

  it('finds a term inside text written without spaces', () => {
    expect(matches('北京', '北京时间今天发布', '')).toBe(true);
    expect(matches('上海', '北京时间今天发布', '')).toBe(false);
  });

  it('lists the positive terms that matched, never those under NOT', () => {
    // Prepare
    const query = parseKeywordQuery('(putin OR biden) "black sea" NOT (football NOT putin)');

    // Act
    const terms = matchedQueryTerms(query, prepareText([TITLE, SUMMARY]));

    // Assess
    expect(terms).toEqual(['putin', 'black sea']);
  });
});

describe('parseKeywordQuery errors', () => {
  it.each([
    ['', 'the query is empty', 0],
    ['   ', 'the query is empty', 0],
    ['putin AND', 'AND at column 7 needs a term after it', 6],
    ['AND putin', 'AND at column 1 needs a term before it', 0],
    ['putin OR OR biden', 'OR at column 7 needs a term after it', 6],
    ['putin NOT', 'NOT at column 7 needs a term after it', 6],
    ['putin (biden', 'the "(" at column 7 is never closed', 6],
    ['putin) biden', 'unexpected ")" at column 6: there is no "(" to close', 5],
    ['putin AND ()', 'empty parentheses at column 11', 10],
    ['"black sea', 'the quote at column 1 is never closed', 0],
    ['putin ""', 'empty phrase at column 7', 6],
    ['putin AND !!!', '"!!!" at column 11 has no letters or digits', 10],
    ['(putin OR)', 'OR at column 8 needs a term after it', 7],
  ])('%j: %s', (query, message, position) => {
    // Act
    const error = (() => {
      try {
        parseKeywordQuery(query);
        return undefined;
      } catch (caught) {
        return caught;
      }
    })();

    // Assess
    expect(error).toBeInstanceOf(KeywordQueryError);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as KeywordQueryError).message).toBe(`Invalid query: ${message}`);
    expect((error as KeywordQueryError).issues).toEqual([{ path: 'query', message }]);
    expect((error as KeywordQueryError).position).toBe(position);
  });

  it('refuses queries too long, too deep or with too many terms', () => {
    expect(() => parseKeywordQuery('a '.repeat(600))).toThrow(/longer than 1000 characters/);
    expect(() => parseKeywordQuery('('.repeat(40) + 'a' + ')'.repeat(40))).toThrow(/nesting deeper than 32 levels/);
    expect(() => parseKeywordQuery(Array.from({ length: 101 }, (_, i) => `w${i}`).join(' '))).toThrow(/more than 100 terms/);
  });

  it('checkKeywordQuery returns the reason instead of throwing', () => {
    expect(checkKeywordQuery('putin OR')).toEqual({ message: 'OR at column 7 needs a term after it', position: 6 });
    expect(checkKeywordQuery('putin OR biden')).toBeUndefined();
  });
});
