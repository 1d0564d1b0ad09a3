// Topic accuracy on other unseen news, in four classes (world, sport, business, sci/tech): the captured feeds of
// real publishers in ../shared/feeds/real_news, labelled by what the PUBLISHERS assigned (item categories, or the
// section a feed is), never by us reading the articles. The rule tables below were written from the categories and
// feed titles alone, before any prediction was looked at; they are not tuned on the results.
// `npx tsx scripts/eval-four-class.ts [--json]` prints the report; scripts/eval.ts puts it in docs/quality.md.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed } from '../functions/adapters/reader/index.js';
import { FeedError } from '../functions/domain/errors.js';
import { toArticle } from '../functions/domain/article.js';
import { feedLanguageOf } from '../functions/domain/feed-item.js';
import { classify } from '../functions/adapters/classifier.js';
import { scoreRuleTopics } from '../functions/domain/classification/topic-rules.js';
import { tokenize } from '../functions/domain/classification/tokenize.js';
import type { Classification } from '../functions/domain/types.js';
import { listFiles } from '../test/helpers/shared-dir.js';

export const FOUR_CLASSES = ['world', 'sport', 'business', 'sci/tech'] as const;
export type FourClass = (typeof FOUR_CLASSES)[number];
export type Prediction = FourClass | 'none';

// ---------------------------------------------------------------------------------------------------------------
// Gold labels: the publisher's categories and sections

/** A category part names a class only when it IS a desk name ("Sport", "World news", "Money"), not when it merely
 * contains one: the NYT's descriptor "United States Economy" tags a story on an earthquake, and a podcast's
 * comma-joined keyword string is no section. */
function desks(alternation: string): RegExp {
  return new RegExp(`^(?:${alternation})$`, 'iu');
}

/** A category names a class when one of its parts (see categoryParts) is one of these desk names. */
export const CATEGORY_RULES: readonly { cls: FourClass; pattern: RegExp }[] = [
  {
    cls: 'world',
    pattern: desks('world|world news|international|internacional|europe|asia|asia pacific|africa|middle east|americas|ausland|mundo|monde|mondo|в мире'),
  },
  {
    cls: 'sport',
    pattern: desks(
      'sports?|us sports|football|soccer|cricket|tennis|rugby|rugby union|rugby league|f1|formula one|olympics|olympic games|golf|cycling|boxing|athletics|baseball|basketball|nfl|nba|mlb|nhl|desporto|deportes?|esportes?|fußball|fussball|спорт',
    ),
  },
  {
    cls: 'business',
    pattern: desks('business|economy|economics|markets?|money|finance|personal finance|wirtschaft|economia|economía|économie|finanzen|экономика|бизнес'),
  },
  {
    cls: 'sci/tech',
    pattern: desks(
      'technology|tech|science|science and technology|gadgets|ai|artificial intelligence|computing|computers|space|wissenschaft|netzwelt|tecnologia|tecnología|technologie|ciência|ciencia|наука|технологии',
    ),
  },
];

/**
 * Feeds that are one desk of their publisher, as the feed itself says in its title, link or description (quoted in
 * `evidence`). Every item of such a feed carries the desk's class, joined with its own categories.
 */
export const SECTION_FEEDS: readonly { cls: FourClass; match: RegExp; evidence: string }[] = [
  { cls: 'world', match: /^BBC News - World\b/, evidence: 'title "BBC News - World"' },
  { cls: 'world', match: /news18\.com\/rss\/khabar\/world\//, evidence: 'link …/rss/khabar/world/china.xml' },
  { cls: 'business', match: /^Bloomberg Markets\b/, evidence: 'title "Bloomberg Markets", link bloomberg.com/markets/' },
  { cls: 'sport', match: /^SkySports\b/, evidence: 'title "SkySports | Liverpool"' },
  { cls: 'sport', match: /mundodeportivo\.com\/futbol\//, evidence: 'link mundodeportivo.com/futbol/fc-barcelona' },
  { cls: 'sport', match: /^www\.espn\.com\b/, evidence: 'title "www.espn.com - TOP" (a sports network)' },
  { cls: 'sport', match: /^Bleacher Report\b/, evidence: 'title "Bleacher Report - Front Page" (a sports site)' },
  { cls: 'sport', match: /^Fantasy Baseball\b/, evidence: 'title "Fantasy Baseball - RotoAuthority.com"' },
  { cls: 'sport', match: /transfermarkt\.de\/rss\/news/, evidence: 'title "Transfermarkt", link transfermarkt.de (football transfers)' },
  { cls: 'sci/tech', match: /^The Register - Science\b/, evidence: 'title "The Register - Science"' },
  { cls: 'sci/tech', match: /^Science twis\b/, evidence: 'title "Science twis", link science.sciencemag.org' },
  { cls: 'sci/tech', match: /^Tech News Daily\b/, evidence: 'title "Tech News Daily"' },
  { cls: 'sci/tech', match: /^TechCrunch\b/, evidence: 'title "TechCrunch", description "Startup and Technology News"' },
  { cls: 'sci/tech', match: /^Engadget\b/, evidence: 'title "… everything new in gadgets and consumer electronics"' },
  { cls: 'sci/tech', match: /^MacRumors\b/, evidence: 'title "MacRumors: Mac News and Rumors", description "Apple, iPhone, iPad, Mac News"' },
  { cls: 'sci/tech', match: /^Golem\.de\b/, evidence: 'title "Golem.de", description "IT-News fuer Profis"' },
  { cls: 'sci/tech', match: /^heise online\b/, evidence: 'title "heise online News", description "… aus der Welt der Computer"' },
  { cls: 'sci/tech', match: /^heise developer\b/, evidence: 'title "heise developer", subtitle "Informationen für Entwickler"' },
  { cls: 'sci/tech', match: /^NASA Breaking News\b/, evidence: 'title "NASA Breaking News" (the space agency\'s news)' },
];

/**
 * Categories not assigned by the publisher: a subreddit is chosen by whoever posts. Their items keep only a section
 * label, and these feeds have none.
 */
const USER_CATEGORY_LINKS = /reddit\.com/;

/** The parts of a category a rule looks at: the whole, and the path of a "facet:a/b" or "key|value" category. */
export function categoryParts(category: string): string[] {
  const whole = category.toLowerCase().replace(/[-_]+/g, ' ').replace(/\s+/g, ' ').trim();
  const value = whole.replace(/^[a-z]+[:|]/, '');
  return [...new Set([whole, value, ...value.split('/').map((part) => part.trim())])].filter((part) => part !== '');
}

export function classesOfCategory(category: string): Set<FourClass> {
  const found = new Set<FourClass>();
  for (const part of categoryParts(category)) {
    for (const rule of CATEGORY_RULES) if (rule.pattern.test(part)) found.add(rule.cls);
  }
  return found;
}

export type GoldLabel = { cls: FourClass; source: 'category' | 'section' | 'both' } | { cls: 'ambiguous' | 'unlabelled' };

/** The one class the publisher's categories and section agree on; more than one is ambiguous, none unlabelled. */
export function labelItem(categories: readonly string[], section: FourClass | undefined): GoldLabel {
  const fromCategories = new Set<FourClass>();
  for (const category of categories) for (const cls of classesOfCategory(category)) fromCategories.add(cls);
  const all = new Set(fromCategories);
  if (section !== undefined) all.add(section);
  if (all.size > 1) return { cls: 'ambiguous' };
  const [cls] = [...all];
  if (cls === undefined) return { cls: 'unlabelled' };
  const source = section === undefined ? 'category' : fromCategories.size === 0 ? 'section' : 'both';
  return { cls, source };
}

export function sectionOf(feedTitle: string, feedLink: string): FourClass | undefined {
  const key = `${feedTitle.trim()} ${feedLink}`;
  return SECTION_FEEDS.find((row) => row.match.test(key) || row.match.test(feedLink))?.cls;
}

export interface LabelledItem {
  id: string;
  file: string;
  feedTitle: string;
  language: string;
  title: string;
  text: string;
  gold: FourClass;
  source: 'category' | 'section' | 'both';
}

export interface Collection {
  files: number;
  parsedFeeds: number;
  unparseable: number;
  items: number;
  duplicates: number;
  ambiguous: number;
  unlabelled: number;
  labelled: LabelledItem[];
}

/** Expected outputs of other parsers and licences sit beside the feeds; only feed documents are read. */
function isFeedFile(path: string): boolean {
  return !/\.(json|txt|md|ya?ml|js|ts)$/i.test(path) && !/(LICENSE|README|COPYING)/i.test(path) && !/expected_output/.test(path);
}

/**
 * Every item of every feed under `root`, parsed and normalised as the poller does (parseFeed, then toArticle),
 * deduplicated by article id (the same captures appear in several parsers' fixtures), with its gold label.
 */
export async function collectLabelledItems(root: string): Promise<Collection> {
  const collection: Collection = { files: 0, parsedFeeds: 0, unparseable: 0, items: 0, duplicates: 0, ambiguous: 0, unlabelled: 0, labelled: [] };
  const seen = new Set<string>();
  for (const path of listFiles(root, { sorted: true }).filter(isFeedFile)) {
    collection.files++;
    let feed;
    try {
      feed = await parseFeed(readFileSync(path));
    } catch (error: unknown) {
      if (!(error instanceof FeedError)) throw error;
      collection.unparseable++;
      continue;
    }
    collection.parsedFeeds++;
    const feedTitle = feed.title ?? '';
    const feedLink = feed.link ?? '';
    const section = sectionOf(feedTitle, feedLink);
    const userCategories = USER_CATEGORY_LINKS.test(feedLink);
    const language = feedLanguageOf(feed);
    for (const item of feed.items) {
      const article = toArticle(item, {
        feedId: 'eval',
        sourceName: feedTitle,
        ...(feedLink === '' ? {} : { feedLink }),
        language,
        fetchedAt: '2024-01-01T00:00:00.000Z',
      });
      if (article === undefined) continue;
      collection.items++;
      if (seen.has(article.articleId)) {
        collection.duplicates++;
        continue;
      }
      seen.add(article.articleId);
      const label = labelItem(userCategories ? [] : (article.categories ?? []), section);
      if (!('source' in label)) {
        if (label.cls === 'ambiguous') collection.ambiguous++;
        else collection.unlabelled++;
      } else {
        collection.labelled.push({
          id: article.articleId,
          file: relative(root, path),
          feedTitle,
          language: article.language,
          title: article.title,
          text: article.summary,
          gold: label.cls,
          source: label.source,
        });
      }
    }
  }
  return collection;
}

// ---------------------------------------------------------------------------------------------------------------
// Predictions: top-level IPTC Media Topics folded into four classes

/** The top-level codes with a class of their own; every other top-level code is news of the world. */
export const IPTC_TO_FOUR_CLASS: Readonly<Record<string, FourClass>> = {
  'medtop:15000000': 'sport',
  'medtop:04000000': 'business',
  'medtop:13000000': 'sci/tech',
};

/** Second-level codes are never scored above their parent (a child's score is the parent's times a factor < 1). */
function isTopLevel(code: string): boolean {
  return /^medtop:\d{2}000000$/.test(code);
}

export function fourClassOfTopic(code: string): FourClass {
  return IPTC_TO_FOUR_CLASS[code] ?? 'world';
}

/** The class of the highest-scoring top-level topic, or 'none' when classify() reports no topic. */
export function predictFourClass(classification: Pick<Classification, 'topics'>): Prediction {
  let best: { code: string; score: number } | undefined;
  for (const topic of classification.topics) {
    if (!isTopLevel(topic.code)) continue;
    if (best === undefined || topic.score > best.score) best = topic;
  }
  return best === undefined ? 'none' : fourClassOfTopic(best.code);
}

/** Ablation: the hand vocabulary alone (the rule half of classify()'s topic score), without the learned model. */
export function predictVocabularyOnly({ title, text }: { title: string; text: string }): Prediction {
  const rules = scoreRuleTopics([
    { field: 'title', tokens: tokenize(title) },
    { field: 'text', tokens: tokenize(text) },
  ]);
  let best: { code: string; score: number } | undefined;
  for (const [code, { score }] of rules) if (score > 0 && (best === undefined || score > best.score)) best = { code, score };
  return best === undefined ? 'none' : fourClassOfTopic(best.code);
}

// ---------------------------------------------------------------------------------------------------------------
// Scores

export interface FourClassScores {
  n: number;
  correct: number;
  accuracy: number;
  /** 95% Wilson score interval of the accuracy. */
  interval: [number, number];
  /** Share of items with any prediction (not 'none'). */
  coverage: number;
  /** Accuracy over the covered items only. */
  accuracyCovered: number;
  /** matrix[gold][predicted], predicted columns: the four classes then 'none'. */
  matrix: number[][];
  perClass: { label: FourClass; precision: number; recall: number; f1: number; support: number }[];
  macroF1: number;
}

export function wilsonInterval(successes: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [0, 0];
  const p = successes / n;
  const denominator = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

export const PREDICTED_COLUMNS: readonly Prediction[] = [...FOUR_CLASSES, 'none'];

export function scoreFourClass(pairs: readonly { gold: FourClass; predicted: Prediction }[]): FourClassScores {
  const matrix = FOUR_CLASSES.map(() => PREDICTED_COLUMNS.map(() => 0));
  for (const { gold, predicted } of pairs) {
    const row = matrix[FOUR_CLASSES.indexOf(gold)];
    const column = PREDICTED_COLUMNS.indexOf(predicted);
    if (row) row[column] = (row[column] ?? 0) + 1;
  }
  const n = pairs.length;
  const correct = FOUR_CLASSES.reduce((sum, _, k) => sum + (matrix[k]?.[k] ?? 0), 0);
  const covered = pairs.filter((pair) => pair.predicted !== 'none').length;
  const perClass = FOUR_CLASSES.map((label, k) => {
    const tp = matrix[k]?.[k] ?? 0;
    const predicted = matrix.reduce((sum, row) => sum + (row[k] ?? 0), 0);
    const support = (matrix[k] ?? []).reduce((sum, count) => sum + count, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    return { label, precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), support };
  });
  return {
    n,
    correct,
    accuracy: n === 0 ? 0 : correct / n,
    interval: wilsonInterval(correct, n),
    coverage: n === 0 ? 0 : covered / n,
    accuracyCovered: covered === 0 ? 0 : correct / covered,
    matrix,
    perClass,
    macroF1: perClass.reduce((sum, c) => sum + c.f1, 0) / perClass.length,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

export interface FourClassReport {
  collection: Omit<Collection, 'labelled'> & { labelled: number };
  counts: Record<FourClass, number>;
  ours: FourClassScores;
  bySource: { category: FourClassScores; section: FourClassScores };
  englishOnly: FourClassScores;
  /** English items with a summary of at least 100 characters: many captured items carry a title only. */
  englishWithSummary: FourClassScores;
  vocabularyOnly: FourClassScores;
  titleOnly: number;
  majority: { cls: FourClass; accuracy: number };
  perFeed: { feed: string; n: number; gold: string; accuracy: number }[];
}

export async function evaluateFourClass(root: string): Promise<FourClassReport> {
  const collection = await collectLabelledItems(root);
  const items = collection.labelled;
  const predicted = items.map((item) => ({
    item,
    ours: predictFourClass(classify({ title: item.title, text: item.text, ...(item.language === 'und' ? {} : { language: item.language }) })),
    vocabulary: predictVocabularyOnly(item),
  }));
  const pairsOf = (rows: typeof predicted, pick: 'ours' | 'vocabulary' = 'ours') =>
    rows.map((row) => ({ gold: row.item.gold, predicted: row[pick] }));
  const counts = Object.fromEntries(FOUR_CLASSES.map((cls) => [cls, items.filter((item) => item.gold === cls).length])) as Record<FourClass, number>;
  const majorityClass = FOUR_CLASSES.reduce((best, cls) => (counts[cls] > counts[best] ? cls : best), FOUR_CLASSES[0]);
  const feeds = new Map<string, typeof predicted>();
  for (const row of predicted) feeds.set(row.item.feedTitle, [...(feeds.get(row.item.feedTitle) ?? []), row]);
  const { labelled, ...rest } = collection;
  return {
    collection: { ...rest, labelled: labelled.length },
    counts,
    ours: scoreFourClass(pairsOf(predicted)),
    bySource: {
      category: scoreFourClass(pairsOf(predicted.filter((row) => row.item.source !== 'section'))),
      section: scoreFourClass(pairsOf(predicted.filter((row) => row.item.source === 'section'))),
    },
    englishOnly: scoreFourClass(pairsOf(predicted.filter((row) => row.item.language === 'en'))),
    englishWithSummary: scoreFourClass(pairsOf(predicted.filter((row) => row.item.language === 'en' && row.item.text.length >= 100))),
    vocabularyOnly: scoreFourClass(pairsOf(predicted, 'vocabulary')),
    titleOnly: items.filter((item) => item.text === '').length,
    majority: { cls: majorityClass, accuracy: items.length === 0 ? 0 : counts[majorityClass] / items.length },
    perFeed: [...feeds]
      .map(([feed, rows]) => ({
        feed,
        n: rows.length,
        gold: [...new Set(rows.map((row) => row.item.gold))].join(', '),
        accuracy: rows.filter((row) => row.ours === row.item.gold).length / rows.length,
      }))
      .sort((a, b) => b.n - a.n || (a.feed < b.feed ? -1 : 1)),
  };
}

function fixed(value: number): string {
  return value.toFixed(3);
}

function describeRule(pattern: RegExp): string {
  return pattern.source.replace(/^\^\(\?:/, '').replace(/\)\$$/, '').replace(/\|/g, ' \\| ');
}

/** The markdown section of docs/quality.md. */
export function renderFourClassSection(report: FourClassReport): string[] {
  const { collection: c, ours } = report;
  const small = ours.n < 300;
  const line = (name: string, s: FourClassScores): string =>
    `| ${name} | ${s.n} | **${fixed(s.accuracy)}** | ${fixed(s.interval[0])}–${fixed(s.interval[1])} | ${fixed(s.coverage)} | ${fixed(s.accuracyCovered)} | ${fixed(s.macroF1)} |`;
  return [
    '### Other unseen news, four classes',
    '',
    `Generated by scripts/eval-four-class.ts. Gold labels are the PUBLISHERS' own: the item categories they wrote (\`<category>\`, \`dc:subject\`, Atom \`category\`) in the real captured feeds under \`feeds/real_news\`, or the section a feed is (the BBC's World feed, Bloomberg Markets, TechCrunch, ...). An item is labelled only when its categories and section point to exactly one of the four classes by the rule tables below; the tables were written from the categories and feed titles alone, before any prediction was looked at, and were not changed after. Items are parsed and normalised as the poller does (parseFeed, toArticle), deduplicated by article id, and classified from title + summary (what the poller classifies); the categories are not shown to the classifier.`,
    '',
    `Items: ${c.files} files, ${c.parsedFeeds} parsed as feeds (${c.unparseable} are not feeds or are broken on purpose), ${c.items} items, ${c.duplicates} duplicates removed; of the rest ${c.labelled} labelled, **${c.ambiguous} left out as ambiguous** (categories of more than one class), ${c.unlabelled} left out with no class. Labelled per class: ${FOUR_CLASSES.map((cls) => `${cls} ${report.counts[cls]}`).join(', ')}. ${report.titleOnly} labelled items have a title and no summary.`,
    '',
    small
      ? `**The labelled set is small (${ours.n} items, fewer than 300), drawn from a few dozen feeds, and not a sample of news at large:** read the accuracy with its 95% Wilson interval, and the per-feed table below.`
      : `Accuracy is given with its 95% Wilson interval; the items come from a few dozen feeds, not a sample of news at large.`,
    '',
    'Prediction: the class of the highest-scoring top-level IPTC topic of classify(): sport (medtop:15000000) → sport; economy, business and finance (medtop:04000000) → business; science and technology (medtop:13000000) → sci/tech; every other top-level topic (politics, conflict/war/peace, crime/law/justice, disaster/accident, environment, society, health, education, labour, religion, weather, arts/culture, human interest, lifestyle) → world. No topic at all → "none", counted wrong.',
    '',
    '| system | items | accuracy | 95% CI | coverage | accuracy where covered | macro-F1 |',
    '|---|---|---|---|---|---|---|',
    line('newsalert (all labelled items)', ours),
    line('newsalert, labels from item categories', report.bySource.category),
    line('newsalert, labels from section feeds only', report.bySource.section),
    line('newsalert, English feeds only', report.englishOnly),
    line('newsalert, English items with a summary ≥ 100 characters', report.englishWithSummary),
    line('ablation: hand vocabulary alone, no model', report.vocabularyOnly),
    `| majority class (${report.majority.cls}) | ${ours.n} | ${fixed(report.majority.accuracy)} | | 1.000 | | |`,
    '',
    'The two country baselines of this evaluation (exact names, compromise places) give no topics, so they have no figure here.',
    '',
    `**Gap to the target (≥ 0.88): ${fixed(0.88 - ours.accuracy)}.** What limits it, as read from the tables below (nothing was tuned on them): (1) titles alone: many captured items (Science's "This week in science", the Telegraph) carry no summary, and a headline such as "Food for fungi" gives the classifier nothing to go on (compare the row for English items with a summary); (2) languages: the model learned from English BBC News, so German (heise, Golem, Transfermarkt) and Portuguese items mostly get no topic or a wrong one; (3) the class scheme: publishers file tech-company deals (IPOs, funding rounds, takeovers) and a gadget site's film and game news under their technology desk, where IPTC says economy or arts, and the mapping above sends health and environment (much of Science) to world.`,
    '',
    '| class | precision | recall | F1 | support |',
    '|---|---|---|---|---|',
    ...ours.perClass.map((k) => `| ${k.label} | ${fixed(k.precision)} | ${fixed(k.recall)} | ${fixed(k.f1)} | ${k.support} |`),
    '',
    'Confusion matrix (rows: gold, columns: predicted):',
    '',
    `| gold \\ predicted | ${PREDICTED_COLUMNS.join(' | ')} |`,
    `|---|${PREDICTED_COLUMNS.map(() => '---').join('|')}|`,
    ...FOUR_CLASSES.map((cls, k) => `| ${cls} | ${(ours.matrix[k] ?? []).join(' | ')} |`),
    '',
    'Per feed (labelled items, the gold classes they carry, our accuracy):',
    '',
    '| feed | items | gold | accuracy |',
    '|---|---|---|---|',
    ...report.perFeed.map((f) => `| ${f.feed.replace(/\|/g, '/').slice(0, 90)} | ${f.n} | ${f.gold} | ${fixed(f.accuracy)} |`),
    '',
    'Category rules (case-insensitive; a category is looked at whole, and for `facet:a/b` or `key|value` forms such as the Telegraph\'s `structure:news/world-news`, also its value and each path part, hyphens read as spaces). A part must BE one of the desk names below, not merely contain one: the NYT\'s descriptors are topical tags ("United States Economy" tags a story on an earthquake), and a podcast\'s comma-joined keyword string is no section; this anchoring was decided on the gold labels alone, before any prediction. Subreddits (reddit feeds) are chosen by whoever posts, not by a publisher, and are ignored.',
    '',
    '| class | a category part matching |',
    '|---|---|',
    ...CATEGORY_RULES.map((rule) => `| ${rule.cls} | \`${describeRule(rule.pattern)}\` |`),
    '',
    'Section feeds (every item takes the class; the feed says so itself):',
    '',
    '| class | feed | the publisher\'s words |',
    '|---|---|---|',
    ...SECTION_FEEDS.map((row) => `| ${row.cls} | \`${row.match.source.replace(/\|/g, '\\|')}\` | ${row.evidence.replace(/\|/g, "\\|")} |`),
    '',
  ];
}

async function main(): Promise<void> {
  const { HAS_SHARED, SHARED_SKIP_REASON, sharedPath } = await import('../test/helpers/shared-dir.js');
  if (!HAS_SHARED) {
    process.stderr.write(`eval-four-class: ${SHARED_SKIP_REASON}\n`);
    process.exit(1);
  }
  const report = await evaluateFourClass(sharedPath('feeds', 'real_news'));
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${renderFourClassSection(report).join('\n')}\n`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
