import { describe, expect, it } from 'vitest';
import treeJson from '#domain/data/topic-tree.json' with { type: 'json' };
import { isKnownTopic, isSubscribableTopic, topicCodesWithAncestors, topicParentOf, topicWithAncestors } from '#domain/topic-tree.js';

describe('the IPTC topic tree', () => {
  it('knows the parent of a child code and none for a top-level code', () => {
    expect(topicParentOf('medtop:20000003')).toBe('medtop:20000002');
    expect(topicParentOf('medtop:20000002')).toBe('medtop:01000000');
    expect(topicParentOf('medtop:01000000')).toBeUndefined();
    expect(topicParentOf('medtop:99999999')).toBeUndefined();
  });

  it('lists a code with its ancestors, nearest first', () => {
    expect(topicWithAncestors('medtop:20000003')).toEqual(['medtop:20000003', 'medtop:20000002', 'medtop:01000000']);
  });

  it('lists several codes with their ancestors once each, broadest first, for attribute caps that keep the first', () => {
    // Prepare: diplomacy under international relations under politics; football under sport.
    const parents: Record<string, string> = { diplomacy: 'relations', relations: 'politics', football: 'sport' };

    // Act
    const codes = topicCodesWithAncestors(['diplomacy', 'football', 'relations'], (code) => parents[code]);

    // Assess
    expect(codes).toEqual(['politics', 'sport', 'relations', 'football', 'diplomacy']);
  });

  it('stops at a cycle in a hierarchy handed in', () => {
    expect(topicWithAncestors('a', (code) => (code === 'a' ? 'b' : 'a'))).toEqual(['a', 'b']);
  });

  it('has all 17 top-level topics, and every code reaches one of them', () => {
    // Prepare
    const roots = new Set(treeJson.roots.map((code) => `medtop:${code}`));
    const children = Object.values(treeJson.children as Record<string, string[]>).flat();

    // Act
    const tops = new Set(children.map((code) => topicWithAncestors(`medtop:${code}`).at(-1)));

    // Assess
    expect(roots.size).toBe(17);
    expect([...tops].every((top) => top !== undefined && roots.has(top))).toBe(true);
  });

  it('tells known, retired and unknown codes apart', () => {
    // Prepare
    const retired = `medtop:${treeJson.retired[0] ?? ''}`;

    // Act / Assess
    expect(isKnownTopic('medtop:11000000')).toBe(true);
    expect(isSubscribableTopic('medtop:11000000')).toBe(true);
    expect(isKnownTopic(retired)).toBe(true);
    expect(isSubscribableTopic(retired)).toBe(false);
    expect(isKnownTopic('medtop:12345678')).toBe(false);
  });
});
