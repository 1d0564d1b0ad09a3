// The author's name is found by a scan now; the regex it replaced (polynomial on runs of "@" and "(") is the oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { authorNameStart } from '#adapters/reader/rss-atom-item.js';

const oracle = (raw: string): string | undefined => /^\S+@\S+\s*\((.+)\)$/.exec(raw)?.[1];
const piece = fc.constantFrom('a', 'b', '@', '(', ')', ' ', '\t', '.', 'jane@example.com', ' (Jane Doe)');

describe('authorNameStart', () => {
  it('finds the name exactly where the regex did', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 16 }).map((parts) => parts.join('')), (raw) => {
        const open = authorNameStart(raw);
        expect(open === -1 ? undefined : raw.slice(open + 1, -1)).toBe(oracle(raw));
      }),
      { numRuns: 20_000, seed: 20261202 },
    );
  });

  it('reads "jane@example.com (Jane Doe)" as Jane Doe, and a bare name as no address', () => {
    const raw = 'jane@example.com (Jane Doe)';

    expect(raw.slice(authorNameStart(raw) + 1, -1)).toBe('Jane Doe');
    expect(authorNameStart('Jane Doe (Reuters)')).toBe(-1);
  });
});
