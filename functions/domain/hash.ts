// The one 32-bit string hash of the domain: FNV-1a over UTF-16 code units, and murmur3's finaliser for callers that
// need nearby strings spread over all 32 bits. Story fingerprints, shard ownership, match snapshots and the topic
// model's features are all built on these exact values: changing them changes stored data and trained weights.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of text[from .. to), from `offset` (FNV's own by default). */
export function fnv1aRange(text: string, from: number, to: number, offset = FNV_OFFSET): number {
  let hash = offset;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

/** murmur3's 32-bit finaliser. */
export function mixBits(value: number): number {
  let h = value;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
