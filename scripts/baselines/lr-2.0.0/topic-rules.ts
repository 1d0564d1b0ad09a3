// Vocabulary-based scoring of the 17 top-level IPTC Media Topics: weighted term hits, salience by where the term
// appears, diminishing returns for repetition, then a squashing 1 - exp(-evidence / scale) into 0..1. It is the
// second opinion beside the learned model (topics.ts), and the main one for topics the training data lacks.
import { LEAD_CHARS } from './countries.js';
import type { FieldTokens } from './countries.js';
import { findWord, internWord, tokenIdsOf } from './lexicon.js';
import { normalizePhrase } from './tokenize.js';
import { TIER_WEIGHT, TOPIC_TERMS } from './topic-vocabulary.js';

const FIELD_FACTOR = { title: 2.5, lead: 1.5, body: 1 } as const;
/** Body text longer than this many tokens counts for less, so a long article does not light up every topic. */
const BODY_REFERENCE_TOKENS = 400;
/** With 3, one strong title term gives ~0.57, one strong body term alone ~0.28. */
const TOPIC_SCALE = 3;
const MAX_EVIDENCE_TERMS = 6;

interface Term {
  topic: number;
  weight: number;
  display: string;
}

interface PhraseNode {
  /** Keyed by lexicon id. */
  readonly children: Map<number, PhraseNode>;
  /** Ids of the terms (one per topic that lists the phrase) ending here. */
  termIds: number[] | undefined;
}

interface Vocabulary {
  root: PhraseNode;
  /** The root's children by lexicon id, for the one lookup every article token gets. */
  firstTokens: (PhraseNode | undefined)[];
  terms: Term[];
  topicCodes: string[];
  /** Scratch space reused by every call: classification is synchronous, so calls never overlap. */
  termScore: Float64Array;
  termHits: Uint32Array;
}

let vocabulary: Vocabulary | undefined;

/** The vocabulary trie, built on first use; exported so a caller can load it before looking tokens up. */
export function loadVocabulary(): Vocabulary {
  if (vocabulary !== undefined) return vocabulary;
  const root: PhraseNode = { children: new Map(), termIds: undefined };
  const terms: Term[] = [];
  const topicCodes = Object.keys(TOPIC_TERMS);
  topicCodes.forEach((code, topic) => {
    const tiers = TOPIC_TERMS[code];
    if (tiers === undefined) return;
    for (const tier of ['strong', 'medium', 'weak'] as const) {
      for (const display of tiers[tier]) {
        let node = root;
        for (const token of normalizePhrase(display).split(' ')) {
          const id = internWord(token);
          let child = node.children.get(id);
          if (child === undefined) {
            child = { children: new Map(), termIds: undefined };
            node.children.set(id, child);
          }
          node = child;
        }
        // A term listed twice for one topic keeps its first (strongest) tier.
        if (node.termIds?.some((id) => terms[id]?.topic === topic)) continue;
        (node.termIds ??= []).push(terms.length);
        terms.push({ topic, weight: TIER_WEIGHT[tier], display });
      }
    }
  });
  const firstTokens: (PhraseNode | undefined)[] = [];
  for (const [id, child] of root.children) firstTokens[id] = child;
  vocabulary = {
    root,
    firstTokens,
    terms,
    topicCodes,
    termScore: new Float64Array(terms.length),
    termHits: new Uint32Array(terms.length),
  };
  return vocabulary;
}

/** A crude English singular, applied to article tokens only when the token itself is not in the vocabulary. */
function singularOf(token: string): string {
  const length = token.length;
  if (length > 4 && token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (length > 3 && token.endsWith('s') && !token.endsWith('ss') && !token.endsWith('us') && !token.endsWith('is')) {
    return token.slice(0, -1);
  }
  return token;
}

function childFor(node: PhraseNode, id: number, token: string, firstTokens?: readonly (PhraseNode | undefined)[]): PhraseNode | undefined {
  if (id >= 0) {
    const exact = firstTokens === undefined ? node.children.get(id) : firstTokens[id];
    if (exact !== undefined) return exact;
  }
  if (token.charCodeAt(token.length - 1) !== 115 /* s */) return undefined;
  const singular = singularOf(token);
  return singular === token ? undefined : node.children.get(findWord(singular));
}

export interface RuleTopic {
  /** Index in TOPIC_TERMS order (the same order as TOPIC_LABELS). */
  code: string;
  score: number;
  evidence: string[];
}

/** Every topic with any vocabulary evidence, by code. */
export function scoreRuleTopics(fields: readonly FieldTokens[]): Map<string, RuleTopic> {
  const vocab = loadVocabulary();
  const { termScore, termHits } = vocab;
  const touched: number[] = [];
  try {
    accumulateTerms(vocab, fields, touched);
    return collectTopics(vocab, touched);
  } finally {
    for (const id of touched) {
      termScore[id] = 0;
      termHits[id] = 0;
    }
  }
}
function accumulateTerms(vocab: Vocabulary, fields: readonly FieldTokens[], touched: number[]): void {
  const { root, firstTokens, terms, termScore, termHits } = vocab;
  for (const { field, tokens } of fields) {
    const { norms, starts } = tokens;
    const ids = tokenIdsOf(tokens);
    const count = norms.length;
    let bodyTokens = 0;
    if (field !== 'title') {
      for (let i = count - 1; i >= 0 && (starts[i] ?? 0) >= LEAD_CHARS; i--) bodyTokens++;
    }
    const bodyFactor = FIELD_FACTOR.body * Math.min(1, Math.sqrt(BODY_REFERENCE_TOKENS / Math.max(1, bodyTokens)));
    for (let i = 0; i < count; i++) {
      let node = childFor(root, ids[i] ?? -1, norms[i] ?? '', firstTokens);
      if (node === undefined) continue;
      let matched: number[] | undefined;
      let matchedLast = i;
      let last = i;
      for (;;) {
        if (node.termIds !== undefined) {
          matched = node.termIds;
          matchedLast = last;
        }
        if (last + 1 >= count) break;
        const next: PhraseNode | undefined = childFor(node, ids[last + 1] ?? -1, norms[last + 1] ?? '');
        if (next === undefined) break;
        node = next;
        last++;
      }
      if (matched === undefined) continue;
      const factor =
        field === 'title' ? FIELD_FACTOR.title : (starts[i] ?? 0) < LEAD_CHARS ? FIELD_FACTOR.lead : bodyFactor;
      for (const id of matched) {
        const hits = (termHits[id] ?? 0) + 1;
        if (hits === 1) touched.push(id);
        termHits[id] = hits;
        termScore[id] = (termScore[id] ?? 0) + (factor * (terms[id]?.weight ?? 0)) / hits;
      }
      i = matchedLast;
    }
  }
}

function collectTopics(vocab: Vocabulary, touched: readonly number[]): Map<string, RuleTopic> {
  const { terms, termScore } = vocab;
  const topicSums = new Map<number, number>();
  for (const id of touched) {
    const topic = terms[id]?.topic ?? -1;
    topicSums.set(topic, (topicSums.get(topic) ?? 0) + (termScore[id] ?? 0));
  }
  const result = new Map<string, RuleTopic>();
  for (const [topic, sum] of topicSums) {
    const code = vocab.topicCodes[topic] ?? '';
    const evidence = touched
      .filter((id) => terms[id]?.topic === topic)
      .sort((a, b) => (termScore[b] ?? 0) - (termScore[a] ?? 0))
      .slice(0, MAX_EVIDENCE_TERMS)
      .map((id) => terms[id]?.display ?? '');
    result.set(code, { code, score: 1 - Math.exp(-sum / TOPIC_SCALE), evidence });
  }
  return result;
}
