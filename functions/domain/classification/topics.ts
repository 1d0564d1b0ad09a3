// IPTC Media Topics of an article: top-level codes from two opinions, the learned model (topic-model.ts, calibrated)
// and the hand vocabulary (topic-rules.ts, the main voice for topics the training data lacks), joined by noisy-OR;
// their evidence is the vocabulary terms and the n-grams that pushed the model up. Then second-level codes under a
// confident top-level code when the article names them (labels of the code and its descendants in IPTC).
import type { TopicScore } from '../types.js';
import type { FieldTokens } from './countries.js';
import { scoreRuleTopics } from './topic-rules.js';
import { describeFeature, extractFeatures, MAX_TEXT_TOKENS } from './topic-features.js';
import { calibrate, loadTopicModel, scoreMargins, weightOf } from './topic-model.js';
import type { TopicModel } from './topic-model.js';
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

interface ChildIndex {
  /** Normalised phrase -> [parent code, child code, child label] entries. */
  readonly phrases: Map<string, [string, string, string][]>;
}

let childIndex: ChildIndex | undefined;

function loadChildIndex(model: TopicModel): ChildIndex {
  if (childIndex !== undefined) return childIndex;
  const phrases = new Map<string, [string, string, string][]>();
  for (const [parent, rows] of Object.entries(model.children)) {
    for (const [code = '', label = '', ...names] of rows) {
      for (const name of names) {
        const list = phrases.get(name) ?? [];
        list.push([parent, code, label]);
        phrases.set(name, list);
      }
    }
  }
  childIndex = { phrases };
  return childIndex;
}

function evidenceFor(model: TopicModel, cls: number, title: TokenStream, text: TokenStream, features: ReturnType<typeof extractFeatures>): string[] {
  const contributions: { term: string; value: number }[] = [];
  for (let i = 0; i < features.ids.length; i++) {
    const value = weightOf(model, features.ids[i] ?? 0, cls) * (features.values[i] ?? 0);
    if (value > 0) contributions.push({ term: describeFeature(title, text, features.firstSeen[i] ?? 0), value });
  }
  contributions.sort((a, b) => b.value - a.value || (a.term < b.term ? -1 : 1));
  const terms: string[] = [];
  for (const { term } of contributions) {
    if (terms.length >= MAX_EVIDENCE_TERMS) break;
    if (!terms.includes(term)) terms.push(term);
  }
  return terms;
}

/** Counts each child phrase (1 to 3 words) in the title (counted thrice) and the opening of the text. */
function childHits(index: ChildIndex, title: TokenStream, text: TokenStream, parents: ReadonlySet<string>): Map<string, { parent: string; label: string; hits: number; phrase: string }> {
  const hits = new Map<string, { parent: string; label: string; hits: number; phrase: string }>();
  const streams: [TokenStream, number][] = [[title, 3], [text, 1]];
  for (const [stream, weight] of streams) {
    const norms = stream.norms;
    const limit = Math.min(norms.length, MAX_TEXT_TOKENS);
    for (let i = 0; i < limit; i++) {
      let phrase = '';
      for (let n = 0; n < 3 && i + n < limit; n++) {
        phrase = n === 0 ? (norms[i] ?? '') : `${phrase} ${norms[i + n] ?? ''}`;
        const entries = index.phrases.get(phrase);
        if (entries === undefined) continue;
        for (const [parent, code, label] of entries) {
          if (!parents.has(parent)) continue;
          const slot = hits.get(code) ?? { parent, label, hits: 0, phrase };
          slot.hits += weight;
          hits.set(code, slot);
        }
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
      evidence: [...new Set([...(rules.get(code)?.evidence ?? []), ...evidenceFor(model, cls, title, text, features)])].slice(
        0,
        MAX_EVIDENCE_TERMS,
      ),
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
