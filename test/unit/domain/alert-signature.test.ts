import { afterEach, describe, expect, it, vi } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { ValidationError } from '#domain/errors.js';
import { generateWebhookSecret, signWebhook, verifyWebhook } from '#domain/webhook-signature.js';

const secret = generateWebhookSecret((n) => new Uint8Array(n).fill(42));
const now = new Date('2025-03-01T12:00:00.000Z');
const body = JSON.stringify({ type: 'alert.created', id: 'dlv_1' });

afterEach(() => {
  vi.useRealTimers();
});

describe('generateWebhookSecret', () => {
  it('returns whsec_ and the base64 of 24 bytes from the random source', () => {
    // Prepare
    const requested: number[] = [];

    // Act
    const generated = generateWebhookSecret((n) => {
      requested.push(n);
      return Uint8Array.from({ length: n }, (_, i) => i);
    });

    // Assess
    expect(requested).toEqual([24]);
    expect(generated).toBe(`whsec_${Buffer.from(Uint8Array.from({ length: 24 }, (_, i) => i)).toString('base64')}`);
  });

  it('refuses a random source that returns the wrong number of bytes', () => {
    expect(() => generateWebhookSecret(() => new Uint8Array(3))).toThrow(RangeError);
  });
});

describe('signWebhook', () => {
  it('produces the three Standard Webhooks headers that the reference library verifies', () => {
    // Prepare
    vi.useFakeTimers({ now });

    // Act
    const headers = signWebhook(secret, { id: 'dlv_1', timestamp: now, body });

    // Assess
    expect(headers['webhook-id']).toBe('dlv_1');
    expect(headers['webhook-timestamp']).toBe(String(now.getTime() / 1000));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('rejects an unusable secret with a ValidationError', () => {
    expect(() => signWebhook('whsec_', { id: 'x', timestamp: now, body })).toThrow(ValidationError);
  });
});

describe('verifyWebhook', () => {
  it('returns the parsed body of an authentic message, whatever the header case', () => {
    // Prepare
    vi.useFakeTimers({ now });
    const headers = signWebhook(secret, { id: 'dlv_1', timestamp: now, body });
    const upper = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]));

    // Act / Assess
    expect(verifyWebhook(secret, upper, body)).toEqual({ type: 'alert.created', id: 'dlv_1' });
  });

  it('throws on a tampered body, another secret, or a stale timestamp', () => {
    // Prepare
    vi.useFakeTimers({ now });
    const headers = signWebhook(secret, { id: 'dlv_1', timestamp: now, body });
    const other = generateWebhookSecret((n) => new Uint8Array(n).fill(1));
    const stale = signWebhook(secret, { id: 'dlv_1', timestamp: new Date(now.getTime() - 10 * 60_000), body });

    // Act / Assess
    expect(() => verifyWebhook(secret, headers, body.replace('dlv_1', 'dlv_2'))).toThrow(ValidationError);
    expect(() => verifyWebhook(other, headers, body)).toThrow(/No matching signature/);
    expect(() => verifyWebhook(secret, stale, body)).toThrow(/too old/);
    expect(() => verifyWebhook(secret, { 'webhook-id': 'dlv_1' }, body)).toThrow(/Missing required headers/);
  });
});
