import { describe, expect, it } from 'vitest';
import { DUE_SHARD, fromFeedItem, toFeedItem } from '#adapters/dynamo/feeds-repository.js';
import { buildFeed } from '../../../integration/dynamo/fixtures.js';

describe('feed item', () => {
  it('puts an enabled feed in the due index', () => {
    // Act
    const item = toFeedItem(buildFeed({ enabled: true }));

    // Assess
    expect(item.pollShard).toBe(DUE_SHARD);
  });

  it('keeps a disabled feed out of the due index even if the caller passed the index attribute along', () => {
    // Prepare
    const feed = { ...buildFeed({ enabled: false }), pollShard: DUE_SHARD };

    // Act
    const item = toFeedItem(feed);

    // Assess
    expect(item).not.toHaveProperty('pollShard');
  });

  it('reads back exactly the feed that was stored, without the index attribute', () => {
    // Prepare
    const feed = buildFeed();

    // Act
    const roundTrip = fromFeedItem(toFeedItem(feed));

    // Assess
    expect(roundTrip).toEqual(feed);
  });
});
