// The host lease on dynalite: the cap and the spacing hold when many pollers ask at the same moment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHostLimiter } from '#adapters/dynamo/host-limiter.js';
import { DynamoStoryIndex } from '#adapters/dynamo/stories-repository.js';
import { storyFingerprint, storyKeys } from '#domain/story.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

describe('DynamoHostLimiter', () => {
  let local: LocalTables;
  const T0 = new Date('2025-06-10T12:00:00.000Z');
  const at = (ms: number) => new Date(T0.getTime() + ms);

  beforeAll(async () => {
    local = await startLocalTables('host-limiter-test');
  });
  afterAll(async () => {
    await local.close();
  });

  const limiter = (options: ConstructorParameters<typeof DynamoHostLimiter>[2]) =>
    new DynamoHostLimiter(local.doc, local.names.ingest, { attempts: 10, ...options });

  it('grants at most N concurrent leases per host to simultaneous requests, and frees a slot on release', async () => {
    // Prepare
    const pollers = Array.from({ length: 6 }, () => limiter({ maxConcurrent: 2, minSpacingMs: 0 }));

    // Act
    const leases = await Promise.all(pollers.map((p) => p.acquire('cap.example', T0)));
    const granted = leases.filter((lease) => lease.granted);
    const whileFull = await pollers[0]!.acquire('cap.example', at(10));
    if (granted[0]?.granted) await granted[0].release();
    const afterRelease = await pollers[0]!.acquire('cap.example', at(20));

    // Assess
    expect(granted).toHaveLength(2);
    expect(whileFull).toMatchObject({ granted: false, why: 'concurrency' });
    expect(afterRelease.granted).toBe(true);
  });

  it('refuses a start inside the spacing and says how long to wait', async () => {
    // Prepare
    const poller = limiter({ maxConcurrent: 5, minSpacingMs: 2_000 });
    const first = await poller.acquire('spacing.example', T0);

    // Act
    const tooSoon = await poller.acquire('spacing.example', at(500));
    const later = await poller.acquire('spacing.example', at(2_000));

    // Assess
    expect(first.granted).toBe(true);
    expect(tooSoon).toEqual({ granted: false, why: 'spacing', retryAfterMs: 1_500 });
    expect(later.granted).toBe(true);
  });

  it('lets an abandoned lease expire instead of blocking the host', async () => {
    // Prepare: a poller that died holding the only slot
    const poller = limiter({ maxConcurrent: 1, minSpacingMs: 0, leaseMs: 5_000 });
    await poller.acquire('crashed.example', T0);

    // Act
    const blocked = await poller.acquire('crashed.example', at(4_000));
    const expired = await poller.acquire('crashed.example', at(5_001));

    // Assess
    expect(blocked.granted).toBe(false);
    expect(expired.granted).toBe(true);
  });

  it('keeps hosts apart', async () => {
    const poller = limiter({ maxConcurrent: 1, minSpacingMs: 10_000 });
    expect((await poller.acquire('one.example', T0)).granted).toBe(true);
    expect((await poller.acquire('two.example', T0)).granted).toBe(true);
  });
});

describe('DynamoStoryIndex', () => {
  let local: LocalTables;
  beforeAll(async () => {
    local = await startLocalTables('story-index-test');
  });
  afterAll(async () => {
    await local.close();
  });

  it('finds an article filed under a shared key within the window, and not before it', async () => {
    // Prepare
    const index = new DynamoStoryIndex(local.doc, local.names.ingest);
    const fingerprint = storyFingerprint('Kiptum smashes marathon world record in Chicago', "Kenya's Kelvin Kiptum broke the world record.");
    const keys = storyKeys(fingerprint);
    await index.record({ articleId: 'a1', storyId: 's1', feedId: 'f1', seenAt: '2025-06-10T10:00:00.000Z', fingerprint }, keys, 2_000_000_000);
    await index.record({ articleId: 'a1', storyId: 's1', feedId: 'f1', seenAt: '2025-06-10T10:00:00.000Z', fingerprint }, keys, 2_000_000_000);

    // Act
    const inWindow = await index.findCandidates(keys.slice(0, 2), '2025-06-09T12:00:00.000Z');
    const afterIt = await index.findCandidates(keys, '2025-06-10T11:00:00.000Z');

    // Assess
    expect(inWindow).toHaveLength(1);
    expect(inWindow[0]).toMatchObject({ articleId: 'a1', storyId: 's1', feedId: 'f1' });
    expect([...inWindow[0]!.fingerprint.words]).toEqual([...fingerprint.words]);
    expect(afterIt).toEqual([]);
  });
});
