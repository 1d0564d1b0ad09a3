// Topics on the real items of every language the captured feeds carry (../shared/feeds/FEED_INDEX.derived.csv):
// each feed with a declared language is parsed and normalised as the poller does and its items classified as the
// poller classifies them (title + summary, the feed's language as the hint, the item's categories); counted per
// language: items, items with a topic, and the mean score of their best topic. There is no gold here: this says
// that every language gets topics, not that they are right (the four-class table says that).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../functions/adapters/classifier.js';
import { parseFeed } from '../functions/adapters/reader/index.js';
import { toArticle } from '../functions/domain/article.js';
import { FeedError } from '../functions/domain/errors.js';
import { normalizeLanguageHint } from '../functions/domain/classification/language.js';

export interface LanguageCoverage {
  language: string;
  feeds: number;
  items: number;
  withTopic: number;
  meanBestScore: number;
  topTopics: string;
}

export async function feedLanguageCoverage(sharedRoot: string): Promise<LanguageCoverage[]> {
  const lines = readFileSync(join(sharedRoot, 'feeds', 'FEED_INDEX.derived.csv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split(',');
  const pathAt = header.indexOf('path');
  const languageAt = header.indexOf('language');
  const byLanguage = new Map<string, { feeds: number; items: number; withTopic: number; best: number; topics: Map<string, number> }>();
  const seen = new Set<string>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const language = normalizeLanguageHint(cells[languageAt] ?? '');
    const path = cells[pathAt];
    if (language === undefined || path === undefined || path === '') continue;
    let feed;
    try {
      feed = await parseFeed(readFileSync(join(sharedRoot, path)));
    } catch (error: unknown) {
      if (error instanceof FeedError) continue;
      throw error;
    }
    const slot = byLanguage.get(language) ?? { feeds: 0, items: 0, withTopic: 0, best: 0, topics: new Map() };
    slot.feeds++;
    for (const item of feed.items) {
      const article = toArticle(item, { feedId: 'eval', sourceName: feed.title ?? '', language, fetchedAt: '2024-01-01T00:00:00.000Z' });
      if (article === undefined || seen.has(article.articleId)) continue;
      seen.add(article.articleId);
      const result = classify({ title: article.title, text: article.summary, language, ...(article.categories ? { categories: article.categories } : {}) });
      slot.items++;
      const best = result.topics[0];
      if (best !== undefined) {
        slot.withTopic++;
        slot.best += best.score;
        slot.topics.set(best.label, (slot.topics.get(best.label) ?? 0) + 1);
      }
    }
    byLanguage.set(language, slot);
  }
  return [...byLanguage]
    .map(([language, slot]) => ({
      language,
      feeds: slot.feeds,
      items: slot.items,
      withTopic: slot.withTopic,
      meanBestScore: slot.withTopic === 0 ? 0 : slot.best / slot.withTopic,
      topTopics: [...slot.topics].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([label, n]) => `${label} ${n}`).join(', '),
    }))
    .sort((a, b) => b.items - a.items || (a.language < b.language ? -1 : 1));
}
