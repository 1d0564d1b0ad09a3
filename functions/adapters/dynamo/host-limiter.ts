// Per-host politeness shared by every poller, in the ingest table (see tables.ts): one item per host at
// pk "HOST#<host>", sk "LEASE", holding the live leases (token -> expiry, epoch ms), the start time of the last
// fetch and a version. A poller reads it (consistently), decides in code, and writes it back only if the version
// is unchanged, so two pollers can never both take the last slot or both start inside the spacing. A poller that
// dies holding a lease blocks nobody for longer than the lease; the item itself expires a day after the last use.
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { HostLease, HostLimiter } from '#domain/ports.js';
import { isConditionalCheckFailed } from './dynamo-errors.js';
import { requireKey } from './input-checks.js';

export interface HostLimiterOptions {
  /** Fetches in flight per host. @default 2 */
  maxConcurrent?: number;
  /** Between two fetch starts on one host. @default 1000 */
  minSpacingMs?: number;
  /** After this a lease counts as abandoned; longer than a whole fetch (20 s at most). @default 60000 */
  leaseMs?: number;
  /** Read-decide-write rounds before reporting the host busy. @default 3 */
  attempts?: number;
  newToken?: () => string;
}

export function hostLeaseKey(host: string): { pk: string; sk: string } {
  return { pk: `HOST#${requireKey('host', host.toLowerCase())}`, sk: 'LEASE' };
}

export class DynamoHostLimiter implements HostLimiter {
  private readonly maxConcurrent: number;
  private readonly minSpacingMs: number;
  private readonly leaseMs: number;
  private readonly attempts: number;
  private readonly newToken: () => string;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: HostLimiterOptions = {},
  ) {
    this.maxConcurrent = Math.max(1, Math.floor(options.maxConcurrent ?? 2));
    this.minSpacingMs = Math.max(0, options.minSpacingMs ?? 1_000);
    this.leaseMs = Math.max(1_000, options.leaseMs ?? 60_000);
    this.attempts = Math.max(1, options.attempts ?? 3);
    this.newToken = options.newToken ?? (() => randomUUID());
  }

  async acquire(host: string, now: Date): Promise<HostLease> {
    const key = hostLeaseKey(host);
    const nowMs = now.getTime();
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      const current = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const item = current.Item;
      const version = typeof item?.version === 'number' ? item.version : undefined;
      const holders: Record<string, number> = {};
      for (const [token, until] of Object.entries((item?.holders ?? {}) as Record<string, unknown>)) {
        if (typeof until === 'number' && until > nowMs) holders[token] = until;
      }
      const live = Object.values(holders);
      if (live.length >= this.maxConcurrent) {
        // The earliest lease to end frees a slot; fetches usually release long before, so look again soon.
        const soonest = Math.min(...live) - nowMs;
        return { granted: false, why: 'concurrency', retryAfterMs: Math.max(1_000, Math.min(soonest, this.minSpacingMs || 1_000)) };
      }
      const lastStartAt = typeof item?.lastStartAt === 'number' ? item.lastStartAt : undefined;
      if (lastStartAt !== undefined && nowMs < lastStartAt + this.minSpacingMs) {
        return { granted: false, why: 'spacing', retryAfterMs: lastStartAt + this.minSpacingMs - nowMs };
      }
      const token = this.newToken();
      holders[token] = nowMs + this.leaseMs;
      try {
        await this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...key,
              holders,
              lastStartAt: nowMs,
              version: (version ?? 0) + 1,
              expiresAt: Math.floor(nowMs / 1000) + 86_400,
            },
            ...(version === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': version } }),
          }),
        );
        return { granted: true, release: () => this.release(key, token) };
      } catch (error) {
        // Another poller changed the item between our read and write: decide again on what it wrote.
        if (!isConditionalCheckFailed(error)) throw error;
      }
    }
    return { granted: false, why: 'concurrency', retryAfterMs: Math.max(1_000, this.minSpacingMs) };
  }

  /** Bumps the version too: an acquire that read the lease before this release must re-read, not write it back. */
  private async release(key: { pk: string; sk: string }, token: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'REMOVE holders.#token SET version = version + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#token': token },
          ExpressionAttributeValues: { ':one': 1 },
        }),
      );
    } catch (error) {
      // The item expired or was never written: nothing to release.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
