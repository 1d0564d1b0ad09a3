// IPTC Media Topics of an article from the learned model (topic-model.ts): the best top-level codes with their
// calibrated scores whenever the article has any content (a subscription's minScore decides what is enough), the
// finer codes the model learned from corpus labels under a reported top-level code, and second-level codes the
// article names (IPTC labels of the code and its descendants, in English) under a confident one. Evidence is the
// words and characters that pushed the model up.
import type { TopicScore } from '../types.js';
import { describeFeature, extractFeatures, MAX_TEXT_TOKENS } from './topic-features.js';
import type { FeatureVector } from './topic-features.js';
import { calibrate, scoreMargins } from './topic-model.js';
import type { TopicModel } from './topic-model.js';
import { lazyData } from './data-source.js';
import { decodeTopicModel } from './topic-model.js';
import { internWord, tokenIdsOf } from './lexicon.js';
import type { TokenStream } from './tokenize.js';

/** Top-level codes reported at most. */
const MAX_TOPICS = 3;
/** Below the best one, a top-level code is reported from this score on. */
const MIN_OTHER_TOPIC_SCORE = 0.15;
/** A finer learned code is reported from this score on, under a reported parent. */
const MIN_SUB_TOPIC_SCORE = 0.5;
const MAX_EVIDENCE_TERMS = 6;
/** Second-level codes named in the text are looked for only under a top-level code at least this likely. */
const CHILD_PARENT_MIN = 0.5;
const MIN_CHILD_SCORE = 0.4;
const MAX_CHILDREN = 2;

export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** Second-level codes: parent top-level code -> [code, label, phrases...] (data file topic-children.json). */
export type ChildTable = Readonly<Record<string, readonly (readonly string[])[]>>;

/** [parent code, child code, child label, phrase] */
type ChildEntry = readonly [string, string, string, string];

/** A token trie of the second-level phrases, walked along the article without building n-gram strings. */
interface ChildNode {
  /** Keyed by lexicon id. */
  readonly children: Map<number, ChildNode>;
  entries: ChildEntry[] | undefined;
}

/** Phrases are looked for up to this many words long. */
const MAX_CHILD_PHRASE_TOKENS = 3;

interface ChildIndex {
  readonly root: ChildNode;
  /** The root's children by lexicon id, for the one lookup every article token gets. */
  readonly firstTokens: (ChildNode | undefined)[];
}

function buildChildIndex(table: ChildTable): ChildIndex {
  const root: ChildNode = { children: new Map(), entries: undefined };
  for (const [parent, rows] of Object.entries(table)) {
    for (const [code = '', label = '', ...names] of rows) {
      for (const name of names) {
        const tokens = name.split(' ');
        if (tokens.length > MAX_CHILD_PHRASE_TOKENS) continue;
        let node = root;
        for (const token of tokens) {
          const id = internWord(token);
          let child = node.children.get(id);
          if (child === undefined) {
            child = { children: new Map(), entries: undefined };
            node.children.set(id, child);
          }
          node = child;
        }
        (node.entries ??= []).push([parent, code, label, name]);
      }
    }
  }
  const firstTokens: (ChildNode | undefined)[] = [];
  for (const [id, child] of root.children) firstTokens[id] = child;
  return { root, firstTokens };
}

/** Candidates kept for evidence: enough for MAX_EVIDENCE_TERMS distinct words when several features share a word. */
const EVIDENCE_CANDIDATES = 4 * MAX_EVIDENCE_TERMS;

/**
 * The features that pushed the model towards one class, strongest first, as up to MAX_EVIDENCE_TERMS distinct
 * words (ties in strength ordered by text). One pass keeps the strongest few candidates; only they become text.
 */
function evidenceFor(model: TopicModel, cls: number, streams: readonly TokenStream[], features: FeatureVector): string[] {
  const { ids, values, firstSeen } = features;
  const { offsets, entryClass, entryWeight } = model;
  const top: { strength: number; at: number }[] = [];
  let floor = 0;
  for (let i = 0; i < ids.length; i++) {
    const bucket = ids[i] as number;
    const end = offsets[bucket + 1] as number;
    let weight = 0;
    for (let at = offsets[bucket] as number; at < end; at++) {
      if (entryClass[at] === cls) {
        weight = entryWeight[at] as number;
        break;
      }
    }
    const strength = weight * (values[i] as number);
    if (strength <= 0 || (top.length >= EVIDENCE_CANDIDATES && strength <= floor)) continue;
    top.push({ strength, at: i });
    if (top.length > EVIDENCE_CANDIDATES) {
      top.sort((a, b) => b.strength - a.strength);
      top.length = EVIDENCE_CANDIDATES;
      floor = top[top.length - 1]?.strength ?? 0;
    }
  }
  const described = top.map(({ strength, at }) => ({ strength, term: describeFeature(streams, firstSeen[at] ?? 0) }));
  described.sort((a, b) => b.strength - a.strength || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
  const terms: string[] = [];
  for (const { term } of described) {
    if (terms.length >= MAX_EVIDENCE_TERMS) break;
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  return terms;
}

interface ChildHit {
  parent: string;
  label: string;
  hits: number;
  phrase: string;
}

/** Counts each child phrase (1 to 3 words) in the title (counted thrice) and the opening of the text. */
function childHits(index: ChildIndex, title: TokenStream, text: TokenStream, parents: ReadonlySet<string>): Map<string, ChildHit> {
  const hits = new Map<string, ChildHit>();
  const streams: [TokenStream, number][] = [[title, 3], [text, 1]];
  for (const [stream, weight] of streams) {
    const ids = tokenIdsOf(stream);
    const limit = Math.min(ids.length, MAX_TEXT_TOKENS);
    for (let i = 0; i < limit; i++) {
      const id = ids[i] ?? -1;
      let node = id >= 0 ? index.firstTokens[id] : undefined;
      for (let n = 0; node !== undefined; ) {
        const entries = node.entries;
        if (entries !== undefined) {
          for (const [parent, code, label, phrase] of entries) {
            if (!parents.has(parent)) continue;
            const slot = hits.get(code) ?? { parent, label, hits: 0, phrase };
            slot.hits += weight;
            hits.set(code, slot);
          }
        }
        n++;
        if (n >= MAX_CHILD_PHRASE_TOKENS || i + n >= limit) break;
        node = node.children.get(ids[i + n] ?? -1);
      }
    }
  }
  return hits;
}

export interface TopicFields {
  title: TokenStream;
  text: TokenStream;
  /** The publisher's own categories of the item, one stream. */
  categories?: TokenStream;
}

export type TopicScorer = (fields: TopicFields) => TopicScore[];

/** Scores topics with `model`; `children` names second-level codes (their words are interned now). */
export function createTopicScorer(model: TopicModel, children: ChildTable): TopicScorer {
  const childIndex = buildChildIndex(children);
  const topLevel = model.classes.map((_, cls) => cls).filter((cls) => (model.parentIndex[cls] ?? -1) < 0);
  return ({ title, text, categories }) => {
    const features = extractFeatures(title, text, categories);
    // No content at all: nothing to say. Anything else gets its best topics, however unsure.
    if (features.ids.length === 0) return [];
    const streams = categories === undefined ? [title, text] : [title, text, categories];
    const margins = scoreMargins(model, features);
    const scores = Array.from(margins, (margin, cls) => calibrate(model, cls, margin));
    const ranked = [...topLevel].sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
    const topics: TopicScore[] = [];
    const reported = new Map<number, number>();
    for (const cls of ranked) {
      const score = scores[cls] ?? 0;
      if (topics.length >= MAX_TOPICS || (topics.length > 0 && score < MIN_OTHER_TOPIC_SCORE)) break;
      const code = model.classes[cls] ?? '';
      reported.set(cls, score);
      topics.push({ code, label: model.labels[code] ?? code, score: roundScore(score), evidence: evidenceFor(model, cls, streams, features) });
    }
    const learned: TopicScore[] = [];
    model.classes.forEach((code, cls) => {
      const parent = model.parentIndex[cls] ?? -1;
      if (parent < 0 || !reported.has(parent)) return;
      // A finer code is never surer than its parent.
      const score = Math.min(scores[cls] ?? 0, reported.get(parent) ?? 0);
      if (score < MIN_SUB_TOPIC_SCORE) return;
      learned.push({ code, label: model.labels[code] ?? code, score: roundScore(score), evidence: evidenceFor(model, cls, streams, features) });
    });
    learned.sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1));
    topics.push(...learned);
    const confident = new Map(topics.filter((topic, k) => k < reported.size && topic.score >= CHILD_PARENT_MIN).map((topic) => [topic.code, topic.score]));
    if (confident.size === 0) return topics;
    const named = [...childHits(childIndex, title, text, new Set(confident.keys())).entries()]
      .filter(([code]) => !topics.some((topic) => topic.code === code))
      .map(([code, { parent, label, hits, phrase }]) => ({
        code,
        label,
        phrase,
        // Named once in passing says little; in the headline or three times, as much as the parent.
        score: (confident.get(parent) ?? 0) * (1 - Math.exp(-hits / 1.5)),
      }))
      .filter((child) => child.score >= MIN_CHILD_SCORE)
      .sort((a, b) => b.score - a.score || (a.code < b.code ? -1 : 1))
      .slice(0, MAX_CHILDREN);
    for (const child of named) topics.push({ code: child.code, label: child.label, score: roundScore(child.score), evidence: [child.phrase] });
    return topics;
  };
}

/** The data files of the topic model and of the second-level names (functions/domain/classification/data/). */
export const TOPIC_MODEL_FILE = 'topic-model.bin';
export const TOPIC_CHILDREN_FILE = 'topic-children.json';

const loadModel = lazyData(TOPIC_MODEL_FILE, decodeTopicModel);
const loadChildren = lazyData(TOPIC_CHILDREN_FILE, (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as ChildTable);
let scorer: { model: TopicModel; children: ChildTable; score: TopicScorer } | undefined;

/** The scorer of the committed model, built on first use (and again after a new data reader is installed). */
export function loadTopicScorer(): TopicScorer {
  const model = loadModel();
  const children = loadChildren();
  if (scorer?.model !== model || scorer.children !== children) scorer = { model, children, score: createTopicScorer(model, children) };
  return scorer.score;
}
