// The article classifier: countries (gazetteer + salience), IPTC topics (multilingual learned model) and language.
// Deterministic and synchronous: no network, no clock. Pure: the data files (the model, the gazetteer, the language
// model) are read through data-source.ts, whose reader an adapter installs (functions/adapters/classifier.ts), and
// decoded once, on first use.
import type { Classification, ClassifyInput } from '../types.js';
import { scoreCountries } from './countries.js';
import type { FieldTokens } from './countries.js';
import { GAZETTEER_FILE, LANGUAGE_GAZETTEER_FILE, loadGazetteerTrie } from './gazetteer.js';
import { identifyLanguage, LANGUAGE_MODEL_FILE, LANGUAGE_SAMPLE_CHARS } from './language.js';
import { inferSourceCountry, PUBLISHERS_FILE, SOURCE_COUNTRY_MIN_CONFIDENCE } from './source-country.js';
import { withTokenIds } from './lexicon.js';
import { loadTopicScorer, TOPIC_CHILDREN_FILE, TOPIC_MODEL_FILE } from './topics.js';
import { tokenize } from './tokenize.js';

/** Stored with every classification; bump when rules, vocabulary, model or gazetteer change the output. */
export const CLASSIFIER_VERSION = 'mlr-3.0.0';

export { TOPIC_LABELS } from './topic-vocabulary.js';

/** Every data file classify() reads (through data-source.ts): each ships beside the code of a classifying Lambda. */
export const CLASSIFIER_DATA_FILES: readonly string[] = [
  TOPIC_MODEL_FILE,
  TOPIC_CHILDREN_FILE,
  LANGUAGE_MODEL_FILE,
  GAZETTEER_FILE,
  LANGUAGE_GAZETTEER_FILE,
  PUBLISHERS_FILE,
];

export function classify(input: ClassifyInput): Classification {
  const title = typeof input.title === 'string' ? input.title : '';
  const text = typeof input.text === 'string' ? input.text : '';
  const categories = Array.isArray(input.categories) ? input.categories.filter((c) => typeof c === 'string').join(' ; ') : '';
  // Every word list is loaded before the tokens are looked up once, by id, for all stages below.
  const gazetteer = loadGazetteerTrie();
  const scoreTopics = loadTopicScorer();
  const fields: FieldTokens[] = [
    { field: 'title', tokens: withTokenIds(tokenize(title)) },
    { field: 'text', tokens: withTokenIds(tokenize(text)) },
  ];
  // The opening settles the language: the sample is cut before joining, so a long text is never copied.
  const opening = text.length > LANGUAGE_SAMPLE_CHARS ? text.slice(0, LANGUAGE_SAMPLE_CHARS) : text;
  const language = identifyLanguage(title.length > 0 && opening.length > 0 ? `${title}. ${opening}` : title + opening, input.language).language;
  const [titleField, textField] = fields;
  const classification: Classification = {
    language,
    topics: scoreTopics({
      title: titleField?.tokens ?? tokenize(''),
      text: textField?.tokens ?? tokenize(''),
      ...(categories === '' ? {} : { categories: withTokenIds(tokenize(categories)) }),
    }),
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
