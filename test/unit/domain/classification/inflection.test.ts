import { describe, expect, it } from 'vitest';
import { classify } from '#domain/classification/index.js';
import { INFLECTION, lookupKeys, stemAlias } from '#domain/classification/inflection.js';
import type { Classification } from '#domain/types.js';

function codes(result: Classification): string[] {
  return result.countries.map((country) => country.code);
}

/** The evidence spans of one country, as written in the text. */
function evidenceOf(result: Classification, code: string): string[] {
  return result.countries.find((country) => country.code === code)?.evidence.map((evidence) => evidence.text) ?? [];
}

describe('inflected country names, per language', () => {
  it.each([
    ['ru', 'Экспорт нефти из России снова вырос', 'Об этом сообщили в Кремле и в правительстве в Москве.', 'RU', ['России', 'Кремле', 'Москве']],
    ['ru', 'Переговоры с Китаем продолжатся', 'Делегация Китая прибудет в Пекине на следующей неделе.', 'CN', ['Китаем', 'Китая']],
    ['uk', 'Уряд України ухвалив бюджет', 'Засідання відбулося у Києві, повідомили в уряді.', 'UA', ['України', 'Києві']],
    ['pl', 'Wybory w Polsce odbędą się w październiku', 'Kampania w Warszawie już się zaczęła.', 'PL', ['Polsce', 'Warszawie']],
    ['cs', 'Inflace v Česku zpomalila', 'Česká národní banka v Praze ponechala sazby beze změny.', 'CZ', ['Česku']],
    ['fi', 'Venäjällä pidätettiin toimittaja', 'Suomen ulkoministeriö seuraa tilannetta Moskovassa.', 'RU', ['Venäjällä']],
    ['hu', 'Oroszországban letartóztattak egy újságírót', 'A budapesti kormány Moszkvában tárgyalt az ügyről.', 'RU', ['Oroszországban', 'Moszkvában']],
    ['tr', "Türkiye'nin ihracatı rekor kırdı", "Ticaret Bakanlığı Ankara'da rakamları açıkladı.", 'TR', ["Türkiye", 'Ankara']],
    ['el', 'Η κυβέρνηση της Ελλάδας ανακοίνωσε μέτρα', 'Η Αθήνα ζητά στήριξη από την Ευρωπαϊκή Ένωση.', 'GR', ['Ελλάδας', 'Αθήνα']],
    ['de', 'Russlands Exporte brechen ein', 'Die russische Wirtschaft leidet, heißt es in Moskau.', 'RU', ['Russlands', 'russische', 'Moskau']],
    ['ar', 'اتفاقية تجارية جديدة بين مصر والهند', 'وقعت القاهرة ونيودلهي الاتفاقية بحضور مسؤولين من الهند.', 'IN', ['والهند']],
    ['ar', 'استثمارات خليجية كبيرة بالصين', 'قال مسؤولون للصين إن الاستثمارات ستزيد.', 'CN', ['بالصين', 'للصين']],
    ['he', 'שר החוץ נפגש עם עמיתו ברוסיה', 'הפגישה נערכה במוסקבה.', 'RU', ['ברוסיה']],
    ['ko', '중국의 수출이 다시 늘었다', '중국 정부는 경기 부양책을 발표했다.', 'CN', ['중국']],
  ])('%s: finds %s (%s)', (_language, title, text, code, forms) => {
    // Act
    const result = classify({ title, text });

    // Assess
    expect(codes(result)).toContain(code);
    for (const form of forms) expect(evidenceOf(result, code).join(' ')).toContain(form);
  });

  it('does not confuse a short name with a longer word sharing its stem', () => {
    // Act
    const bark = classify({ title: 'Кора деревьев', text: 'Кора старых деревьев трескается от мороза.' });
    const korea = classify({ title: 'Кореи договорились', text: 'Южная Корея и Северная Корея возобновили связь.' });

    // Assess
    expect(codes(bark)).not.toContain('KR');
    expect(codes(korea)).toEqual(expect.arrayContaining(['KR', 'KP']));
  });

  it('keeps a name that starts with a prefix letter as itself (Libya, Egypt)', () => {
    // Act
    const libya = classify({ title: 'ليبيا تستأنف تصدير النفط', text: 'أعلنت المؤسسة الوطنية للنفط في ليبيا استئناف الإنتاج.' });
    const egypt = classify({ title: 'מצרים פתחה את המעבר', text: 'השלטונות במצרים הודיעו על פתיחת המעבר.' });

    // Assess
    expect(codes(libya)[0]).toBe('LY');
    expect(codes(egypt)[0]).toBe('EG');
  });
});

describe('inflection rules', () => {
  it('gives a declined form the stem its nominative is indexed under', () => {
    // Prepare
    const russian = INFLECTION['ru'];

    // Act
    const stem = stemAlias('россия', russian);

    // Assess
    for (const form of ['россии', 'россию', 'россиеи']) expect(lookupKeys(form, russian)).toContain(stem);
  });

  it('tries the word as written before any prefix is removed', () => {
    // Act
    const keys = lookupKeys('ليبيا', INFLECTION['ar']);

    // Assess
    expect(keys[0]).toBe('ليبيا');
  });
});
