// The labelled topic corpora in ../shared/datasets/topics, read into one shape and mapped to IPTC Media Topics by
// one documented table (TOPIC_MAPPING, rendered into docs/quality.md by scripts/eval.ts). Used by `npm run train`,
// `npm run eval`, the benches and the quality tests, so every one of them sees the same rows, splits and folds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hashToken } from '../functions/domain/classification/tokenize.js';

/** The 17 top-level IPTC Media Topics, in code order. */
export const TOP_LEVEL = [
  'medtop:01000000', 'medtop:02000000', 'medtop:03000000', 'medtop:04000000', 'medtop:05000000', 'medtop:06000000',
  'medtop:07000000', 'medtop:08000000', 'medtop:09000000', 'medtop:10000000', 'medtop:11000000', 'medtop:12000000',
  'medtop:13000000', 'medtop:14000000', 'medtop:15000000', 'medtop:16000000', 'medtop:17000000',
] as const;

const T = {
  arts: 'medtop:01000000',
  crime: 'medtop:02000000',
  disaster: 'medtop:03000000',
  economy: 'medtop:04000000',
  education: 'medtop:05000000',
  environment: 'medtop:06000000',
  health: 'medtop:07000000',
  human: 'medtop:08000000',
  labour: 'medtop:09000000',
  lifestyle: 'medtop:10000000',
  politics: 'medtop:11000000',
  religion: 'medtop:12000000',
  science: 'medtop:13000000',
  society: 'medtop:14000000',
  sport: 'medtop:15000000',
  conflict: 'medtop:16000000',
  weather: 'medtop:17000000',
} as const;

/**
 * IPTC codes below the top level that some corpus labels precisely, learned as classes of their own (each with its
 * top-level parent). Deeper codes are used where the second level is too broad to say what the label says
 * (THUCNews "realty" is "construction and property", under "products and services").
 */
export const SUB_TOPICS: Readonly<Record<string, { parent: string; label: string }>> = {
  'medtop:20000385': { parent: T.economy, label: 'market and exchange' },
  'medtop:20000235': { parent: T.economy, label: 'construction and property' },
  'medtop:20000287': { parent: T.economy, label: 'personal finance and investment' },
  'medtop:20000082': { parent: T.crime, label: 'crime' },
  'medtop:20000405': { parent: T.education, label: 'college and university' },
  'medtop:20000563': { parent: T.lifestyle, label: 'travel and tourism' },
  'medtop:20000548': { parent: T.lifestyle, label: 'video game' },
  'medtop:20000780': { parent: T.society, label: 'family' },
  'medtop:20000045': { parent: T.arts, label: 'mass media' },
  'medtop:20000005': { parent: T.arts, label: 'cinema' },
  'medtop:20000756': { parent: T.science, label: 'technology and engineering' },
};

/** What a corpus label becomes: a top-level code (and maybe a finer one), a negative, or nothing. */
export type LabelMapping =
  | { top: string; sub?: string; why?: string; /** Top-level codes the class mixes in: its rows say nothing about them. */ silentOn?: readonly string[] }
  | { negative: true; why: string }
  | { skip: true; why: string };

const top = (code: string, why?: string): LabelMapping => (why === undefined ? { top: code } : { top: code, why });
const sub = (code: string, subCode: string, why?: string): LabelMapping =>
  why === undefined ? { top: code, sub: subCode } : { top: code, sub: subCode, why };
const skip = (why: string): LabelMapping => ({ skip: true, why });

/**
 * Every class of every corpus, mapped to IPTC. Classes that mix topics are left out (skip) or kept as negatives of
 * the classes their corpus does have (negative), never forced into one topic.
 */
export const TOPIC_MAPPING: Readonly<Record<string, Readonly<Record<string, LabelMapping>>>> = {
  bbc: {
    business: top(T.economy),
    entertainment: top(T.arts),
    politics: top(T.politics),
    sport: top(T.sport),
    tech: sub(T.science, 'medtop:20000756'),
  },
  huffpost: {
    POLITICS: top(T.politics),
    WELLNESS: top(T.health, 'fitness, diet and illness; IPTC also has lifestyle > wellness'),
    'HEALTHY LIVING': top(T.health),
    ENTERTAINMENT: top(T.arts),
    COMEDY: top(T.arts),
    MEDIA: sub(T.arts, 'medtop:20000045'),
    ARTS: top(T.arts),
    'ARTS & CULTURE': top(T.arts),
    'CULTURE & ARTS': top(T.arts),
    TRAVEL: sub(T.lifestyle, 'medtop:20000563'),
    'STYLE & BEAUTY': top(T.lifestyle),
    STYLE: top(T.lifestyle),
    'FOOD & DRINK': top(T.lifestyle),
    TASTE: top(T.lifestyle),
    'HOME & LIVING': top(T.lifestyle),
    PARENTING: sub(T.society, 'medtop:20000780'),
    PARENTS: sub(T.society, 'medtop:20000780'),
    WEDDINGS: sub(T.society, 'medtop:20000780', 'IPTC: society > family > marriage'),
    DIVORCE: sub(T.society, 'medtop:20000780'),
    IMPACT: top(T.society, 'charity, poverty, homelessness'),
    BUSINESS: top(T.economy),
    MONEY: sub(T.economy, 'medtop:20000287'),
    SPORTS: top(T.sport),
    CRIME: sub(T.crime, 'medtop:20000082'),
    'WEIRD NEWS': top(T.human),
    'GOOD NEWS': top(T.human),
    GREEN: { top: T.environment, silentOn: [T.disaster, T.weather], why: 'also wildfires, floods and storms' },
    ENVIRONMENT: { top: T.environment, silentOn: [T.disaster, T.weather], why: 'also storms, tornadoes and spills' },
    RELIGION: top(T.religion),
    SCIENCE: top(T.science),
    TECH: sub(T.science, 'medtop:20000756'),
    COLLEGE: sub(T.education, 'medtop:20000405'),
    EDUCATION: top(T.education),
    'WORLD NEWS': skip('international news of every kind'),
    'THE WORLDPOST': skip('international news of every kind'),
    WORLDPOST: skip('international news of every kind'),
    'QUEER VOICES': skip('a community section: politics, entertainment, crime, ...'),
    'BLACK VOICES': skip('a community section: politics, entertainment, crime, ...'),
    'LATINO VOICES': skip('a community section: politics, entertainment, crime, ...'),
    WOMEN: skip('a community section: politics, entertainment, crime, ...'),
    FIFTY: skip('readers over fifty: health, money, relationships, retirement'),
  },
  sib200: {
    'science/technology': top(T.science),
    travel: sub(T.lifestyle, 'medtop:20000563'),
    politics: top(T.politics),
    sports: top(T.sport),
    health: top(T.health),
    entertainment: top(T.arts),
    geography: { negative: true, why: 'facts about places: no IPTC topic, but none of the six classes either' },
  },
  masakhanews: {
    business: top(T.economy),
    entertainment: top(T.arts),
    health: top(T.health),
    politics: top(T.politics),
    religion: top(T.religion),
    sports: top(T.sport),
    technology: top(T.science),
  },
  thucnews: {
    finance: top(T.economy),
    realty: sub(T.economy, 'medtop:20000235'),
    stocks: sub(T.economy, 'medtop:20000385'),
    education: top(T.education),
    science: top(T.science),
    society: skip('social news: crime, accidents, human interest, education'),
    politics: top(T.politics, 'current affairs: domestic and international politics'),
    sports: top(T.sport),
    game: sub(T.lifestyle, 'medtop:20000548', 'IPTC: lifestyle and leisure > leisure > game > video game'),
    entertainment: top(T.arts),
  },
  vntc: {
    'Chinh tri Xa hoi': skip('"politics and society": domestic news of every kind'),
    'Doi song': top(T.lifestyle, '"life": home, food, relationships'),
    'Khoa hoc': top(T.science),
    'Kinh doanh': top(T.economy),
    'Phap luat': top(T.crime, '"law": crime reports and courts'),
    'Suc khoe': top(T.health),
    'The gioi': skip('"world": international news of every kind'),
    'The thao': top(T.sport),
    'Van hoa': top(T.arts),
    'Vi tinh': sub(T.science, 'medtop:20000756', '"computing"'),
  },
  livedoor: {
    'dokujo-tsushin': top(T.society, "single women's magazine: dating, relationships, work (IPTC: society > family)"),
    'it-life-hack': sub(T.science, 'medtop:20000756'),
    'kaden-channel': sub(T.science, 'medtop:20000756', 'home electronics'),
    'livedoor-homme': top(T.lifestyle, "men's lifestyle"),
    'movie-enter': sub(T.arts, 'medtop:20000005'),
    peachy: top(T.lifestyle, "women's lifestyle: fashion, food, beauty"),
    smax: sub(T.science, 'medtop:20000756', 'smartphones'),
    'sports-watch': top(T.sport),
    'topic-news': skip('general news of every kind'),
  },
};

export type DatasetName = keyof typeof TOPIC_MAPPING;

/** train: used for training only; dev: scored only, never trained on; cv: one split, scored by 5-fold CV. */
export type Split = 'train' | 'dev' | 'cv';

export interface TopicExample {
  id: string;
  dataset: DatasetName;
  /** The corpus's own language key (SIB-200 "rus_Cyrl", MasakhaNEWS "hau", ...). */
  language: string;
  split: Split;
  title: string;
  text: string;
  /** The corpus label as written. */
  label: string;
  mapping: LabelMapping;
}

export const CV_FOLDS = 5;

/** The CV fold of a row, from its id: stable whatever the order or the other rows. */
export function foldOfId(id: string): number {
  return hashToken(id) % CV_FOLDS;
}

export function readJsonLines<T>(path: string): T[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Tab-separated values with a header and CSV-style quoting ("..." may hold tabs, newlines and "" escapes). */
export function parseQuotedTsv(source: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const length = source.length;
  // Whole fields are sliced out (a character-by-character copy of the 40 MB of MasakhaNEWS takes seconds).
  while (i <= length) {
    let field: string;
    if (source.charCodeAt(i) === 34 /* " */) {
      const parts: string[] = [];
      let from = i + 1;
      for (;;) {
        const quote = source.indexOf('"', from);
        if (quote < 0) {
          parts.push(source.slice(from));
          i = length;
          break;
        }
        parts.push(source.slice(from, quote));
        if (source.charCodeAt(quote + 1) === 34) {
          parts.push('"');
          from = quote + 2;
          continue;
        }
        i = quote + 1;
        break;
      }
      field = parts.join('');
    } else {
      let end = i;
      while (end < length) {
        const code = source.charCodeAt(end);
        if (code === 9 || code === 10 || code === 13) break;
        end++;
      }
      field = source.slice(i, end);
      i = end;
    }
    row.push(field);
    const code = source.charCodeAt(i);
    if (code === 9) {
      i++;
      continue;
    }
    // End of line (or of input; text after a closing quote up to the separator is dropped).
    while (i < length && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 9) i++;
    if (source.charCodeAt(i) === 9) {
      i++;
      continue;
    }
    if (row.some((value) => value !== '')) rows.push(row);
    row = [];
    i++;
  }
  const [header = [], ...body] = rows;
  return body.map((values) => Object.fromEntries(header.map((name, k) => [name, values[k] ?? ''])));
}

function mappingOf(dataset: DatasetName, label: string): LabelMapping {
  const mapping = TOPIC_MAPPING[dataset]?.[label];
  if (mapping === undefined) throw new Error(`${dataset}: label ${JSON.stringify(label)} has no row in TOPIC_MAPPING`);
  return mapping;
}

/** Drops rows whose title and text repeat an earlier row's: a duplicate across folds would be scored on training. */
function unique<T extends { title: string; text: string }>(rows: readonly T[]): T[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = `${row.title}\u0000${row.text}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const SIB_LANGUAGES = [
  'eng_Latn', 'deu_Latn', 'fra_Latn', 'spa_Latn', 'ita_Latn', 'por_Latn', 'nld_Latn', 'pol_Latn', 'rus_Cyrl',
  'ukr_Cyrl', 'ell_Grek', 'tur_Latn', 'arb_Arab', 'pes_Arab', 'urd_Arab', 'hin_Deva', 'ben_Beng', 'zho_Hans',
  'zho_Hant', 'jpn_Jpan', 'kor_Hang', 'ind_Latn', 'vie_Latn', 'tha_Thai', 'swh_Latn', 'heb_Hebr', 'ces_Latn',
  'ron_Latn', 'hun_Latn', 'swe_Latn', 'fin_Latn', 'dan_Latn', 'nob_Latn',
] as const;

export const MASAKHA_LANGUAGES = ['amh', 'eng', 'fra', 'hau', 'ibo', 'lin', 'lug', 'orm', 'pcm', 'run', 'sna', 'som', 'swa', 'tir', 'xho', 'yor'] as const;

function loadSib(root: string): TopicExample[] {
  const examples: TopicExample[] = [];
  for (const language of SIB_LANGUAGES) {
    for (const split of ['train', 'dev'] as const) {
      const lines = readFileSync(join(root, 'sib-200', language, `${split}.tsv`), 'utf8').split('\n').slice(1);
      for (const line of lines) {
        if (line.trim() === '') continue;
        // Quoting is off: the texts hold bare quotes, never tabs.
        const [index = '', label = '', ...rest] = line.replace(/\r$/, '').split('\t');
        examples.push({
          id: `sib200/${language}/${index}`,
          dataset: 'sib200',
          language,
          split,
          title: '',
          text: rest.join(' '),
          label,
          mapping: mappingOf('sib200', label),
        });
      }
    }
  }
  return examples;
}

function loadMasakha(root: string): TopicExample[] {
  const examples: TopicExample[] = [];
  for (const language of MASAKHA_LANGUAGES) {
    const dir = join(root, 'masakhanews', language);
    const trainPath = join(dir, 'train.tsv');
    // eng and fra have only few-shot training subsets upstream; the largest one is their train split here.
    const fewShot = join(dir, 'few_shot', '50_samples', 'train.tsv');
    const train = existsSync(trainPath) ? trainPath : existsSync(fewShot) ? fewShot : undefined;
    // Without a train split the dev split is the only labelled data: it is scored by cross-validation.
    const sources: [string, Split][] = train === undefined ? [[join(dir, 'dev.tsv'), 'cv']] : [[train, 'train'], [join(dir, 'dev.tsv'), 'dev']];
    for (const [path, split] of sources) {
      const rows = unique(parseQuotedTsv(readFileSync(path, 'utf8')).map((row) => ({ label: row['category'] ?? '', title: row['headline'] ?? '', text: row['text'] ?? '' })));
      rows.forEach((row, index) => {
        const label = row.label;
        examples.push({
          id: `masakhanews/${language}/${split}/${index}`,
          dataset: 'masakhanews',
          language,
          split,
          title: row.title,
          text: row.text,
          label,
          mapping: mappingOf('masakhanews', label),
        });
      });
    }
  }
  return examples;
}

function loadBbc(root: string): TopicExample[] {
  const rows = unique(readJsonLines<{ id: string; category: string; title: string; text: string }>(join(root, 'bbc-news', 'bbc_news_2225.derived.jsonl')));
  return rows.map((row) => ({
    id: `bbc/${row.id}`,
    dataset: 'bbc',
    language: 'en',
    split: 'cv',
    title: row.title,
    text: row.text,
    label: row.category,
    mapping: mappingOf('bbc', row.category),
  }));
}

function loadHuffpost(root: string): TopicExample[] {
  const rows = readJsonLines<{ id: string; category: string; title: string }>(join(root, 'huffpost', 'huffpost-41.jsonl'));
  return unique(rows.map((row) => ({ ...row, text: '' }))).map((row) => ({
    id: row.id,
    dataset: 'huffpost',
    language: 'en',
    split: 'cv',
    title: row.title,
    text: '',
    label: row.category,
    mapping: mappingOf('huffpost', row.category),
  }));
}

function loadThucnews(root: string): TopicExample[] {
  const dir = join(root, 'thucnews-titles');
  const names = readFileSync(join(dir, 'class.txt'), 'utf8').split('\n').map((name) => name.trim()).filter((name) => name !== '');
  const rows = readFileSync(join(dir, 'dev.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [title = '', index = ''] = line.split('\t');
      return { title, text: '', label: names[Number(index)] ?? index };
    });
  return unique(rows).map((row, index) => ({
    id: `thucnews/${index}`,
    dataset: 'thucnews',
    language: 'zh',
    split: 'cv',
    title: row.title,
    text: '',
    label: row.label,
    mapping: mappingOf('thucnews', row.label),
  }));
}

function loadJsonArticles(root: string, dataset: 'vntc' | 'livedoor', language: string, file: string): TopicExample[] {
  const rows = unique(readJsonLines<{ id: string; category: string; title: string; text: string }>(join(root, file)));
  return rows.map((row) => ({
    id: row.id,
    dataset,
    language,
    split: 'cv',
    title: row.title,
    // VNTC keeps a few HTML entities from its crawl.
    text: dataset === 'vntc' ? row.text.replace(/&amp;/g, '&').replace(/&quot;/g, '"') : row.text,
    label: row.category,
    mapping: mappingOf(dataset, row.category),
  }));
}

/** Every labelled row of every corpus, in a fixed order. `root` is ../shared/datasets/topics. */
export function loadTopicCorpora(root: string): TopicExample[] {
  return [
    ...loadBbc(root),
    ...loadHuffpost(root),
    ...loadSib(root),
    ...loadMasakha(root),
    ...loadThucnews(root),
    ...loadJsonArticles(root, 'vntc', 'vi', join('vntc-vi', 'vntc_train_sample_3000.derived.jsonl')),
    ...loadJsonArticles(root, 'livedoor', 'ja', join('livedoor-ja', 'livedoor_train_sample.derived.jsonl')),
  ];
}

/** The IPTC Subject Codes in 8 languages: per concept, its top-level code and its labels and definitions. */
export interface SubjectConcept {
  code: string;
  top: string;
  retired: boolean;
  labels: Record<string, string>;
  definitions: Record<string, string>;
}

export function loadSubjectCodes(path: string): SubjectConcept[] {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as {
    conceptSet: { qcode: string; retired?: string; prefLabel?: Record<string, string>; definition?: Record<string, string> }[];
  };
  return raw.conceptSet
    .filter((concept) => /^subj:\d{8}$/.test(concept.qcode))
    .map((concept) => ({
      code: concept.qcode,
      top: `medtop:${concept.qcode.slice(5, 7)}000000`,
      retired: concept.retired !== undefined,
      labels: concept.prefLabel ?? {},
      definitions: concept.definition ?? {},
    }));
}

/** Whether a directory looks like ../shared/datasets/topics. */
export function hasTopicCorpora(root: string): boolean {
  return existsSync(root) && readdirSync(root).includes('sib-200');
}
