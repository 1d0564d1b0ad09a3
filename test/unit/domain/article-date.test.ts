import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeedDate, publishedAtFor } from '#domain/article.js';

const iso = (raw: string): string | undefined => parseFeedDate(raw)?.toISOString();

describe('parseFeedDate', () => {
  it.each([
    ['Mon, 03 Jun 2024 07:30:00 +0100', '2024-06-03T06:30:00.000Z'],
    ['Mon, 03 Jun 2024 07:30:00 GMT', '2024-06-03T07:30:00.000Z'],
    ['03 Jun 2024 07:30:00 GMT', '2024-06-03T07:30:00.000Z'],
    ['Mon,03 Jun 2024 07:30 UT', '2024-06-03T07:30:00.000Z'],
    ['Sun, 2 Jun 2024 18:00:00 EST', '2024-06-02T23:00:00.000Z'],
    ['Sun, 2 Jun 2024 18:00:00 PDT', '2024-06-03T01:00:00.000Z'],
    ['Sun, 2 Jun 2024 18:00:00 CEST', '2024-06-02T16:00:00.000Z'],
    ['Sun, 2 Jun 2024 18:00:00 MSK', '2024-06-02T15:00:00.000Z'],
    ['Sun, 02 Jun 2024 18:00:00 GMT+2', '2024-06-02T16:00:00.000Z'],
    ['Sun, 02 Jun 2024 18:00:00 UTC-05:30', '2024-06-02T23:30:00.000Z'],
    ['Sun, 02 Jun 2024 18:00:00 +03:00', '2024-06-02T15:00:00.000Z'],
    ['Sun, 02 Jun 2024 18:00:00', '2024-06-02T18:00:00.000Z'],
    ['Sunday, 02 June 2024 18:00:00 Z', '2024-06-02T18:00:00.000Z'],
    ['Sun, 02 Jun 24 18:00:00 GMT', '2024-06-02T18:00:00.000Z'],
    ['Thu, 31 Dec 98 23:59:59 GMT', '1998-12-31T23:59:59.000Z'],
    ['Tue Jun 04 2024 10:00:00 GMT+0200 (Central European Summer Time)', '2024-06-04T08:00:00.000Z'],
    ['June 4, 2024 10:00 PM EST', '2024-06-05T03:00:00.000Z'],
    ['4 Jun 2024', '2024-06-04T00:00:00.000Z'],
    ['2024-06-03T08:00:00+02:00', '2024-06-03T06:00:00.000Z'],
    ['2024-06-03T08:00:00.123456Z', '2024-06-03T08:00:00.123Z'],
    ['2024-06-03T08:00:00+0200', '2024-06-03T06:00:00.000Z'],
    ['2024-06-03 08:00:00', '2024-06-03T08:00:00.000Z'],
    ['2024-06-03', '2024-06-03T00:00:00.000Z'],
    ['  2024-06-03T08:00Z ', '2024-06-03T08:00:00.000Z'],
  ])('reads %j as %s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    'Mon, 31 Feb 2024 10:00:00 GMT',
    'Mon, 03 Foo 2024 10:00:00 GMT',
    'Mon, 03 Jun 2024 25:00:00 GMT',
    'Mon, 03 Jun 2024 10:00:00 XYZ',
    '2024-13-01T00:00:00Z',
    '2024-02-30',
    '0001-01-01T00:00:00Z',
  ])('refuses %j', (raw) => {
    expect(parseFeedDate(raw)).toBeUndefined();
  });

  it('does not depend on the machine time zone for zone-less dates', () => {
    // Date.parse would read this in local time; the result must be the same everywhere.
    expect(iso('2024-06-03 08:00')).toBe('2024-06-03T08:00:00.000Z');
  });

  it('never throws and returns either undefined or a valid date (property)', () => {
    const rfcLike = fc
      .tuple(
        fc.constantFrom('', 'Mon, ', 'Foo,', 'Tuesday '),
        fc.integer({ min: -5, max: 40 }),
        fc.constantFrom('Jan', 'Feb', 'Sept', 'Xyz', 'december'),
        fc.integer({ min: -1, max: 10_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.constantFrom('', 'GMT', 'EST', 'GMT+2', '+0530', '-99:99', 'UTC+14', '(foo)', 'Z'),
      )
      .map(([day, date, month, year, hour, minute, zone]) => `${day}${date} ${month} ${year} ${hour}:${String(minute).padStart(2, '0')} ${zone}`);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme-ascii' }), rfcLike), (raw) => {
        const date = parseFeedDate(raw);
        expect(date === undefined || !Number.isNaN(date.getTime())).toBe(true);
      }),
      { numRuns: 2_000 },
    );
  });

  it('round-trips any ISO timestamp and any RFC 822 rendering of it (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        expect(parseFeedDate(date.toISOString())?.getTime()).toBe(date.getTime());
        const seconds = Math.floor(date.getTime() / 1000) * 1000;
        expect(parseFeedDate(date.toUTCString())?.getTime()).toBe(seconds);
      }),
    );
  });
});

describe('publishedAtFor', () => {
  const fetchedAt = '2024-06-03T12:00:00.000Z';

  it('uses the item date when it is in the past', () => {
    expect(publishedAtFor('Mon, 03 Jun 2024 09:00:00 GMT', fetchedAt)).toBe('2024-06-03T09:00:00.000Z');
  });

  it('falls back to fetchedAt when the date is missing or unparseable', () => {
    expect(publishedAtFor(undefined, fetchedAt)).toBe(fetchedAt);
    expect(publishedAtFor('soon', fetchedAt)).toBe(fetchedAt);
  });

  it('accepts a date within the future tolerance and replaces one beyond it', () => {
    expect(publishedAtFor('2024-06-03T12:09:00Z', fetchedAt)).toBe('2024-06-03T12:09:00.000Z');
    expect(publishedAtFor('2024-06-03T12:11:00Z', fetchedAt)).toBe(fetchedAt);
    expect(publishedAtFor('2024-06-03T12:11:00Z', fetchedAt, 30)).toBe('2024-06-03T12:11:00.000Z');
  });
});
