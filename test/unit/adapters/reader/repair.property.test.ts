// The XML repair's split around CDATA and comments is a scan now; the regex split it replaced is the oracle.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitProtected } from '#adapters/reader/repair.js';

const oracle = (xml: string): string[] => xml.split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/);
const piece = fc.constantFrom('<![CDATA[', ']]>', ']]', '<!--', '-->', '--', '<!-->', '<', '!', '[', ']', '>', '-', 'a', '&', ' ');

describe('splitProtected', () => {
  it('splits exactly as the regex split did', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((parts) => parts.join('')), (xml) => {
        expect(splitProtected(xml)).toEqual(oracle(xml));
      }),
      { numRuns: 5000 },
    );
  });
});
