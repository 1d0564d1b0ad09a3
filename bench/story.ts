// `npm run bench -- story [--json] [--show N]`: how often story clustering merges articles that are NOT one story.
// Every pair of distinct articles in two real samples is compared as chooseStory would (joinsStory; one file = one
// feed): the BBC News dataset (2,225
// articles of 2004-05 in five sections, exact duplicates removed) and the items of the real feeds in
// ../shared/feeds/real_news. Nearly all such pairs are different stories, so the flagged share is an upper bound
// of the false-merge rate; `--show` prints the flagged pairs to check by eye. Also reports how many flagged pairs
// the bucket lookup (storyKeys) would have found, i.e. the recall of candidate generation on those pairs.
import { readFileSync } from 'node:fs';
import { parseFeed } from '#adapters/reader/index.js';
import { htmlToText } from '#domain/text.js';
import { joinsStory, storyFingerprint, storyKeys, storySimilarity, type StoryFingerprint } from '#domain/story.js';
import { HAS_SHARED, listFiles, SHARED_SKIP_REASON, sharedPath } from '../test/helpers/shared-dir.js';

interface Sample {
  source: string;
  title: string;
  fingerprint: StoryFingerprint;
  keys: Set<string>;
}

function toSample(source: string, title: string, summary: string): Sample {
  const fingerprint = storyFingerprint(title, summary);
  return { source, title, fingerprint, keys: new Set(storyKeys(fingerprint)) };
}

function loadBbc(): Sample[] {
  const lines = readFileSync(sharedPath('datasets/topics/bbc-news/bbc_news_2225.derived.jsonl'), 'utf8').split('\n');
  const seen = new Set<string>();
  const samples: Sample[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { id: string; category: string; title: string; text: string };
    const key = `${row.title}\u0000${row.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A feed carries the lead, not the article: the first 400 characters stand for it.
    // Each article counts as its own outlet, so the stricter same-feed rule never hides a merge.
    samples.push(toSample(`bbc/${row.category}/${row.id}`, row.title, row.text.slice(0, 400)));
  }
  return samples;
}

async function loadRealNews(): Promise<Sample[]> {
  const samples: Sample[] = [];
  const seen = new Set<string>();
  for (const file of listFiles(sharedPath('feeds/real_news'), { keep: (_path, name) => /\.(xml|rss|atom|rdf|txt)$/i.test(name) || !name.includes('.') })) {
    let parsed;
    try {
      parsed = await parseFeed(readFileSync(file));
    } catch {
      continue;
    }
    for (const item of parsed.items) {
      const title = htmlToText(item.title ?? '');
      const summary = htmlToText(item.summaryHtml ?? item.contentHtml ?? '').slice(0, 1000);
      const key = `${title}\u0000${summary}`;
      if (title === '' || seen.has(key)) continue;
      seen.add(key);
      samples.push(toSample(file.slice(sharedPath('feeds/real_news').length + 1), title, summary));
    }
  }
  return samples;
}

function flaggedPairs(samples: Sample[]) {
  const flagged: [Sample, Sample][] = [];
  let nearIdentical = 0;
  let pairs = 0;
  let foundByKeys = 0;
  for (let i = 0; i < samples.length; i++) {
    for (let j = i + 1; j < samples.length; j++) {
      pairs++;
      const a = samples[i]!;
      const b = samples[j]!;
      if (!joinsStory(a.fingerprint, b.fingerprint, a.source === b.source)) continue;
      // Same wording throughout: the same article filed twice (the BBC sample has such copies), a true merge.
      if (storySimilarity(a.fingerprint, b.fingerprint).words >= 0.8) nearIdentical++;
      else flagged.push([a, b]);
      if ([...a.keys].some((key) => b.keys.has(key))) foundByKeys++;
    }
  }
  return { pairs, flagged, nearIdentical, foundByKeys };
}

function report(name: string, samples: Sample[], show: number) {
  const { pairs, flagged, nearIdentical, foundByKeys } = flaggedPairs(samples);
  return {
    sample: name,
    articles: samples.length,
    pairs,
    mergedNearIdenticalPairs: nearIdentical,
    /** Merged pairs that are not near-identical copies: related reports, follow-ups, or false merges. */
    mergedOtherPairs: flagged.length,
    mergedOtherRate: pairs === 0 ? 0 : flagged.length / pairs,
    articlesInAFlaggedPair: new Set(flagged.flatMap(([a, b]) => [a, b])).size,
    /** Of all merged pairs, how many the bucket lookup finds (candidate recall). */
    mergedFoundByKeys: foundByKeys,
    examples: flagged.slice(0, show).map(([a, b]) => [`${a.source}: ${a.title}`, `${b.source}: ${b.title}`]),
  };
}

export async function run(args: string[]): Promise<object> {
  if (!HAS_SHARED) return { skipped: SHARED_SKIP_REASON };
  const showAt = args.indexOf('--show');
  const show = showAt >= 0 ? Number(args[showAt + 1] ?? 20) : 10;
  return { bbc: report('bbc-news', loadBbc(), show), realNews: report('real_news', await loadRealNews(), show) };
}
