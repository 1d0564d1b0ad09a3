import { describe, expect, it } from 'vitest';
import { createUnsubscribeLinks } from '#domain/unsubscribe-link.js';

describe('unsubscribe links', () => {
  const links = createUnsubscribeLinks({ secret: 'x'.repeat(32), baseUrl: 'https://api.example.com/' });

  it('signs the subscription id into a link on the API origin', () => {
    const url = new URL(links.urlFor('sub_1'));

    expect(`${url.origin}${url.pathname}`).toBe('https://api.example.com/unsubscribe/sub_1');
    expect(links.verify('sub_1', url.searchParams.get('token')!)).toBe(true);
  });

  it("refuses another subscription's token, a token of another secret, and garbage", () => {
    const token = new URL(links.urlFor('sub_1')).searchParams.get('token')!;
    const other = createUnsubscribeLinks({ secret: 'y'.repeat(32), baseUrl: 'https://api.example.com' });

    expect(links.verify('sub_2', token)).toBe(false);
    expect(other.verify('sub_1', token)).toBe(false);
    expect(links.verify('sub_1', '')).toBe(false);
    expect(links.verify('sub_1', token.slice(1))).toBe(false);
  });

  it('refuses a short secret', () => {
    expect(() => createUnsubscribeLinks({ secret: 'short', baseUrl: 'https://a.example' })).toThrow(RangeError);
  });
});
