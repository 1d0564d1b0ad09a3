// The FeedError a body is refused with, for tests of the reader's refusals.
import { expect } from 'vitest';
import { parseFeed } from '#adapters/reader/index.js';
import { FeedError } from '#domain/errors.js';

export async function parseError(body: Buffer, contentType?: string): Promise<FeedError> {
  const error = await parseFeed(body, { contentType }).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}
