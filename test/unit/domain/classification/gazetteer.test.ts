import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildTrie, childOf, type GazetteerData } from '#domain/classification/gazetteer.js';
import { isAllCaps, normalizePhrase, normalizeToken, tokenize } from '#domain/classification/tokenize.js';

const GAZETTEER_PATH = fileURLToPath(new URL('../../../../functions/domain/classification/data/gazetteer.json', import.meta.url));

function readGazetteer(): GazetteerData {
  return JSON.parse(readFileSync(GAZETTEER_PATH, 'utf8')) as GazetteerData;
}

function aliasOwner(data: GazetteerData, alias: string): string[] {
  return Object.entries(data.aliases)
    .filter(([, byKind]) => Object.values(byKind).some((aliases) => aliases.includes(alias)))
    .map(([code]) => code);
}

describe('committed gazetteer', () => {
  it('stays compact with every language in it (a small share of the 40 MB data budget)', () => {
    // Act
    const bytes = statSync(GAZETTEER_PATH).size;

    // Assess
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
  });

  it('covers every ISO country the package lists and carries its licence', () => {
    // Act
    const data = readGazetteer();

    // Assess
    expect(Object.keys(data.aliases).length).toBeGreaterThanOrEqual(249);
    expect(data.license).toMatch(/ODbL/);
  });

  it('holds no lower-case alias shorter than three letters (they would match ordinary words)', () => {
    // Prepare
    const data = readGazetteer();

    // Act
    const short = Object.values(data.aliases).flatMap((byKind) =>
      Object.values(byKind).flatMap((aliases) => aliases.filter((alias) => !alias.includes(' ') && alias.length < 3)),
    );

    // Assess
    expect(short).toEqual([]);
  });

  it('keeps short codes as caps-only forms and maps news metonyms', () => {
    // Act
    const data = readGazetteer();

    // Assess
    expect(data.capsOnly['US']).toEqual(expect.arrayContaining(['us', 'u s']));
    expect(aliasOwner(data, 'us')).toEqual([]);
    expect(aliasOwner(data, 'kremlin')).toEqual(['RU']);
    expect(aliasOwner(data, 'downing street')).toEqual(['GB']);
    expect(aliasOwner(data, 'elysee')).toEqual(['FR']);
    expect(aliasOwner(data, 'kiev')).toEqual(['UA']);
    expect(aliasOwner(data, 'nato')).toEqual([]);
    expect(aliasOwner(data, 'congolese')).toEqual([]);
  });
});

describe('buildTrie', () => {
  it('lets a real alias win over a blocked phrase or a caps-only form at the same node', () => {
    // Prepare
    const data: GazetteerData = {
      source: 'test',
      license: 'test',
      aliases: { XA: { n: ['alpha'] } },
      capsOnly: { XB: ['alpha'] },
      blocked: ['alpha', 'alpha beta'],
    };

    // Act
    const root = buildTrie(data);

    // Assess
    const alpha = childOf(root, 'alpha');
    expect(alpha?.entry).toMatchObject({ code: 'XA', capsOnly: false });
    const alphaBeta = alpha === undefined ? undefined : childOf(alpha, 'beta');
    expect(alphaBeta?.entry).toMatchObject({ code: undefined, alias: 'alpha beta' });
  });
});

describe('tokenize', () => {
  it('splits on punctuation and folds case and diacritics, keeping offsets into the source', () => {
    // Act
    const tokens = tokenize("Élysée: Côte d'Ivoire, U.S.-Łódź");

    // Assess
    expect(tokens.norms).toEqual(['elysee', 'cote', 'd', 'ivoire', 'u', 's', 'lodz']);
    expect(tokens.starts.map((start, i) => tokens.source.slice(start, tokens.ends[i]))).toEqual([
      'Élysée', 'Côte', 'd', 'Ivoire', 'U', 'S', 'Łódź',
    ]);
  });

  it('normalises phrases and single tokens the same way', () => {
    // Act & Assess
    expect(normalizePhrase('  São   Tomé ')).toBe('sao tome');
    expect(normalizeToken('TÜRKİYE')).toBe('turkiye');
    expect(normalizeToken('Straße')).toBe('strasse');
  });

  it('tells all-caps tokens from capitalised ones', () => {
    // Act & Assess
    expect(isAllCaps('US')).toBe(true);
    expect(isAllCaps('Us')).toBe(false);
    expect(isAllCaps('123')).toBe(false);
  });
});
