// IPTC Media Topics of an article: top-level codes from two opinions, the learned model (topic-model.ts, calibrated)
// and the hand vocabulary (topic-rules.ts, the main voice for topics the training data lacks), joined by noisy-OR;
// their evidence is the vocabulary terms and the n-grams that pushed the model up. Then second-level codes under a
// confident top-level code when the article names them (labels of the code and its descendants in IPTC).
import type { TopicScore } from '../../../functions/domain/types.js';
import type { FieldTokens } from './countries.js';
import { loadVocabulary, scoreRuleTopics } from './topic-rules.js';
import { describeFeature, extractFeatures, MAX_TEXT_TOKENS } from './topic-features.js';
import { calibrate, loadTopicModel, scoreMargins, weightOf } from './topic-model.js';
import type { TopicModel } from './topic-model.js';
import { internWord, tokenIdsOf } from './lexicon.js';
import type { TokenStream } from './tokenize.js';
import { TOPIC_LABELS } from './topic-vocabulary.js';

/** A top-level topic is reported from this calibrated probability on. */
export const MIN_TOPIC_SCORE = 0.35;
/** The best topic is still reported down to this, so a plain article keeps one topic; below it says nothing. */
const MIN_BEST_SCORE = 0.2;
const MAX_TOPICS = 4;
const MAX_EVIDENCE_TERMS = 6;
/** Second-level codes are looked for only under a top-level code at least this likely. */
const CHILD_PARENT_MIN = 0.5;
const MIN_CHILD_SCORE = 0.4;
const MAX_CHILDREN = 2;

export function roundScore(score: number): number {
  return Math.round(score * 1000) / 1000;
}

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

let childIndex: ChildIndex | undefined;

function loadChildIndex(model: TopicModel): ChildIndex {
  if (childIndex !== undefined) return childIndex;
  const root: ChildNode = { children: new Map(), entries: undefined };
  for (const [parent, rows] of Object.entries(model.children)) {
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
  childIndex = { root, firstTokens };
  return childIndex;
}

/**
 * The n-grams that pushed the model towards one class, strongest first, as up to MAX_EVIDENCE_TERMS distinct
 * phrases. Ties in strength are ordered by phrase; only the features that can still be reported are turned into
 * text.
 */
function evidenceFor(model: TopicModel, cls: number, title: TokenStream, text: TokenStream, features: ReturnType<typeof extractFeatures>): string[] {
  const { ids, values, firstSeen } = features;
  const candidates: number[] = [];
  const strengths: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    const value = weightOf(model, ids[i] ?? 0, cls) * (values[i] ?? 0);
    if (value > 0) {
      candidates.push(i);
      strengths.push(value);
    }
  }
  // Strongest group first, by repeated selection: a handful of rounds fill the terms, so sorting every candidate
  // would be wasted. Taken candidates get strength 0.
  const terms: string[] = [];
  while (terms.length < MAX_EVIDENCE_TERMS) {
    let best = 0;
    for (const strength of strengths) if (strength > best) best = strength;
    if (best === 0) break;
    const group: string[] = [];
    for (let k = 0; k < strengths.length; k++) {
      if (strengths[k] !== best) continue;
      strengths[k] = 0;
      group.push(describeFeature(title, text, firstSeen[candidates[k] ?? 0] ?? 0));
    }
    if (group.length > 1) group.sort((a, b) => (a < b ? -1 : 1));
    for (const term of group) {
      if (terms.length >= MAX_EVIDENCE_TERMS) break;
      if (!terms.includes(term)) terms.push(term);
    }
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

/** Topics strongest first: confident top-level codes, then the second-level codes the article names under them. */
/** Either opinion alone can carry a topic; agreement raises it: 1 - (1 - model)(1 - rules). */
export function combineOpinions(model: number, rules: number): number {
  return 1 - (1 - model) * (1 - rules);
}

/** Loads every word list topic scoring looks tokens up in, so that token ids taken afterwards cover them all. */
export function loadTopicVocabularies(): void {
  loadVocabulary();
  loadChildIndex(loadTopicModel());
}

/** Vocabulary terms first, then the model's; the model's are worked out only when there is room for them. */
function joinEvidence(ruleTerms: readonly string[], modelTerms: () => string[]): string[] {
  const terms = new Set(ruleTerms);
  if (terms.size >= MAX_EVIDENCE_TERMS) return [...terms].slice(0, MAX_EVIDENCE_TERMS);
  for (const term of modelTerms()) terms.add(term);
  return [...terms].slice(0, MAX_EVIDENCE_TERMS);
}

export function scoreTopics(fields: readonly FieldTokens[]): TopicScore[] {
  const empty = { source: '', norms: [], starts: [], ends: [] };
  const title = fields.find((entry) => entry.field === 'title')?.tokens ?? empty;
  const text = fields.find((entry) => entry.field === 'text')?.tokens ?? empty;
  const model = loadTopicModel();
  const features = extractFeatures(title, text);
  const margins = scoreMargins(model, features);
  const rules = scoreRuleTopics(fields);
  const ranked = model.classes
    .map((code, cls) => ({
      code,
      cls,
      score: combineOpinions(calibrate(model, margins[cls] ?? 0), rules.get(code)?.score ?? 0),
    }))
    .sort((a, b) => b.score - a.score || a.cls - b.cls);
  const topics: TopicScore[] = [];
  for (const [rank, { code, cls, score }] of ranked.entries()) {
    if (topics.length >= MAX_TOPICS) break;
    if (score < MIN_TOPIC_SCORE && !(rank === 0 && score >= MIN_BEST_SCORE)) break;
    topics.push({
      code,
      label: TOPIC_LABELS[code] ?? code,
      score: roundScore(score),
      evidence: joinEvidence(rules.get(code)?.evidence ?? [], () => evidenceFor(model, cls, title, text, features)),
    });
  }
  const confident = new Map(topics.filter((topic) => topic.score >= CHILD_PARENT_MIN).map((topic) => [topic.code, topic.score]));
  if (confident.size === 0) return topics;
  const children = [...childHits(loadChildIndex(model), title, text, new Set(confident.keys())).entries()]
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
  for (const child of children) {
    topics.push({ code: child.code, label: child.label, score: roundScore(child.score), evidence: [child.phrase] });
  }
  return topics;
}
