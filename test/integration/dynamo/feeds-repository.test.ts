import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedRepository } from '#adapters/dynamo/feeds-repository.js';
import { NotFoundError } from '#domain/errors.js';
import { buildFeed } from './fixtures.js';
import { startLocalTables, type LocalTables } from './local-tables.js';

describe('DynamoFeedRepository (dynalite)', () => {
  let local: LocalTables;
  let feeds: DynamoFeedRepository;

  beforeAll(async () => {
    local = await startLocalTables('feeds-test');
    feeds = new DynamoFeedRepository(local.doc, local.names.feeds);
  });

  afterAll(async () => {
    await local.close();
  });

  beforeEach(async () => {
    const { Items = [] } = await local.doc.send(new ScanCommand({ TableName: local.names.feeds }));
    await Promise.all(
      Items.map((item) => local.doc.send(new DeleteCommand({ TableName: local.names.feeds, Key: { feedId: item.feedId } }))),
    );
  });

  it('creates a feed once and refuses a second feed with the same id without changing the first', async () => {
    // Prepare
    const first = buildFeed({ feedId: 'f1', url: 'https://a.example/rss' });

    // Act
    const created = await feeds.create(first);
    const createdAgain = await feeds.create({ ...first, url: 'https://b.example/rss' });

    // Assess
    expect(created).toBe(true);
    expect(createdAgain).toBe(false);
    expect(await feeds.get('f1')).toEqual(first);
  });

  it('lists only enabled feeds that are due, oldest nextPollAt first, at most limit', async () => {
    // Prepare
    await feeds.create(buildFeed({ feedId: 'due-late', nextPollAt: '2025-01-01T00:03:00.000Z' }));
    await feeds.create(buildFeed({ feedId: 'due-early', nextPollAt: '2025-01-01T00:01:00.000Z' }));
    await feeds.create(buildFeed({ feedId: 'due-middle', nextPollAt: '2025-01-01T00:02:00.000Z' }));
    await feeds.create(buildFeed({ feedId: 'future', nextPollAt: '2025-01-01T01:00:00.000Z' }));
    await feeds.create(buildFeed({ feedId: 'disabled', enabled: false, nextPollAt: '2025-01-01T00:00:00.000Z' }));
    const now = '2025-01-01T00:10:00.000Z';

    // Act
    const all = await feeds.listDue(now, 10);
    const firstTwo = await feeds.listDue(now, 2);

    // Assess
    expect(all.map((feed) => feed.feedId)).toEqual(['due-early', 'due-middle', 'due-late']);
    expect(firstTwo.map((feed) => feed.feedId)).toEqual(['due-early', 'due-middle']);
    expect(all[0]).not.toHaveProperty('pollShard');
  });

  it('counts a feed due exactly at its nextPollAt', async () => {
    // Prepare
    await feeds.create(buildFeed({ feedId: 'on-time', nextPollAt: '2025-01-01T00:05:00.000Z' }));

    // Act
    const due = await feeds.listDue('2025-01-01T00:05:00Z', 10);

    // Assess
    expect(due.map((feed) => feed.feedId)).toEqual(['on-time']);
  });

  it('takes a feed out of the due list when put disabled, and back in when put enabled again', async () => {
    // Prepare
    const feed = buildFeed({ feedId: 'toggled', nextPollAt: '2025-01-01T00:00:00.000Z' });
    await feeds.create(feed);
    const now = '2025-01-02T00:00:00.000Z';

    // Act
    await feeds.put({ ...feed, enabled: false });
    const whileDisabled = await feeds.listDue(now, 10);
    await feeds.put({ ...feed, enabled: true });
    const afterEnabling = await feeds.listDue(now, 10);

    // Assess
    expect(whileDisabled).toEqual([]);
    expect(afterEnabling.map((f) => f.feedId)).toEqual(['toggled']);
  });

  it('replaces the stored feed on put, dropping fields the new version no longer has', async () => {
    // Prepare
    const feed = buildFeed({ feedId: 'f2', etag: '"v1"', health: { consecutiveFailures: 2, lastError: 'timeout' } });
    await feeds.create(feed);
    const updated = { ...buildFeed({ feedId: 'f2' }), lastModified: 'Wed, 01 Jan 2025 00:00:00 GMT' };

    // Act
    await feeds.put(updated);

    // Assess
    expect(await feeds.get('f2')).toEqual(updated);
  });

  it('refuses to put a feed that was deleted, so a late poller cannot bring it back', async () => {
    // Act & Assess
    await expect(feeds.put(buildFeed({ feedId: 'gone' }))).rejects.toBeInstanceOf(NotFoundError);
    expect(await feeds.get('gone')).toBeUndefined();
  });

  it('lists every feed, enabled or not, across scan pages', async () => {
    // Prepare
    const ids = Array.from({ length: 30 }, (_, i) => `bulk-${String(i).padStart(2, '0')}`);
    await Promise.all(ids.map((feedId, i) => feeds.create(buildFeed({ feedId, enabled: i % 2 === 0 }))));

    // Act
    const listed = await feeds.list();

    // Assess
    expect(listed.map((feed) => feed.feedId).sort()).toEqual(ids);
  });

  it('deletes a feed and reports whether there was one', async () => {
    // Prepare
    await feeds.create(buildFeed({ feedId: 'doomed' }));

    // Act
    const first = await feeds.delete('doomed');
    const second = await feeds.delete('doomed');

    // Assess
    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await feeds.get('doomed')).toBeUndefined();
  });
});
