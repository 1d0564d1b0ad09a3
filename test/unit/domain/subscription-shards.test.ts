// Shards: every subscription has exactly one owner at any count, adding a shard moves only what must move (to the
// new shard), and while a count change rolls out every subscription stays matched by at least one shard.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ownsSubscription, parseShardAssignment, shardOf, snapshotKeyOf, type ShardAssignment } from '#domain/subscription-shards.js';

const idArb = fc.oneof(fc.uuid().map((u) => `sub_${u.replaceAll('-', '')}`), fc.string({ minLength: 1, maxLength: 24 }));
const owners = (id: string, shards: ShardAssignment[]): number[] => shards.filter((s) => ownsSubscription(s, id)).map((s) => s.shard);
const layout = (count: number, previousCount?: number): ShardAssignment[] =>
  Array.from({ length: Math.max(count, previousCount ?? 0) }, (_, shard) => parseShardAssignment({ shard, count, ...(previousCount === undefined ? {} : { previousCount }) }));

describe('subscription shards', () => {
  it('gives every subscription exactly one owner, the same every time', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { maxLength: 50 }), fc.integer({ min: 1, max: 12 }), (ids, count) => {
        for (const id of ids) {
          expect(owners(id, layout(count))).toEqual([shardOf(id, count)]);
          expect(shardOf(id, count)).toBe(shardOf(id, count));
        }
      }),
    );
  });

  it('moves only subscriptions that go to the new shard when one is added', () => {
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { maxLength: 80 }), fc.integer({ min: 1, max: 11 }), (ids, count) => {
        for (const id of ids) {
          const before = shardOf(id, count);
          const after = shardOf(id, count + 1);
          expect(after === before || after === count).toBe(true);
        }
      }),
    );
  });

  it('moves about 1 / (K + 1) of the subscriptions when a shard is added, and spreads them evenly', () => {
    // Prepare
    const ids = Array.from({ length: 20_000 }, (_, i) => `sub_${i.toString(16).padStart(8, '0')}`);

    // Act
    const moved = ids.filter((id) => shardOf(id, 4) !== shardOf(id, 5)).length / ids.length;
    const perShard = [0, 1, 2, 3, 4].map((shard) => ids.filter((id) => shardOf(id, 5) === shard).length / ids.length);

    // Assess
    expect(moved).toBeGreaterThan(0.17);
    expect(moved).toBeLessThan(0.23);
    for (const share of perShard) expect(Math.abs(share - 0.2)).toBeLessThan(0.02);
  });

  it('loses nothing while a count change rolls out, shard by shard, and doubles only what moves', () => {
    // Any mix of shards still on the old layout, on the transition layout (both counts) and on the new one, as a
    // deploy updates functions one by one: every subscription keeps an owner, and only the steady state is exact.
    fc.assert(
      fc.property(
        fc.uniqueArray(idArb, { maxLength: 40 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.constantFrom<'old' | 'transition'>('old', 'transition'), { minLength: 8, maxLength: 8 }),
        fc.array(fc.constantFrom<'transition' | 'new'>('transition', 'new'), { minLength: 8, maxLength: 8 }),
        (ids, from, to, firstDeploy, secondDeploy) => {
          const shards = Math.max(from, to);
          // First deploy: from `from` to "to, previously from"; second: to "to" alone.
          const during1 = Array.from({ length: shards }, (_, shard) =>
            firstDeploy[shard] === 'old' && shard < from ? parseShardAssignment({ shard, count: from }) : parseShardAssignment({ shard, count: to, previousCount: from }),
          );
          const during2 = Array.from({ length: shards }, (_, shard) =>
            secondDeploy[shard] === 'transition' || shard >= to ? parseShardAssignment({ shard, count: to, previousCount: from }) : parseShardAssignment({ shard, count: to }),
          );
          for (const id of ids) {
            for (const phase of [layout(from), during1, during2, layout(to)]) expect(owners(id, phase).length).toBeGreaterThanOrEqual(1);
            const doubled = owners(id, layout(to, from)).length > 1;
            expect(doubled).toBe(shardOf(id, from) !== shardOf(id, to));
            expect(owners(id, layout(to))).toEqual([shardOf(id, to)]);
          }
        },
      ),
    );
  });

  it('names each layout\'s snapshot apart and refuses impossible assignments', () => {
    expect(snapshotKeyOf({ shard: 1, count: 4 })).toBe('match-index/shard-1-of-4.snapshot');
    expect(snapshotKeyOf({ shard: 1, count: 4, previousCount: 3 })).toBe('match-index/shard-1-of-4-from-3.snapshot');
    expect(parseShardAssignment({ shard: 0, count: 2, previousCount: 2 })).toEqual({ shard: 0, count: 2 });
    expect(() => parseShardAssignment({ shard: 2, count: 2 })).toThrow(/from 0 to 1/);
    expect(() => parseShardAssignment({ shard: 0, count: 0 })).toThrow(/positive integer/);
    expect(() => shardOf('x', 1.5)).toThrow(RangeError);
  });
});
