import { describe, expect, it } from 'vitest';
import { CLASSIFIER_VERSION } from '#domain/classification/index.js';
import { classify } from '#adapters/classifier.js';
import type { Classification, CountryScore } from '#domain/types.js';
import { DEFAULT_TOPIC_MIN_SCORE } from '#domain/matching.js';

function countryOf(result: Classification, code: string): CountryScore | undefined {
  return result.countries.find((country) => country.code === code);
}

function codesOf(result: Classification): string[] {
  return result.countries.map((country) => country.code);
}

const PUTIN_TITLE = "Russia's Putin plans to visit China in May";
const PUTIN_TEXT =
  'MOSCOW (Reuters) - Russian President Vladimir Putin will travel to Beijing in May for talks with Chinese ' +
  'President Xi Jinping, the Kremlin said on Tuesday, as Moscow deepens ties with China amid the war in Ukraine. ' +
  "The visit comes as NATO allies and Washington press Beijing over its support for Moscow. The Kremlin's talks " +
  'with Beijing will cover trade and energy, Kremlin spokesman Dmitry Peskov told reporters. Western governments ' +
  'have imposed sanctions on Russia since its full-scale invasion of Ukraine, and NATO leaders meet in July.';

describe('classify: acceptance example', () => {
  it('makes Russia the primary country, keeps China high, and lists Ukraine and the US as mentioned', () => {
    // Prepare
    const input = { title: PUTIN_TITLE, text: PUTIN_TEXT };

    // Act
    const result = classify(input);

    // Assess
    expect(result.countries[0]?.code).toBe('RU');
    expect(result.countries[0]?.role).toBe('primary');
    const china = countryOf(result, 'CN');
    expect(china).toBeDefined();
    expect(china?.role === 'primary' || (china?.score ?? 0) >= 0.5).toBe(true);
    expect(countryOf(result, 'UA')?.role).toBe('mentioned');
    expect(countryOf(result, 'US')?.role).toBe('mentioned');
    expect(result.topics[0]?.code).toBe('medtop:11000000');
    expect(result.topics[0]?.label).toBe('politics');
    expect(result.language).toBe('en');
    expect(result.classifierVersion).toBe(CLASSIFIER_VERSION);
  });

  it('does not treat NATO as a country', () => {
    // Act
    const result = classify({ title: 'NATO allies meet in Brussels', text: 'NATO defence ministers gathered.' });

    // Assess
    expect(codesOf(result)).toEqual(['BE']);
  });

  it('returns the same classification for the same input', () => {
    // Act
    const first = classify({ title: PUTIN_TITLE, text: PUTIN_TEXT });
    const second = classify({ title: PUTIN_TITLE, text: PUTIN_TEXT });

    // Assess
    expect(second).toEqual(first);
  });
});

describe('classify: country disambiguation', () => {
  it('reads Georgia as the US state when the article is about Atlanta', () => {
    // Act
    const result = classify({
      title: 'Georgia voters head to the polls',
      text: 'ATLANTA (AP) — Voters across Georgia lined up on Tuesday as the governor urged turnout in Atlanta.',
    });

    // Assess
    expect(codesOf(result)).toContain('US');
    expect(codesOf(result)).not.toContain('GE');
  });

  it('reads Georgia as the country when Tbilisi is in the story', () => {
    // Act
    const result = classify({
      title: 'Georgia protests grow',
      text: 'TBILISI (Reuters) - Thousands rallied in Tbilisi against the government of Georgia on Sunday.',
    });

    // Assess
    expect(result.countries[0]?.code).toBe('GE');
    expect(codesOf(result)).not.toContain('US');
  });

  it('does not read Jordan or Chad as countries when they are part of a person name', () => {
    // Act
    const result = classify({
      title: 'Michael Jordan buys a team',
      text: 'Basketball legend Michael Jordan and Chad Smith met investors. Jordan said the deal was done.',
    });

    // Assess
    expect(codesOf(result)).not.toContain('JO');
    expect(codesOf(result)).not.toContain('TD');
  });

  it('reads Jordan and Chad as countries in place context', () => {
    // Act
    const result = classify({
      title: 'Floods hit Chad as aid arrives from Jordan',
      text: "Jordan's King Abdullah sent aid to Chad on Monday. Officials in Jordan said more would follow.",
    });

    // Assess
    expect(codesOf(result)).toEqual(expect.arrayContaining(['JO', 'TD']));
  });

  it('reads a surname after a country name as a person ("Jordan Peterson")', () => {
    // Act
    const result = classify({ title: 'Interview', text: 'The psychologist Jordan Peterson spoke on Monday.' });

    // Assess
    expect(codesOf(result)).not.toContain('JO');
  });

  it('does not read the bird as Turkey', () => {
    // Act
    const bird = classify({ title: 'How to roast a turkey', text: 'Brine the turkey overnight and roast it slowly.' });
    const country = classify({ title: 'Turkey raises interest rates', text: 'The central bank of Turkey acted.' });

    // Assess
    expect(bird.countries).toEqual([]);
    expect(country.countries[0]?.code).toBe('TR');
  });

  it('tells Niger from Nigeria (no prefix matching)', () => {
    // Act
    const nigeria = classify({ title: 'Nigeria votes', text: 'Nigerians voted in Lagos.' });
    const niger = classify({ title: 'Niger junta', text: 'Soldiers in Niger took power in Niamey.' });

    // Assess
    expect(codesOf(nigeria)).toEqual(['NG']);
    expect(codesOf(niger)).toEqual(['NE']);
  });

  it('reads New Mexico and New Jersey as US states, not Mexico or Jersey', () => {
    // Act
    const result = classify({
      title: 'Wildfire spreads in New Mexico',
      text: 'Crews from New Jersey joined firefighters in New Mexico.',
    });

    // Assess
    expect(codesOf(result)).toEqual(['US']);
  });

  it('reads Paris, Texas as the US and Paris alone as France', () => {
    // Act
    const texas = classify({ title: 'Storm hits Paris, Texas', text: 'The town in Texas lost power overnight.' });
    const france = classify({ title: 'Strikes in Paris', text: 'Trains were cancelled across the French capital.' });

    // Assess
    expect(texas.countries[0]?.code).toBe('US');
    expect(codesOf(texas)).not.toContain('FR');
    expect(france.countries[0]?.code).toBe('FR');
  });

  it('tells the Guineas apart (Guinea, Guinea-Bissau, Equatorial Guinea, Papua New Guinea)', () => {
    // Act
    const result = classify({
      title: 'Guinea, Guinea-Bissau, Equatorial Guinea and Papua New Guinea sign a fisheries pact',
      text: '',
    });

    // Assess
    expect(new Set(codesOf(result))).toEqual(new Set(['GN', 'GW', 'GQ', 'PG']));
  });

  it('finds major cities from GeoNames and regions of large countries', () => {
    // Act
    const result = classify({ title: 'Floods in Novosibirsk, Calgary and Bavaria', text: '' });

    // Assess
    expect(new Set(codesOf(result))).toEqual(new Set(['RU', 'CA', 'DE']));
  });

  it('does not read city names that are ordinary words or person names as places', () => {
    // Act
    const result = classify({ title: 'Reading and Mobile are Nice words', text: 'Jackson met Madison in Split decisions.' });

    // Assess
    expect(result.countries).toEqual([]);
  });

  it('tells South Korea from North Korea', () => {
    // Act
    const result = classify({
      title: 'South Korea warns North Korea over missile test',
      text: 'Seoul said Pyongyang fired a missile.',
    });

    // Assess
    expect(codesOf(result).sort()).toEqual(['KP', 'KR']);
  });

  it('tells the Republic of the Congo from the Democratic Republic of the Congo', () => {
    // Act
    const drc = classify({
      title: 'Fighting in the Democratic Republic of the Congo',
      text: 'Rebels advanced near Goma in eastern DR Congo.',
    });
    const congo = classify({ title: 'Congo election', text: 'Voters in Brazzaville chose a president.' });

    // Assess
    expect(codesOf(drc)).toEqual(['CD']);
    expect(codesOf(congo)).toEqual(['CG']);
  });

  it('tells Dominica from the Dominican Republic', () => {
    // Act
    const republic = classify({ title: 'Dominican Republic tourism booms', text: 'Santo Domingo hotels are full.' });
    const island = classify({ title: 'Hurricane hits Dominica', text: 'Roseau lost power.' });

    // Assess
    expect(codesOf(republic)).toEqual(['DO']);
    expect(codesOf(island)).toEqual(['DM']);
  });

  it('matches US and UK only in capitals', () => {
    // Act
    const caps = classify({ title: 'US and UK sign pact', text: 'The U.S. and the UK agreed.' });
    const words = classify({ title: 'Tell us more', text: 'Join us in the uk-based forum.' });

    // Assess
    expect(codesOf(caps).sort()).toEqual(['GB', 'US']);
    expect(words.countries).toEqual([]);
  });

  it('maps seats of government to their countries', () => {
    // Act
    const result = classify({
      title: 'Downing Street and the Élysée respond',
      text: 'The White House, the Kremlin and Zhongnanhai stayed silent; officials in Kiev welcomed the move.',
    });

    // Assess
    expect(codesOf(result).sort()).toEqual(['CN', 'FR', 'GB', 'RU', 'UA', 'US']);
  });

  it('does not read regions that contain a country name as that country', () => {
    // Act
    const result = classify({
      title: 'Latin America and the Middle East',
      text: 'Growth in Latin America slowed, New England saw snow and the Gulf of Mexico was calm.',
    });

    // Assess
    expect(result.countries).toEqual([]);
  });

  it('matches country names written in other languages', () => {
    // Act
    const result = classify({ title: 'Deutschland und Frankreich', text: 'Россия und España.' });

    // Assess
    expect(codesOf(result).sort()).toEqual(['DE', 'ES', 'FR', 'RU']);
  });
});

describe('classify: salience', () => {
  it('ranks a country in the title above one mentioned in the lead', () => {
    // Prepare
    const filler = 'The committee discussed budgets and schedules at length. '.repeat(20);

    // Act
    const result = classify({ title: 'Peru approves new budget', text: `A delegate from Chile attended. ${filler}` });

    // Assess
    expect(result.countries.map(({ code, role }) => [code, role])).toEqual([
      ['PE', 'primary'],
      ['CL', 'mentioned'],
    ]);
    expect(countryOf(result, 'PE')!.score).toBeGreaterThan(countryOf(result, 'CL')!.score);
  });

  it('makes the only country, named once in the lead, primary', () => {
    // Prepare
    const filler = 'Officials reviewed the plan and will report next week. '.repeat(20);

    // Act
    const result = classify({ title: 'Committee reviews the plan', text: `Experts from Norway advised. ${filler}` });

    // Assess
    expect(result.countries).toHaveLength(1);
    expect(result.countries[0]).toMatchObject({ code: 'NO', role: 'primary' });
  });

  it('drops a single passing mention deep in the body, as editors do', () => {
    // Prepare
    const filler = 'Officials reviewed the plan and will report next week. '.repeat(20);

    // Act
    const result = classify({ title: 'Committee reviews the plan', text: `${filler}Experts from Norway advised.` });

    // Assess
    expect(result.countries).toEqual([]);
  });

  it('counts a dateline as a strong signal', () => {
    // Prepare
    const filler = 'The talks went on for hours. '.repeat(20);

    // Act
    const result = classify({ title: 'Talks continue', text: `NAIROBI (Reuters) - A Uganda envoy attended. ${filler}` });

    // Assess
    expect(result.countries[0]).toMatchObject({ code: 'KE', role: 'primary' });
    expect(countryOf(result, 'UG')?.role).toBe('mentioned');
  });

  it('reads a US state abbreviation in a dateline, and only there', () => {
    // Act
    const dateline = classify({ title: 'Company posts profit', text: 'STAMFORD, Conn., March 3 - The company said net rose.' });
    const body = classify({ title: 'Mass protest', text: 'Thousands joined the Mass in the square on Sunday.' });

    // Assess
    expect(dateline.countries[0]).toMatchObject({ code: 'US', role: 'primary' });
    expect(dateline.countries[0]?.evidence[0]?.text).toBe('Conn');
    expect(body.countries).toEqual([]);
  });

  it('reads a dotted "U.S." in a headline written in capitals, but not "US" there', () => {
    // Act
    const dotted = classify({ title: 'U.S. COMMERCIAL PAPER FALLS 375 MLN DLRS', text: '' });
    const bare = classify({ title: 'TELL US WHAT YOU THINK ABOUT THE PLAN', text: '' });

    // Assess
    expect(dotted.countries.map((country) => country.code)).toEqual(['US']);
    expect(bare.countries).toEqual([]);
  });

  it('drops an ambiguous weak alias mentioned once deep in the text', () => {
    // Prepare
    const filler = 'The museum opened a new wing for modern art and sculpture. '.repeat(20);

    // Act
    const result = classify({ title: 'Museum opens wing', text: `${filler}Visitors came from all over America.` });

    // Assess
    expect(result.countries).toEqual([]);
  });
});

describe('classify: evidence', () => {
  it('points each evidence span at the text as written, in the right field and offset', () => {
    // Prepare
    const input = { title: "Élysée backs Côte d'Ivoire deal", text: 'Officials in Abidjan and the U.S. welcomed it.' };

    // Act
    const result = classify(input);

    // Assess
    for (const country of result.countries) {
      for (const evidence of country.evidence) {
        const source = evidence.field === 'title' ? input.title : input.text;
        expect(source.slice(evidence.start, evidence.start + evidence.text.length)).toBe(evidence.text);
      }
    }
    expect(countryOf(result, 'CI')?.evidence[0]).toEqual({ text: "Côte d'Ivoire", field: 'title', start: 13 });
    expect(countryOf(result, 'FR')?.evidence[0]).toEqual({ text: 'Élysée', field: 'title', start: 0 });
    expect(countryOf(result, 'US')?.evidence[0]).toEqual({ text: 'U.S', field: 'text', start: 29 });
  });

  it('lists the terms behind each topic', () => {
    // Act
    const result = classify({
      title: 'Heatwave to bring record temperatures',
      text: 'Forecasters at the Met Office expect temperatures of 40 Celsius.',
    });

    // Assess
    expect(result.topics[0]?.code).toBe('medtop:17000000');
    expect(result.topics[0]?.evidence).toEqual(expect.arrayContaining(['temperatures', 'heatwave']));
  });
});

describe('classify: topics', () => {
  it.each([
    ['Champions League final: Madrid beat Dortmund', 'The striker scored twice as the team won the cup in the stadium.', 'medtop:15000000'],
    ['Central bank raises interest rates', 'Inflation rose and investors sold shares as the economy slowed.', 'medtop:04000000'],
    ['Police arrest suspect in murder case', 'The prosecutor said he will be charged in court on Monday.', 'medtop:02000000'],
    ['Measles outbreak spreads', 'Hospitals reported more patients and health officials urged vaccination.', 'medtop:07000000'],
    ['Heatwave to bring record temperatures', 'Forecasters at the Met Office expect temperatures of 40 Celsius.', 'medtop:17000000'],
    ['Teachers and students return to school', 'The university campus reopened and pupils sat exams.', 'medtop:05000000'],
  ])('puts "%s" in the expected topic first', (title, text, code) => {
    // Act
    const result = classify({ title, text });

    // Assess
    expect(result.topics[0]?.code).toBe(code);
    expect(result.topics[0]?.score).toBeGreaterThan(0);
    expect(result.topics[0]?.score).toBeLessThanOrEqual(1);
  });

  it('still gives an unconvincing text its best guesses, with scores', () => {
    // Act
    const result = classify({ title: 'Notes', text: 'It was a long afternoon and then it was evening.' });

    // Assess: the article is not left blank; what is enough is the subscription's minScore (DEFAULT_TOPIC_MIN_SCORE)
    expect(result.topics.length).toBeGreaterThan(0);
    expect(result.topics.length).toBeLessThanOrEqual(3);
    expect(result.topics.every((topic) => topic.score > 0 && topic.score <= 1)).toBe(true);
    expect(DEFAULT_TOPIC_MIN_SCORE).toBeGreaterThan(0);
  });

  it('sorts topics by score', () => {
    // Act
    const result = classify({ title: PUTIN_TITLE, text: PUTIN_TEXT });

    // Assess
    const scores = result.topics.map((topic) => topic.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });
});

describe('classify: language and pass-through', () => {
  it.each([
    ['The government said that the plan will be ready for the vote.', 'en'],
    ['Die Regierung hat gesagt, dass der Plan nicht mit den Wahlen zu tun hat und auch nicht fertig ist.', 'de'],
    ["Le gouvernement a dit que les élections sont pour la fin de l'année et que le plan est prêt.", 'fr'],
    ['El gobierno dijo que las elecciones son para el final del año y que el plan está listo para los votantes.', 'es'],
    ['Il governo ha detto che le elezioni sono per la fine dell’anno e che il piano della città è pronto.', 'it'],
    ['O governo disse que as eleições são para o fim do ano e que o plano não está pronto para os eleitores.', 'pt'],
    ['De regering heeft gezegd dat het plan niet klaar is en dat de verkiezingen ook worden uitgesteld.', 'nl'],
    ['Правительство заявило, что выборы пройдут в конце года.', 'ru'],
    ['12345 67890', 'und'],
  ])('detects the language of %j', (text, language) => {
    // Act
    const result = classify({ title: '', text });

    // Assess
    expect(result.language).toBe(language);
  });

  it('keeps the language hint on a short item and reduces it to ISO 639-1', () => {
    // Act
    const result = classify({ title: 'Trump in Davos', text: '', language: 'de-AT' });

    // Assess
    expect(result.language).toBe('de');
  });

  it('lets content that clearly reads as another language overrule the hint', () => {
    // Act
    const result = classify({ title: 'Hello', text: 'The government said on Tuesday that the vote would be held in spring.', language: 'de' });

    // Assess
    expect(result.language).toBe('en');
  });

  it('passes the source country through without counting it as evidence', () => {
    // Act
    const result = classify({ title: 'Weather today', text: 'Sunny.', sourceCountry: 'GB' });

    // Assess
    expect(result.sourceCountry).toBe('GB');
    expect(result.countries).toEqual([]);
  });
});

describe('classify: edge inputs', () => {
  it('handles empty title and text', () => {
    // Act
    const result = classify({ title: '', text: '' });

    // Assess
    expect(result).toEqual({ language: 'und', topics: [], countries: [], classifierVersion: CLASSIFIER_VERSION });
  });

  it('finishes a 5 MB text with scores in range', () => {
    // Prepare
    const paragraph =
      'Officials in Kenya and Uganda discussed trade and elections while the football team trained. ';
    const text = paragraph.repeat(Math.ceil((5 * 1024 * 1024) / paragraph.length));

    // Act
    const started = performance.now();
    const result = classify({ title: 'Long report', text });
    const elapsed = performance.now() - started;

    // Assess
    expect(text.length).toBeGreaterThanOrEqual(5 * 1024 * 1024);
    expect(codesOf(result).sort()).toEqual(['KE', 'UG']);
    for (const item of [...result.countries, ...result.topics]) {
      expect(item.score).toBeGreaterThan(0);
      expect(item.score).toBeLessThanOrEqual(1);
    }
    expect(result.countries[0]?.evidence.length).toBeLessThanOrEqual(8);
    expect(elapsed).toBeLessThan(15_000);
  });

  it('survives binary garbage and lone surrogates', () => {
    // Prepare
    const garbage = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 7919) % 65536));

    // Act
    const result = classify({ title: garbage.slice(0, 100), text: `France \uD800 ${garbage}` });

    // Assess
    expect(codesOf(result)).toContain('FR');
  });
});
