import { describe, expect, it } from 'vitest';
import { buildAcquireUpdate } from '#adapters/dynamo/deliveries-repository.js';
import { ValidationError } from '#domain/errors.js';

const input = {
  subscriptionId: 'sub-1',
  deliveryKey: 'story-1',
  deliveryId: 'del-1',
  now: '2025-01-01T00:00:00Z',
  leaseSeconds: 90,
  ttlEpochSeconds: 1_800_000_000,
};

describe('acquire update', () => {
  it('keys the record by subscription and delivery key (the articleId sort key) and sets the lease relative to now', () => {
    // Act
    const update = buildAcquireUpdate('deliveries', input);

    // Assess
    expect(update.Key).toEqual({ subscriptionId: 'sub-1', articleId: 'story-1' });
    expect(update.ExpressionAttributeValues).toMatchObject({
      ':now': '2025-01-01T00:00:00.000Z',
      ':leaseUntil': '2025-01-01T00:01:30.000Z',
      ':expiresAt': 1_800_000_000,
      ':deliveryId': 'del-1',
    });
  });

  it('rejects a now that is not a time, which would otherwise compare leases wrongly', () => {
    // Act & Assess
    expect(() => buildAcquireUpdate('deliveries', { ...input, now: 'soon' })).toThrow(ValidationError);
  });

  it('rejects a fractional TTL, which DynamoDB TTL would ignore', () => {
    // Act & Assess
    expect(() => buildAcquireUpdate('deliveries', { ...input, ttlEpochSeconds: 1.5 })).toThrow(ValidationError);
  });
});
