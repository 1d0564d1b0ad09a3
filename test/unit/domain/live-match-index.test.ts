// The live index (base + deltas, fed by the change log) must match exactly what a scan of the subscriptions matches,
// after every batch of changes, whatever their order and however often each arrives.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { article, articleArb, byId, subscriptionArb } from '../../fixtures/match-arbitraries.js';
import { sub } from '../../fixtures/subscriptions.js';
import { applyChanges, compactLiveIndex, createLiveMatchIndex, liveCount, liveSubscriptions, matchLive, type LiveMatchIndex, type SubscriptionChange } from '#domain/live-match-index.js';
import { decodeSnapshot, encodeSnapshot, readSnapshotMeta, SNAPSHOT_FORMAT_VERSION, SnapshotFormatError } from '#domain/match-index-codec.js';
import { buildMatchIndex } from '#domain/match-index.js';
import { listMatches } from '#domain/match-output.js';
import { isReceivingStatus, matchSubscriptions } from '#domain/matching.js';
import type { ClassifiedArticle, Subscription } from '#domain/types.js';

const NOW = new Date('2025-03-01T12:00:00.000Z');
const IDS = 8;
const idOf = (id: number): string => `s${String(id).padStart(3, '0')}`;

type Op =
  | { kind: 'put'; subscription: Subscription }
  | { kind: 'delete' | 'pause' | 'resume' }
  | { kind: 'snooze'; until: string };

const simpleArb = (id: number): fc.Arbitrary<Subscription> =>
  fc.oneof(
    fc.constantFrom('RU', 'CN', 'US').map((country) => sub(idOf(id), { countries: [country] })),
    fc.constantFrom('putin', 'moscow', 'black sea', 'xi').map((keyword) => sub(idOf(id), { keywords: [keyword] })),
    fc.constantFrom('medtop:11000000', 'medtop:20000621').map((topic) => sub(idOf(id), { topics: [topic], receiveStoryUpdates: true })),
  );

const opArb = (id: number): fc.Arbitrary<Op> =>
  fc.oneof(
    { arbitrary: subscriptionArb(id).map((subscription) => ({ kind: 'put' as const, subscription })), weight: 2 },
    // Simple ones too, which match often, so that the comparisons are not mostly between empty lists.
    { arbitrary: simpleArb(id).map((subscription) => ({ kind: 'put' as const, subscription })), weight: 3 },
    { arbitrary: fc.constantFrom({ kind: 'delete' as const }, { kind: 'pause' as const }, { kind: 'resume' as const }), weight: 2 },
    { arbitrary: fc.constantFrom('2025-03-01T11:00:00.000Z', '2025-03-01T13:00:00.000Z').map((until) => ({ kind: 'snooze' as const, until })), weight: 1 },
  );
const opsArb = fc.array(fc.integer({ min: 0, max: IDS - 1 }).chain((id) => opArb(id).map((op) => ({ id, op }))), { maxLength: 30 });


/** What the API's writes would leave in the table, as one change per write with a growing version. */
function changesOf(ops: { id: number; op: Op }[]): SubscriptionChange[] {
  const state = new Map<string, Subscription>();
  const changes: SubscriptionChange[] = [];
  let version = 1_000;
  for (const { id, op } of ops) {
    const subscriptionId = idOf(id);
    const current = state.get(subscriptionId);
    let next: Subscription | undefined;
    if (op.kind === 'put') next = { ...op.subscription, subscriptionId };
    else if (current === undefined) continue; // pause, resume, snooze or delete of nothing: NotFound, no write
    else if (op.kind === 'delete') next = undefined;
    else if (op.kind === 'pause') next = { ...current, status: 'paused' };
    else if (op.kind === 'resume') next = { ...current, status: 'active', snoozedUntil: undefined };
    else if (op.kind === 'snooze') next = { ...current, snoozedUntil: op.until };
    if (next === undefined) state.delete(subscriptionId);
    else state.set(subscriptionId, next);
    changes.push({ subscriptionId, version: (version += 1 + (id % 3)), ...(next === undefined ? {} : { subscription: next }) });
  }
  return changes;
}

/** The table after some changes arrived (in any order): the newest state of each subscription among them. */
function tableAfter(changes: readonly SubscriptionChange[]): Subscription[] {
  const newest = new Map<string, SubscriptionChange>();
  for (const change of changes) {
    const prior = newest.get(change.subscriptionId);
    if (prior === undefined || change.version > prior.version) newest.set(change.subscriptionId, change);
  }
  return [...newest.values()].flatMap((change) => (change.subscription ? [change.subscription as Subscription] : []));
}

function expectLiveToAgreeWithScan(live: LiveMatchIndex, table: Subscription[], articles: ClassifiedArticle[]): number {
  let matched = 0;
  for (const a of articles) {
    const scanned = byId(matchSubscriptions(table, a, NOW));
    expect(byId(listMatches(matchLive(live, a, NOW)))).toEqual(scanned);
    matched += scanned.length;
  }
  return matched;
}

const scenarioArb = opsArb.chain((ops) => {
  const changes = changesOf(ops);
  const n = changes.length;
  return fc.record({
    changes: fc.constant(changes),
    // The base: a snapshot of the first `cut` changes (built, or applied and through the codec), then the rest.
    cut: fc.integer({ min: 0, max: n }),
    baseThroughCodec: fc.boolean(),
    // Arrival: the changes after the cut plus duplicates of any, shuffled, in batches.
    duplicates: fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: n === 0 ? 0 : 10 }),
    order: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n + 10, maxLength: n + 10 }),
    batches: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 8 }),
    articles: fc.array(articleArb, { minLength: 1, maxLength: 3 }),
  });
});

describe('the live index against the scan, under changes', () => {
  it('matches exactly what a scan of the table matches after every batch, in any order and with duplicates', () => {
    let matched = 0;
    fc.assert(
      fc.property(scenarioArb, ({ changes, cut, baseThroughCodec, duplicates, order, batches, articles }) => {
        // Prepare
        const before = changes.slice(0, cut);
        let live: LiveMatchIndex;
        if (baseThroughCodec) {
          const built = createLiveMatchIndex(undefined);
          applyChanges(built, before);
          live = decodeSnapshot(encodeSnapshot(built, { createdAt: NOW.toISOString(), shardKey: 'test' })).live;
        } else {
          const versioned = before.length === 0 ? [] : tableAfter(before).map((s) => ({ ...s, version: before.filter((c) => c.subscriptionId === s.subscriptionId).at(-1)?.version ?? 0 }));
          // A base built from the table also remembers the version of every subscription it leaves out (deleted,
          // paused, disabled), as a snapshot does: else a late replay of an older put would bring one back.
          const newest = new Map<string, SubscriptionChange>();
          for (const c of before) if ((newest.get(c.subscriptionId)?.version ?? -1) < c.version) newest.set(c.subscriptionId, c);
          const absent = new Map([...newest.values()].filter((c) => !c.subscription || !isReceivingStatus((c.subscription as Subscription).status)).map((c) => [c.subscriptionId, c.version]));
          live = createLiveMatchIndex(buildMatchIndex(versioned), { absent });
        }
        const arrivals = [...changes.slice(cut), ...duplicates.map((i) => changes[i] as SubscriptionChange)]
          .map((change, i) => ({ change, key: order[i] ?? 0 }))
          .sort((a, b) => a.key - b.key)
          .map(({ change }) => change);
        const seen = [...before];
        matched += expectLiveToAgreeWithScan(live, tableAfter(seen), articles);

        // Act / Assess: after every batch
        let at = 0;
        for (let b = 0; at < arrivals.length; b++) {
          const size = batches[b % batches.length] as number;
          const batch = arrivals.slice(at, at + size);
          at += size;
          applyChanges(live, batch);
          seen.push(...batch);
          matched += expectLiveToAgreeWithScan(live, tableAfter(seen), articles);
        }
        expect(liveCount(live)).toBe(tableAfter(seen).filter((s) => s.status === 'active' || s.status === 'failing').length);
        // And compacted, as the snapshot job leaves it.
        matched += expectLiveToAgreeWithScan(compactLiveIndex(live), tableAfter(seen), articles);
      }),
      { numRuns: 150 },
    );
    // The comparisons are not between empty lists.
    expect(matched).toBeGreaterThan(200);
  });
});

describe('applying changes', () => {
  it('ignores a change older than the one applied, and a delete keeps an older put from bringing a subscription back', () => {
    // Prepare
    const live = createLiveMatchIndex(undefined);
    const ru = sub('a', { countries: ['RU'] });

    // Act
    applyChanges(live, [{ subscriptionId: 'a', version: 2, subscription: ru }]);
    const afterPut = listMatches(matchLive(live, article(), NOW)).map((m) => m.subscriptionId);
    applyChanges(live, [{ subscriptionId: 'a', version: 3 }]);
    const late = applyChanges(live, [{ subscriptionId: 'a', version: 2, subscription: ru }]);

    // Assess
    expect(afterPut).toEqual(['a']);
    expect(late).toEqual({ applied: 0, skipped: 1 });
    expect(listMatches(matchLive(live, article(), NOW))).toEqual([]);
    expect(live.cursor).toBe(3);
  });

  it('drops what another shard owns, even a subscription it held before the shard count changed', () => {
    // Prepare
    const live = createLiveMatchIndex(buildMatchIndex([{ ...sub('a', { countries: ['RU'] }), version: 1 }]));

    // Act
    const result = applyChanges(live, [{ subscriptionId: 'a', version: 2, subscription: sub('a', { countries: ['RU'] }) }], { owns: () => false });

    // Assess
    expect(result.applied).toBe(0);
    expect(listMatches(matchLive(live, article(), NOW))).toEqual([]);
  });

  it('keeps the number of delta segments logarithmic in the number of change batches', () => {
    // Prepare
    const live = createLiveMatchIndex(undefined);

    // Act: 256 batches of one new subscription each.
    for (let i = 0; i < 256; i++) applyChanges(live, [{ subscriptionId: `n${i}`, version: i + 1, subscription: sub(`n${i}`, { countries: ['RU'] }) }]);

    // Assess
    expect(liveCount(live)).toBe(256);
    expect(live.segments.length).toBeLessThanOrEqual(10);
    expect(listMatches(matchLive(live, article(), NOW))).toHaveLength(256);
  });
});

describe('snapshots', () => {
  it('round-trip an index with its absent subscriptions, cursor and metadata, and refuse what is not one', () => {
    // Prepare
    const live = createLiveMatchIndex(undefined);
    applyChanges(live, [
      { subscriptionId: 'a', version: 5, subscription: sub('a', { keywords: ['moscow'], receiveStoryUpdates: true }) },
      { subscriptionId: 'b', version: 6, subscription: sub('b', { countries: ['RU'], snoozedUntil: '2025-03-02T00:00:00.000Z' }) },
      { subscriptionId: 'c', version: 7 },
    ]);

    // Act
    const bytes = encodeSnapshot(live, { createdAt: NOW.toISOString(), shardKey: 'shard-0-of-1' });
    const { live: loaded, meta } = decodeSnapshot(bytes);

    // Assess
    expect(meta).toEqual({ createdAt: NOW.toISOString(), shardKey: 'shard-0-of-1', cursor: 7 });
    expect(readSnapshotMeta(bytes)).toEqual(meta);
    expect(loaded.absent).toEqual(new Map([['c', 7]]));
    expect(listMatches(matchLive(loaded, article(), NOW))).toEqual([{ subscriptionId: 'a', reasons: expect.objectContaining({ keywords: ['moscow'] }), receiveStoryUpdates: true }]);
    expect(() => decodeSnapshot(new TextEncoder().encode('{"not":"a snapshot"}'))).toThrow(/not a match index snapshot/);
    expect(() => decodeSnapshot(bytes.subarray(0, bytes.length - 9))).toThrow(/truncated/);
  });

  it('refuse a snapshot of another format version by naming both versions, and a damaged one', () => {
    // Prepare
    const live = createLiveMatchIndex(undefined);
    applyChanges(live, [{ subscriptionId: 'a', version: 5, subscription: sub('a', { keywords: ['moscow'] }) }]);
    const bytes = encodeSnapshot(live, { createdAt: NOW.toISOString(), shardKey: 'shard-0-of-1' });
    const header = new TextDecoder().decode(bytes.subarray(0, 8));
    const older = new Uint8Array([...new TextEncoder().encode('NAMIDX1\n'), 4, 0, 0, 0, ...new TextEncoder().encode('{"x"')]);
    const newer = bytes.slice();
    newer.set(new TextEncoder().encode(`NAMIDX${SNAPSHOT_FORMAT_VERSION + 1}`.slice(0, 7)), 0);
    // A string index whose every slot is taken would make a lookup loop forever: refused at load instead.
    const damaged = bytes.slice();
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(8, true);
    const { sections } = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as { sections: Record<string, { offset: number; length: number }> };
    const slots = sections['terms:slots'] as { offset: number; length: number };
    const at = Math.ceil((12 + headerLength) / 8) * 8 + slots.offset;
    damaged.fill(1, at, at + slots.length * 4);

    // Act / Assess
    expect(header).toBe(`NAMIDX${SNAPSHOT_FORMAT_VERSION}\n`);
    expect(() => decodeSnapshot(older)).toThrow(SnapshotFormatError);
    expect(() => decodeSnapshot(older)).toThrow(`format version 1; this reader reads version ${SNAPSHOT_FORMAT_VERSION} only`);
    expect(() => readSnapshotMeta(newer)).toThrow(`format version ${SNAPSHOT_FORMAT_VERSION + 1}`);
    expect(at).toBeGreaterThan(0);
    expect(() => decodeSnapshot(damaged)).toThrow(/damaged string index terms/);
  });

  it('round-trip ids, keywords and queries in any script, lone surrogates included, and match them as before', () => {
    // Prepare
    const odd = 'bad\ud800id';
    const subs = [
      sub('ß-1', { keywords: ['Владимир Путин'] }),
      sub('中-2', { keywords: ['习近平'], receiveStoryUpdates: true }),
      sub(odd, { keywords: ['moscow\udc00', 'moscow'] }),
      sub('q-1', { query: '"black sea" AND NOT sport', languages: ['EN'] }),
      sub('t-1', { topics: ['medtop:11000000'], countries: ['RU'] }),
    ];
    const live = createLiveMatchIndex(undefined);
    applyChanges(live, subs.map((s, i) => ({ subscriptionId: s.subscriptionId, version: 10 + i, subscription: s })));
    const articles = [
      article({ title: 'Владимир Путин в Москве', language: 'ru' }),
      article({ title: '习近平会见', language: 'zh' }),
      article({ title: 'Moscow and the Black Sea' }),
    ];

    // Act
    const loaded = decodeSnapshot(encodeSnapshot(live, { createdAt: NOW.toISOString(), shardKey: 'shard-0-of-1' })).live;

    // Assess
    expect(liveSubscriptionIds(loaded)).toEqual(liveSubscriptionIds(live));
    expect(liveSubscriptionIds(loaded)).toContain(odd);
    for (const a of articles) expect(byId(listMatches(matchLive(loaded, a, NOW)))).toEqual(byId(matchSubscriptions(subs, a, NOW)));
    expect(articles.reduce((n, a) => n + matchSubscriptions(subs, a, NOW).length, 0)).toBeGreaterThanOrEqual(4);
  });
});

function liveSubscriptionIds(live: LiveMatchIndex): string[] {
  return liveSubscriptions(live).map((s) => s.subscriptionId).sort();
}
