import { describe, expect, it } from 'vitest';
import { findWord, internWord, tokenIdsOf, UNKNOWN_TOKEN, withTokenIds } from '#domain/classification/lexicon.js';
import { extractFeatures } from '#domain/classification/topic-features.js';
import { hashToken, tokenize } from '#domain/classification/tokenize.js';
import type { TokenStream } from '#domain/classification/tokenize.js';

/** The same stream as a hand-made one: no hashes or ids, so every stage has to work them out itself. */
function bare(stream: TokenStream): TokenStream {
  return { source: stream.source, norms: stream.norms, starts: stream.starts, ends: stream.ends };
}

describe('token hashes from the tokenizer', () => {
  it('equal the hash of each normalised token, for plain, capitalised and accented words', () => {
    // Act
    const stream = tokenize('Interest RATES in Zürich, Łódź and Côte d’Ivoire 2024');

    // Assess
    expect(stream.hashes).toEqual(stream.norms.map((norm) => hashToken(norm)));
  });
});

describe('extractFeatures', () => {
  it('gives the same vector whether the streams carry hashes and ids or not', () => {
    // Prepare
    const title = 'Bank of England raises interest rates';
    const text = 'The Bank of England raised interest rates again on Thursday, citing Zürich and Łódź markets.';

    // Act
    const shared = extractFeatures(withTokenIds(tokenize(title)), withTokenIds(tokenize(text)));
    const plain = extractFeatures(bare(tokenize(title)), bare(tokenize(text)));

    // Assess
    expect(shared).toEqual(plain);
    expect(shared.ids.length).toBeGreaterThan(0);
  });

  it('keeps no counts from one article to the next', () => {
    // Prepare
    const first = (): ReturnType<typeof extractFeatures> => extractFeatures(tokenize('Goal in the final'), tokenize('A late goal won the cup final.'));
    const before = first();

    // Act: another article with overlapping words in between
    extractFeatures(tokenize('Final goal'), tokenize('goal goal goal final final'));
    const after = first();

    // Assess
    expect(after).toEqual(before);
  });
});

describe('lexicon', () => {
  it('gives known words one stable id and unknown words UNKNOWN_TOKEN', () => {
    // Prepare
    const id = internWord('zzlexicontestword');

    // Act
    const ids = tokenIdsOf(tokenize('ZZLexiconTestWord qqneverseenword'));

    // Assess
    expect(internWord('zzlexicontestword')).toBe(id);
    expect(findWord('zzlexicontestword')).toBe(id);
    expect([...ids]).toEqual([id, UNKNOWN_TOKEN]);
  });
});
