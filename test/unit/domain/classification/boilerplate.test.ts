import { describe, expect, it } from 'vitest';
import { boilerplateSpans } from '#domain/classification/boilerplate.js';
import { classify } from '#domain/classification/index.js';

function codes(title: string, text: string): string[] {
  return classify({ title, text }).countries.map((country) => country.code);
}

describe('bylines, credits and sign-up prompts yield no country', () => {
  it('ignores a byline whose surname is a city (Wim De Gent is not Ghent)', () => {
    // Act
    const result = codes('Farmers protest EU rules', 'By Wim De Gent\n\nThousands of farmers drove tractors through the city on Thursday.');

    // Assess
    expect(result).not.toContain('BE');
  });

  it.each([
    ['Von Anna Berlin\nDie Regierung hat am Dienstag neue Regeln beschlossen.', 'DE'],
    ['Par Jean Paris\nLe gouvernement a présenté mardi son budget.', 'FR'],
    ['Reporting by Sydney Smith; Editing by Tom Hogue', 'AU'],
  ])('ignores the byline in %j', (text, code) => {
    expect(codes('Budget news', text)).not.toContain(code);
  });

  it('ignores photo credits and copyright lines', () => {
    // Act
    const result = codes('Markets rally', 'Stocks rose on Friday. Photo: Paris Match/Getty Images. © Reuters Jakarta bureau');

    // Assess
    expect(result).toEqual([]);
  });

  it('ignores a newsletter prompt that names a city, but not the story beside it', () => {
    // Act
    const result = codes(
      'Floods hit Romania',
      'Heavy rain flooded villages across Romania on Sunday. Sign up for our Brussels Playbook newsletter to get the news.',
    );

    // Assess
    expect(result).toEqual(['RO']);
  });

  it('keeps a sentence that starts with "By" and a date: only the names are a byline', () => {
    // Act
    const result = codes('Truce talks', 'By Tuesday, Russia had agreed to a ceasefire.');

    // Assess
    expect(result).toContain('RU');
  });

  it('scans a long hostile text in linear time', () => {
    // Prepare
    const text = `By ${'Aaaa '.repeat(50_000)}\n${'Photo: '.repeat(20_000)}${'x'.repeat(100_000)}`;

    // Act
    const started = performance.now();
    boilerplateSpans(text);

    // Assess: a backtracking pattern would take minutes here.
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
