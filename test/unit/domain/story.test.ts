import { describe, expect, it } from 'vitest';
import {
  chooseStory,
  contentHashFor,
  decodeFingerprint,
  encodeFingerprint,
  isSameStory,
  joinsStory,
  storyFingerprint,
  storyKeys,
  STORY_KEYS,
  type StoryCandidate,
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
