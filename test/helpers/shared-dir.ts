// Tests that read the workplace's public data (../shared) run when it is there (CI has it) and skip, saying why,
// on a user's fresh clone. NEWSALERT_SHARED_DIR overrides the location.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_DIR = resolve(process.env.NEWSALERT_SHARED_DIR ?? '../shared');
export const HAS_SHARED = existsSync(resolve(SHARED_DIR, 'README.md'));
export const SHARED_SKIP_REASON = `shared data not found at ${SHARED_DIR} (set NEWSALERT_SHARED_DIR)`;

export function sharedPath(...parts: string[]): string {
  return resolve(SHARED_DIR, ...parts);
}

export interface ListFilesOptions {
  /** Which files to list, by full path and file name. @default every file */
  keep?: (path: string, name: string) => boolean;
  /** Each directory's entries in sorted order (for reproducible runs). @default the file system's order */
  sorted?: boolean;
}

/** The files below `dir`, recursively. */
export function listFiles(dir: string, options: ListFilesOptions = {}): string[] {
  const names = readdirSync(dir);
  if (options.sorted === true) names.sort();
  return names.flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return listFiles(path, options);
    return options.keep === undefined || options.keep(path, name) ? [path] : [];
  });
}

const FEED_FILE = /\.(?:xml|rss|atom|json)$/i;
/** Expected-output files of the parser suites the feeds come from: not feeds themselves. */
const NOT_FEEDS = /(?:\.serde\.json|_expected\.json)$|\/expected_output\/|\/expected_parse_feed-parser\//;

/** Every feed file under feeds/real_news (the bench's and the ingest tests' corpus), in sorted order. */
export function realNewsFeedFiles(): string[] {
  return listFiles(sharedPath('feeds/real_news'), { sorted: true, keep: (path, name) => FEED_FILE.test(name) && !NOT_FEEDS.test(path) });
}
