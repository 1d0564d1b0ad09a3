import { describe, expect, it } from 'vitest';
import { parseMaxAge } from '#adapters/http/feed-fetcher.js';

describe('parseMaxAge', () => {
  it('reads max-age among other directives', () => {
    expect(parseMaxAge('public, max-age=600')).toBe(600);
    expect(parseMaxAge('max-age="120", must-revalidate')).toBe(120);
    expect(parseMaxAge('MAX-AGE = 30')).toBe(30);
  });

  it('ignores s-maxage and headers without max-age', () => {
    expect(parseMaxAge('s-maxage=600')).toBeUndefined();
    expect(parseMaxAge('no-cache')).toBeUndefined();
    expect(parseMaxAge(undefined)).toBeUndefined();
  });
});
