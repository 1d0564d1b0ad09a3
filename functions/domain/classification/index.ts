// The article classifier: countries (gazetteer + salience), IPTC topics (learned model + taxonomy) and language.
// Deterministic and synchronous: no network, no clock; the gazetteer and model are decoded once per process.
import type { Classification, ClassifyInput } from '../types.js';
import { scoreCountries } from './countries.js';
import type { FieldTokens } from './countries.js';
import { loadGazetteerTrie } from './gazetteer.js';
import { identifyLanguage, LANGUAGE_SAMPLE_CHARS } from './language.js';
import { inferSourceCountry, SOURCE_COUNTRY_MIN_CONFIDENCE } from './source-country.js';
import { withTokenIds } from './lexicon.js';
import { loadTopicVocabularies, scoreTopics } from './topics.js';
import { tokenize } from './tokenize.js';

/** Stored with every classification; bump when rules, vocabulary or gazetteer change the output. */
export const CLASSIFIER_VERSION = 'lr-2.1.0';

export { TOPIC_LABELS } from './topic-vocabulary.js';

export function classify(input: ClassifyInput): Classification {
  const title = typeof input.title === 'string' ? input.title : '';
  const text = typeof input.text === 'string' ? input.text : '';
  // Every word list is loaded before the tokens are looked up once, by id, for all stages below.
  const gazetteer = loadGazetteerTrie();
  loadTopicVocabularies();
  const fields: FieldTokens[] = [
    { field: 'title', tokens: withTokenIds(tokenize(title)) },
    { field: 'text', tokens: withTokenIds(tokenize(text)) },
  ];
  // The opening settles the language: the sample is cut before joining, so a long text is never copied.
  const opening = text.length > LANGUAGE_SAMPLE_CHARS ? text.slice(0, LANGUAGE_SAMPLE_CHARS) : text;
  const language = identifyLanguage(title.length > 0 && opening.length > 0 ? `${title}. ${opening}` : title + opening, input.language).language;
  const classification: Classification = {
    language,
    topics: scoreTopics(fields),
    countries: scoreCountries(gazetteer, fields, text, language),
    classifierVersion: CLASSIFIER_VERSION,
  };
  const source = inferSourceCountry({
    ...(input.sourceCountry !== undefined ? { configured: input.sourceCountry } : {}),
    urls: [input.feedUrl, input.url],
    ...(input.languageTag ?? input.language ? { languageTag: input.languageTag ?? input.language } : {}),
  });
  if (source !== undefined) {
    classification.source = source;
    if (source.basis === 'feed') classification.sourceCountry = input.sourceCountry ?? source.code;
    else if (source.confidence >= SOURCE_COUNTRY_MIN_CONFIDENCE) classification.sourceCountry = source.code;
  }
  return classification;
}
