import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey, keyIdOf, parseApiKeyInput, presentedApiKey, publicApiKey, verifyApiKey } from '#domain/api-key.js';
import { ValidationError } from '#domain/errors.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
let counter = 0;
// Distinct deterministic bytes per call, so two keys in one test differ.
const randomBytes = (size: number) => Uint8Array.from({ length: size }, (_, i) => (i * 31 + ++counter) % 256);

describe('generateApiKey', () => {
  it('returns a key that carries its id, and a record holding only its SHA-256', () => {
    // Act
    const { key, record } = generateApiKey({ scope: 'owner', owner: 'alice', name: 'CI' }, { now: NOW, randomBytes });

    // Assess
    expect(key).toMatch(/^na_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(keyIdOf(key)).toBe(record.keyId);
    expect(record).toEqual({
      keyId: record.keyId,
      hash: createHash('sha256').update(key).digest('hex'),
      scope: 'owner',
      owner: 'alice',
      name: 'CI',
      createdAt: NOW.toISOString(),
    });
    expect(JSON.stringify(record)).not.toContain(key.slice(20));
  });

  it('gives admin keys the reserved owner "admin"', () => {
    expect(generateApiKey({ scope: 'admin' }, { now: NOW, randomBytes }).record.owner).toBe('admin');
  });
});

describe('verifyApiKey', () => {
  const { key, record } = generateApiKey({ scope: 'owner', owner: 'bob' }, { now: NOW, randomBytes });

  it('accepts the key of the record', () => {
    expect(verifyApiKey(key, record)).toEqual({ keyId: record.keyId, scope: 'owner', owner: 'bob' });
  });

  it('refuses a changed key, another record, a revoked record and no record', () => {
    const changed = key.slice(0, -1) + (key.endsWith('A') ? 'B' : 'A');
    const other = generateApiKey({ scope: 'owner', owner: 'bob' }, { now: NOW, randomBytes });

    expect(verifyApiKey(changed, record)).toBeUndefined();
    expect(verifyApiKey(key, other.record)).toBeUndefined();
    expect(verifyApiKey(key, { ...record, revokedAt: NOW.toISOString() })).toBeUndefined();
    expect(verifyApiKey(key, undefined)).toBeUndefined();
  });
});

describe('presentedApiKey', () => {
  it('reads "authorization: Bearer" first, then "x-api-key"', () => {
    expect(presentedApiKey({ authorization: 'Bearer abc', 'x-api-key': 'def' })).toBe('abc');
    expect(presentedApiKey({ authorization: 'bearer   abc ' })).toBe('abc');
    expect(presentedApiKey({ 'x-api-key': ' def ' })).toBe('def');
    expect(presentedApiKey({ authorization: 'Basic dXNlcjpwYXNz' })).toBeUndefined();
    expect(presentedApiKey({})).toBeUndefined();
  });
});

describe('parseApiKeyInput', () => {
  it.each([
    [{ scope: 'root' }, 'scope'],
    [{ scope: 'owner' }, 'owner'],
    [{ scope: 'owner', owner: 'admin' }, 'owner'],
    [{ scope: 'owner', owner: 'has space' }, 'owner'],
    [{ scope: 'admin', extra: 1 }, ''],
  ])('refuses %j', (body, path) => {
    try {
      parseApiKeyInput(body);
      throw new Error('expected a ValidationError');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toContain(path);
    }
  });

  it('lists keys without their hash', () => {
    const { record } = generateApiKey({ scope: 'admin' }, { now: NOW, randomBytes });

    expect(publicApiKey(record)).not.toHaveProperty('hash');
  });
});
