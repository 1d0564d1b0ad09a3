import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  chooseStory,
  contentHashFor,
  contentHashOf,
  decodeFingerprint,
  encodeFingerprint,
  fingerprintOf,
  isSameStory,
  joinsStory,
  mayJoinStory,
  MIN_JOIN_JACCARD,
  storyFingerprint,
  storyKeys,
  storyTextOf,
  STORY_KEYS,
  type StoryCandidate,
  type StoryFingerprint,
} from '#domain/story.js';
import { DIFFERENT_STORY_PAIRS, SAME_STORY_PAIRS, type StoryText } from '../../fixtures/stories.js';

const fp = (text: StoryText) => storyFingerprint(text.title, text.summary);

describe('isSameStory', () => {
  it.each(SAME_STORY_PAIRS)('recognises two outlets reporting the same event: $name', ({ a, b }) => {
    // Act & Assess
    expect(isSameStory(fp(a), fp(b))).toBe(true);
    expect(isSameStory(fp(b), fp(a))).toBe(true);
  });

  it.each(DIFFERENT_STORY_PAIRS)('keeps apart different events of one country and subject: $name', ({ a, b }) => {
    // Act & Assess
    expect(isSameStory(fp(a), fp(b))).toBe(false);
  });

  it('does not merge two texts that share only a few words', () => {
    // Prepare
    const a = storyFingerprint('Floods in Kenya', 'Heavy rain.');
    const b = storyFingerprint('Floods in Kenya', 'Heavy rain.');

    // Act & Assess: identical, but too little text to call anything the same story
    expect(isSameStory(a, b)).toBe(false);
  });
});

describe('storyKeys', () => {
  it('files the two reports of one story under at least one shared key', () => {
    for (const { a, b } of SAME_STORY_PAIRS) {
      // Act
      const keysA = new Set(storyKeys(fp(a)));
      const keysB = storyKeys(fp(b));

      // Assess
      expect(keysB.some((key) => keysA.has(key))).toBe(true);
    }
  });

  it('gives at most STORY_KEYS keys, the same ones every time', () => {
    // Prepare
    const text = SAME_STORY_PAIRS[0]!.a;

    // Act
    const keys = storyKeys(fp(text));

    // Assess
    expect(keys.length).toBeLessThanOrEqual(STORY_KEYS);
    expect(keys).toEqual(storyKeys(fp(text)));
    expect(keys.every((key) => /^[0-9a-f]{8}$/.test(key))).toBe(true);
  });
});

describe('encodeFingerprint', () => {
  it('round-trips a fingerprint through its stored text form', () => {
    // Prepare
    const original = fp(SAME_STORY_PAIRS[1]!.b);

    // Act
    const decoded = decodeFingerprint(encodeFingerprint(original));

    // Assess
    expect(decoded).toBeDefined();
    expect([...decoded!.words]).toEqual([...original.words]);
    expect([...decoded!.titleWords]).toEqual([...original.titleWords]);
  });

  it('refuses text that is not a fingerprint', () => {
    expect(decodeFingerprint('not a fingerprint')).toBeUndefined();
    expect(decodeFingerprint('AAA.BB')).toBeUndefined();
  });
});

describe('chooseStory', () => {
  const candidate = (articleId: string, storyId: string, feedId: string, text: StoryText, seenAt = '2025-06-03T10:00:00.000Z'): StoryCandidate => ({
    articleId,
    storyId,
    feedId,
    seenAt,
    fingerprint: fp(text),
  });

  it('joins the story of the matching report from another outlet', () => {
    // Prepare
    const { a, b } = SAME_STORY_PAIRS[0]!;
    const unrelated = DIFFERENT_STORY_PAIRS[0]!.b;

    // Act
    const chosen = chooseStory({ articleId: 'new', feedId: 'outlet-b', fingerprint: fp(b) }, [
      candidate('rain', 'rain', 'outlet-c', unrelated),
      candidate('quake', 'story-quake', 'outlet-a', a),
    ]);

    // Assess
    expect(chosen?.storyId).toBe('story-quake');
  });

  it('never matches the article with itself, and starts a story when nothing matches', () => {
    // Prepare
    const { a } = SAME_STORY_PAIRS[0]!;

    // Act
    const chosen = chooseStory({ articleId: 'same', feedId: 'outlet-a', fingerprint: fp(a) }, [candidate('same', 'same', 'outlet-a', a)]);

    // Assess
    expect(chosen).toBeUndefined();
  });

  it('within one feed, joins only a near-identical copy (a series is not one story)', () => {
    // Prepare
    const { a, b } = SAME_STORY_PAIRS[0]!;

    // Act & Assess
    expect(joinsStory(fp(a), fp(b), true)).toBe(false);
    expect(joinsStory(fp(a), fp({ title: a.title, summary: `${a.summary} ` }), true)).toBe(true);
    expect(chooseStory({ articleId: 'n', feedId: 'one-feed', fingerprint: fp(b) }, [candidate('o', 'o', 'one-feed', a)])).toBeUndefined();
  });
});

describe('contentHashFor', () => {
  it('ignores case, punctuation, whitespace and diacritics', () => {
    expect(contentHashFor('U.S. talks resume in  Genève', 'Officials met on Monday.')).toBe(
      contentHashFor('US talks resume in Geneve', 'officials met on monday'),
    );
  });

  it('changes when a word of the title or summary changes', () => {
    const before = contentHashFor('Death toll rises to 40 in floods', 'Rescue teams are searching.');
    expect(contentHashFor('Death toll rises to 52 in floods', 'Rescue teams are searching.')).not.toBe(before);
    expect(contentHashFor('Death toll rises to 40 in floods', 'Rescue teams have stopped searching.')).not.toBe(before);
  });
});

describe('the story prefilter (mayJoinStory)', () => {
  /** Two fingerprints drawn from one small pool of word hashes, so that they often overlap enough to join. */
  const pair = fc
    .uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 5, maxLength: 60 })
    .chain((pool) =>
      fc.tuple(
        fc.subarray(pool, { minLength: 1 }),
        fc.subarray(pool, { minLength: 1 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
      ),
    )
    .map(([a, b, titleA, titleB]) => [fingerprintOf(a, titleA), fingerprintOf(b, titleB)] as const);

  function fingerprintOf(hashes: number[], titleCount: number): StoryFingerprint {
    const words = Uint32Array.from(hashes).sort();
    return { words, titleWords: Uint32Array.from(hashes.slice(0, titleCount)).sort() };
  }

  it('never turns away a pair that chooseStory would join, across feeds or within one', () => {
    fc.assert(
      fc.property(pair, fc.boolean(), ([a, b], sameFeed) => {
        // Prepare
        const minJaccard = sameFeed ? MIN_JOIN_JACCARD.sameFeed : MIN_JOIN_JACCARD.otherFeed;

        // Act
        const joins = joinsStory(a, b, sameFeed);
        const passes = mayJoinStory(a.words, b.words, minJaccard);

        // Assess
        if (joins) expect(passes).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('turns away texts that share too few words, and lets a close rewrite through', () => {
    // Prepare
    const story = storyFingerprint(
      'Northport ferry resumes service after storm damage repaired',
      'The harbour ferry between Northport and Eastwick resumed service on Monday after storm damage to the pier.',
    );
    const rewrite = storyFingerprint(
      'Ferry service between Northport and Eastwick resumes after storm repairs',
      'The harbour ferry between Northport and Eastwick resumed service on Monday after storm damage to the pier.',
    );
    const other = storyFingerprint('Central bank raises interest rates again', 'Inflation stayed above target for a third month, the bank said.');

    // Act / Assess
    expect(mayJoinStory(story.words, rewrite.words, MIN_JOIN_JACCARD.otherFeed)).toBe(true);
    expect(mayJoinStory(story.words, other.words, MIN_JOIN_JACCARD.otherFeed)).toBe(false);
    expect(mayJoinStory(story.words, story.words.subarray(0, 4), MIN_JOIN_JACCARD.otherFeed)).toBe(false);
  });
});

describe('storyTextOf (one tokenisation for the hash and the fingerprint)', () => {
  const long = 'Officials said the dam on the river held overnight. '.repeat(30);

  it.each([
    ['a short item', 'Floods in Kenya', 'Heavy rain fell.'],
    ['a lead longer than the prefix storyFingerprint tokenises', 'Dam holds as river rises', long],
    ['a summary cut in a word at the prefix', 'Storm', `${'a'.repeat(630)} Nairobiwaterfront ${'word '.repeat(80)}`],
  ])('gives what contentHashFor and storyFingerprint give, for %s', (_name, title, summary) => {
    // Act
    const text = storyTextOf(title, summary);

    // Assess
    expect(contentHashOf(text)).toBe(contentHashFor(title, summary));
    expect(fingerprintOf(text)).toEqual(storyFingerprint(title, summary));
  });
});
