// Pseudo-documents for the topic model from vocabulary: the IPTC Subject Code labels and definitions in 8 languages,
// the IPTC Media Topic labels and definitions (en), the hand vocabulary of topic-vocabulary.ts (en) and the seed
// terms of seed-vocabulary.ts (labour, conflict, disaster and weather in many languages). They are all that the
// classes without labelled data have, and they give every other class its names in languages its corpora lack.
// Deterministic: a seeded generator samples them.
import { TOPIC_TERMS } from '../functions/domain/classification/topic-vocabulary.js';
import { createRandom } from './train-model.js';
import type { SubjectConcept } from './topic-datasets.js';
import { SEED_TERMS } from './seed-vocabulary.js';

export interface MediaTopicEntry {
  code: string;
  label: string;
  definition: string;
  level1: string;
  retired: boolean;
}

export interface SeedDocument {
  id: string;
  language: string;
  top: string;
  title: string;
  text: string;
}

interface Pool {
  language: string;
  top: string;
  /** Short names: sampled into titles and texts. */
  names: string[];
  /** Sentences: sampled into texts. */
  sentences: string[];
}

function poolFor(pools: Map<string, Pool>, language: string, top: string): Pool {
  const key = `${language}\u0000${top}`;
  let pool = pools.get(key);
  if (pool === undefined) pools.set(key, (pool = { language, top, names: [], sentences: [] }));
  return pool;
}

/** Subject Code language keys as ISO 639-1 (pt-PT and pt-BR are one language here). */
function languageOf(key: string): string {
  return key.slice(0, 2).toLowerCase();
}

export function seedPools(subjects: readonly SubjectConcept[], mediaTopics: readonly MediaTopicEntry[]): Pool[] {
  const pools = new Map<string, Pool>();
  for (const concept of subjects) {
    if (concept.retired) continue;
    for (const [key, label] of Object.entries(concept.labels)) {
      // "Kultur, Kunst, Unterhaltung": each part names the topic.
      for (const part of label.split(/[,、;]/)) if (part.trim() !== '') poolFor(pools, languageOf(key), concept.top).names.push(part.trim());
    }
    for (const [key, definition] of Object.entries(concept.definitions)) {
      if (definition.trim().length > 3) poolFor(pools, languageOf(key), concept.top).sentences.push(definition.trim());
    }
  }
  for (const entry of mediaTopics) {
    if (entry.retired) continue;
    const pool = poolFor(pools, 'en', entry.level1);
    pool.names.push(entry.label);
    if (entry.definition.trim() !== '') pool.sentences.push(entry.definition);
  }
  for (const [top, tiers] of Object.entries(TOPIC_TERMS)) {
    const pool = poolFor(pools, 'en', top);
    for (const term of tiers.strong) pool.names.push(term, term, term);
    for (const term of tiers.medium) pool.names.push(term, term);
    pool.names.push(...tiers.weak);
  }
  for (const [language, byTop] of Object.entries(SEED_TERMS)) {
    for (const [top, terms] of Object.entries(byTop)) {
      const pool = poolFor(pools, language, top);
      // Hand-picked news words: as likely as any IPTC label in the documents.
      for (const term of terms) pool.names.push(term, term, term);
    }
  }
  return [...pools.values()].sort((x, y) => (x.language + x.top < y.language + y.top ? -1 : 1));
}

/** `perPool` documents for each (language, top-level topic): a title of names, a text of names and sentences. */
export function seedDocuments(pools: readonly Pool[], perPool: number, seed: number): SeedDocument[] {
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const documents: SeedDocument[] = [];
  for (const pool of pools) {
    if (pool.names.length === 0) continue;
    for (let doc = 0; doc < perPool; doc++) {
      const title = [pick(pool.names), pick(pool.names)].join(' ');
      const parts: string[] = [];
      for (let i = 0; i < 8; i++) {
        const sentence = pool.sentences.length > 0 && random() < 0.4 ? pick(pool.sentences) : pick(pool.names);
        if (sentence !== undefined) parts.push(sentence);
      }
      documents.push({ id: `seed/${pool.language}/${pool.top}/${doc}`, language: pool.language, top: pool.top, title, text: parts.join('. ') });
    }
  }
  return documents;
}
