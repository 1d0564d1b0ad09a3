// Guards for values that would otherwise reach DynamoDB and come back as an opaque ValidationException.
import { ValidationError } from '#domain/errors.js';

/** Key attributes must be non-empty strings; DynamoDB rejects empty key values. */
export function requireKey(name: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new ValidationError(`${name} must be a non-empty string`, [{ path: name, message: 'required' }]);
  }
  return value;
}

/**
 * Parses an ISO 8601 time and returns it in the canonical `toISOString()` form. Times are compared as strings in
 * key conditions and condition expressions, so they must all share one format to order correctly.
 */
export function normalizeIsoTime(name: string, value: string): string {
  const millis = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(millis)) {
    throw new ValidationError(`${name} must be an ISO 8601 time, got ${JSON.stringify(value)}`, [
      { path: name, message: 'invalid time' },
    ]);
  }
  return new Date(millis).toISOString();
}

export function requireLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new ValidationError(`limit must be a positive integer, got ${String(limit)}`, [
      { path: 'limit', message: 'must be a positive integer' },
    ]);
  }
  return limit;
}

export function requireEpochSeconds(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 0) {
    throw new ValidationError(`${name} must be whole epoch seconds, got ${String(value)}`, [
      { path: name, message: 'must be a non-negative integer' },
    ]);
  }
  return value;
}

/** DynamoDB's ExclusiveStartKey as the opaque `after` of a page; undefined when the listing is done. */
export function encodeStartKey(key: Record<string, unknown> | undefined): string | undefined {
  return key === undefined ? undefined : JSON.stringify(key);
}

/**
 * Reads back what encodeStartKey wrote, allowing exactly the key attributes of this listing, each a string of
 * sane length: a position from another listing (or made up) is a 400, not a ValidationException from the store.
 */
export function decodeStartKey(after: string | undefined, keyNames: readonly string[]): Record<string, string> | undefined {
  if (after === undefined) return undefined;
  const refuse = () => new ValidationError('Invalid cursor', [{ path: 'cursor', message: 'not a position in this listing' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    throw refuse();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw refuse();
  const entries = Object.entries(parsed);
  const names = new Set(keyNames);
  if (entries.length !== names.size) throw refuse();
  for (const [name, value] of entries) {
    if (!names.has(name) || typeof value !== 'string' || value.length === 0 || value.length > 1024) throw refuse();
  }
  return parsed as Record<string, string>;
}
