// API keys: random, shown once, stored only as a SHA-256 hash. A key carries its id in clear ("na_<id>_<secret>"),
// so the API finds its record with one GetItem and compares hashes in constant time, without an index on the hash.
import { createHash, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { parseWith } from './validation.js';

export type ApiKeyScope = 'admin' | 'owner';

/** The stored record; the key itself is never stored. */
export interface ApiKey {
  keyId: string;
  /** SHA-256 of the whole key, hex. */
  hash: string;
  scope: ApiKeyScope;
  /** Whose subscriptions an owner key sees. Admin keys carry "admin". */
  owner: string;
  name?: string;
  createdAt: string;
  revokedAt?: string;
}

/** Who is calling, once a key checked out. */
export interface Principal {
  keyId: string;
  scope: ApiKeyScope;
  owner: string;
}

export const ADMIN_OWNER = 'admin';
const KEY_PATTERN = /^na_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const KEY_ID_BYTES = 8;
// 256 bits: guessing is out of reach, so no rate limit has to carry the security of a key.
const KEY_SECRET_BYTES = 32;

export const OWNER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export const apiKeyInputSchema = z
  .strictObject({
    scope: z.enum(['admin', 'owner'], { error: 'must be "admin" or "owner"' }),
    owner: z
      .string({ error: 'must be a string' })
      .regex(OWNER_PATTERN, { error: 'must be 1-128 letters, digits, ".", "_", "@" or "-", starting with a letter or digit' })
      .optional(),
    name: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be blank' }).max(200).optional(),
  })
  .refine((input) => input.scope === 'admin' || input.owner !== undefined, {
    error: 'an owner key needs an owner',
    path: ['owner'],
  })
  .refine((input) => input.scope !== 'owner' || input.owner !== ADMIN_OWNER, {
    error: `"${ADMIN_OWNER}" is reserved for admin keys`,
    path: ['owner'],
  });

export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;

export function parseApiKeyInput(body: unknown): ApiKeyInput {
  return parseWith(apiKeyInputSchema, body, 'API key');
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The key id a presented key claims, or undefined when it is not shaped like one of ours. */
export function keyIdOf(key: string): string | undefined {
  return KEY_PATTERN.exec(key)?.[1];
}

/** A new key and the record to store. The key is returned to the caller once and exists nowhere else. */
export function generateApiKey(
  input: ApiKeyInput,
  context: { now: Date; randomBytes: (size: number) => Uint8Array },
): { key: string; record: ApiKey } {
  const keyId = Buffer.from(context.randomBytes(KEY_ID_BYTES)).toString('hex');
  const secret = Buffer.from(context.randomBytes(KEY_SECRET_BYTES)).toString('base64url');
  const key = `na_${keyId}_${secret}`;
  if (keyIdOf(key) !== keyId) throw new RangeError('random source returned the wrong number of bytes');
  const record: ApiKey = {
    keyId,
    hash: hashApiKey(key),
    scope: input.scope,
    owner: input.scope === 'admin' ? ADMIN_OWNER : (input.owner as string),
    createdAt: context.now.toISOString(),
  };
  if (input.name !== undefined) record.name = input.name;
  return { key, record };
}

/** The principal when `key` is the key of `record` and the record is not revoked; undefined otherwise. */
export function verifyApiKey(key: string, record: ApiKey | undefined): Principal | undefined {
  if (record === undefined || record.revokedAt !== undefined || keyIdOf(key) !== record.keyId) return undefined;
  const presented = Buffer.from(hashApiKey(key), 'hex');
  const stored = Buffer.from(record.hash, 'hex');
  if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) return undefined;
  return { keyId: record.keyId, scope: record.scope, owner: record.owner };
}

/** The key a request presents: `authorization: Bearer <key>` or `x-api-key: <key>` (header names lower-cased). */
export function presentedApiKey(headers: Record<string, string | undefined>): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  const key = bearer ?? headers['x-api-key']?.trim();
  return key === undefined || key === '' ? undefined : key;
}

/** The record as listings show it: no hash (useless to callers, and no reason to hand it out). */
export function publicApiKey(record: ApiKey): Omit<ApiKey, 'hash'> {
  const { hash: _hash, ...rest } = record;
  return rest;
}
