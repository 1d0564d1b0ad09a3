import { describe, expect, it } from 'vitest';
import { identifyLanguage, normalizeLanguageHint, regionOfLanguageTag } from '#domain/classification/language.js';

describe('language identification', () => {
  it.each([
    ['Russia’s Putin plans to visit China in May, the Kremlin said on Tuesday', 'en'],
    ['Путин посетит Китай в мае, сообщили в Кремле во вторник', 'ru'],
    ['Путін відвідає Китай у травні, повідомили в Кремлі у вівторок', 'uk'],
    ['Лукашэнка сустрэўся з прэм’ер-міністрам у Мінску ў аўторак', 'be'],
    ['Putin will im Mai nach China reisen, teilte der Kreml am Dienstag mit', 'de'],
    ['Poutine se rendra en Chine en mai, a annoncé le Kremlin mardi', 'fr'],
    ['بوتين يعتزم زيارة الصين في مايو، بحسب ما أعلن الكرملين الثلاثاء', 'ar'],
    ['普京计划五月访问中国，克里姆林宫周二表示', 'zh'],
    ['普京計劃五月訪問中國，克里姆林宮週二表示', 'zh'],
    ['プーチン大統領は5月に中国を訪問する予定だとクレムリンが発表した', 'ja'],
    ['푸틴 대통령이 5월 중국을 방문할 예정이라고 크렘린궁이 밝혔다', 'ko'],
    ['ปูตินเตรียมเยือนจีนในเดือนพฤษภาคม ทำเนียบเครมลินระบุ', 'th'],
    ['पुतिन मई में चीन की यात्रा करेंगे, क्रेमलिन ने मंगलवार को कहा', 'hi'],
    ['פוטין יבקר בסין במאי, כך נמסר מהקרמלין', 'he'],
    ['Ο Πούτιν θα επισκεφθεί την Κίνα τον Μάιο, ανακοίνωσε το Κρεμλίνο', 'el'],
    ['Putin mayısta Çin’i ziyaret edecek, Kremlin salı günü açıkladı', 'tr'],
    ['Putin odwiedzi Chiny w maju, poinformował Kreml we wtorek', 'pl'],
    ['Putin navštíví v květnu Čínu, oznámil v úterý Kreml', 'cs'],
    ['Putin vierailee Kiinassa toukokuussa, kertoi Kreml tiistaina', 'fi'],
    ['Putyin májusban Kínába látogat, közölte kedden a Kreml', 'hu'],
    ['Rais Putin atazuru China mwezi Mei, ikulu ya Kremlin ilisema Jumanne', 'sw'],
    ['12345 67890', 'und'],
  ])('identifies %j as %s', (text, language) => {
    // Act
    const result = identifyLanguage(text);

    // Assess
    expect(result.language).toBe(language);
  });

  it('never reads Ukrainian as Russian, or Russian as Ukrainian, on short headlines', () => {
    // Prepare
    const ukrainian = ['Зеленський зустрівся з прем’єр-міністром Польщі', 'У Києві оголосили повітряну тривогу', 'Україна отримає нові системи ППО'];
    const russian = ['Зеленский встретился с премьер-министром Польши', 'В Киеве объявили воздушную тревогу', 'Украина получит новые системы ПВО'];

    // Act / Assess
    for (const text of ukrainian) expect(identifyLanguage(text).language).toBe('uk');
    for (const text of russian) expect(identifyLanguage(text).language).toBe('ru');
  });

  it('keeps the declared language on a short or ambiguous text, reduced to ISO 639-1', () => {
    // Act
    const short = identifyLanguage('Trump in Davos', 'de-AT');
    const neighbour = identifyLanguage('Regjeringen la fram statsbudsjettet for neste år i dag', 'no');

    // Assess
    expect(short).toEqual({ language: 'de', confidence: 1, basis: 'hint' });
    expect(neighbour.language).toBe('no');
  });

  it('lets text that clearly reads as another language overrule the declaration', () => {
    // Act
    const english = identifyLanguage('The government said on Tuesday that the elections would be held in the spring.', 'de');
    const cyrillic = identifyLanguage('Путин посетит Китай', 'en');

    // Assess
    expect(english).toMatchObject({ language: 'en', basis: 'text' });
    expect(cyrillic.language).toBe('ru');
  });

  it('confirms a declaration the text agrees with', () => {
    // Act
    const result = identifyLanguage('Le gouvernement a présenté son budget pour l’année prochaine', 'fr-FR');

    // Assess
    expect(result.language).toBe('fr');
    expect(result.basis).toBe('text+hint');
  });
});

describe('language tags', () => {
  it.each([
    ['en-GB', 'en'],
    ['EN', 'en'],
    ['pt_BR', 'pt'],
    ['zh-Hant', 'zh'],
    ['nb', 'no'],
    ['iw', 'he'],
    ['not a tag', undefined],
  ])('reduces %j to %j', (tag, language) => {
    expect(normalizeLanguageHint(tag)).toBe(language);
  });

  it.each([
    ['pt-BR', 'BR'],
    ['en_gb', 'GB'],
    ['zh-Hant-TW', 'TW'],
    ['en', undefined],
    ['de-1996', undefined],
  ])('finds the region of %j', (tag, region) => {
    expect(regionOfLanguageTag(tag)).toBe(region);
  });
});
