// The CLI's list commands print every item, however many pages the API answers in: they follow `nextCursor` and
// join the pages into one body shaped like a single page (without a nextCursor).

/** The key of a page's item array ("feeds", "subscriptions"...): the one array-valued field. */
function itemKeyOf(page: Record<string, unknown>): string | undefined {
  const keys = Object.keys(page).filter((key) => Array.isArray(page[key]));
  return keys.length === 1 ? keys[0] : undefined;
}

/**
 * Fetches the pages after `first` with `next(cursor)` until one has no nextCursor. Stops (and says so) if a cursor
 * comes back twice, so a misbehaving server cannot keep it looping.
 */
export async function collectPages(
  first: Record<string, unknown>,
  next: (cursor: string) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  const key = itemKeyOf(first);
  if (key === undefined) return first;
  const items: unknown[] = [...(first[key] as unknown[])];
  const seen = new Set<string>();
  let cursor = typeof first.nextCursor === 'string' ? first.nextCursor : undefined;
  while (cursor !== undefined) {
    if (seen.has(cursor)) throw new Error(`the API returned the cursor ${cursor.slice(0, 40)}… twice`);
    seen.add(cursor);
    const page = await next(cursor);
    items.push(...((page[key] as unknown[] | undefined) ?? []));
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
  }
  const { nextCursor: _last, ...rest } = first;
  return { ...rest, [key]: items };
}

/** `path` with `?cursor=` (or `&cursor=`) set to this cursor. */
export function withCursor(path: string, cursor: string): string {
  return `${path}${path.includes('?') ? '&' : '?'}cursor=${encodeURIComponent(cursor)}`;
}
