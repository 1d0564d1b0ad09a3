import { describe, expect, it } from 'vitest';
import { classify } from '#domain/classification/index.js';
import type { Classification } from '#domain/types.js';
import { loadMultilingualItems } from '../../../../scripts/eval-multilingual.js';

function fieldText(input: { title: string; text: string }, field: string): string {
  return field === 'title' ? input.title : input.text;
}

function expectOffsetsRight(input: { title: string; text: string }, result: Classification): void {
  for (const country of result.countries) {
    for (const evidence of country.evidence) {
      expect(fieldText(input, evidence.field).slice(evidence.start, evidence.start + evidence.text.length)).toBe(evidence.text);
    }
  }
}

describe('scripts written without spaces', () => {
  it.each([
    ['zh', '俄罗斯与中国签署能源协议', '双方在北京签署协议。', ['RU', 'CN'], '北京'],
    ['zh', '台灣與日本加強合作', '雙方在東京舉行會談。', ['TW', 'JP'], '東京'],
    ['ja', 'ロシアと中国が共同演習', 'モスクワで発表された。', ['RU', 'CN'], 'モスクワ'],
    ['th', 'ไทยและญี่ปุ่นลงนามข้อตกลง', 'พิธีลงนามจัดขึ้นที่กรุงเทพฯ', ['TH', 'JP'], 'กรุงเทพฯ'],
  ])('%s: finds countries inside unsegmented text with exact UTF-16 offsets', (_language, title, text, expected, city) => {
    // Act
    const result = classify({ title, text });

    // Assess
    expect(result.countries.map((country) => country.code)).toEqual(expect.arrayContaining(expected));
    const evidence = result.countries.flatMap((country) => country.evidence).find((entry) => entry.text === city);
    expect(evidence).toEqual({ text: city, field: 'text', start: text.indexOf(city) });
    expectOffsetsRight({ title, text }, result);
  });

  it('keeps offsets right after characters outside the BMP (emoji) and combining marks', () => {
    // Prepare
    const text = '🇨🇳🔥 消息：俄罗斯总统抵达北京。';

    // Act
    const result = classify({ title: '', text });

    // Assess
    const beijing = result.countries.find((country) => country.code === 'CN')?.evidence.find((entry) => entry.text === '北京');
    expect(beijing?.start).toBe(text.indexOf('北京'));
    expectOffsetsRight({ title: '', text }, result);
  });

  it('does not read India inside Indonesia (Korean)', () => {
    // Act
    const result = classify({ title: '인도네시아 대선', text: '인도네시아 국민들이 투표했다.' });

    // Assess
    expect(result.countries.map((country) => country.code)).toEqual(['ID']);
  });

  it('gives evidence offsets that point at the evidence text, in every script of the multilingual items', () => {
    // Act / Assess
    for (const item of loadMultilingualItems()) expectOffsetsRight(item, classify({ title: item.title, text: item.text }));
  });
});

describe('katakana word boundaries', () => {
  it('does not read Thailand (タイ) inside "title" (タイトル), but reads it standing alone', () => {
    // Act
    const title = classify({ title: '記事のタイトルを変更', text: '編集部がタイトルを決めた。' });
    const thailand = classify({ title: 'タイで総選挙', text: 'タイの首都バンコクで投票が行われた。' });

    // Assess
    expect(title.countries).toEqual([]);
    expect(thailand.countries[0]?.code).toBe('TH');
  });
});

describe('katakana words joined by a middle dot', () => {
  it('reads Los Angeles in "ロサンゼルス・ドジャース"', () => {
    // Act
    const result = classify({ title: '', text: 'ロサンゼルス・ドジャースが優勝した。' });

    // Assess
    expect(result.countries.map((country) => country.code)).toContain('US');
  });
});
