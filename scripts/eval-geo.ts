// The language and country sections of `npm run eval` (wt-geo's part): language identification against the npm
// candidates on the SIB-200 dev sentences, the hand-written multilingual test set, and countries found per feed
// language on real items. scripts/eval.ts calls evaluateGeo() once and appends what it returns.
import { evaluateFeedCountries, renderFeedCountriesSection } from './eval-feed-countries.js';
import { evaluateLanguageId, renderLanguageSection } from './eval-language.js';
import { evaluateMultilingual, renderMultilingualSection } from './eval-multilingual.js';

export interface GeoEvaluation {
  headline: string[];
  lines: string[];
}

export async function evaluateGeo(): Promise<GeoEvaluation> {
  const language = await evaluateLanguageId();
  const multilingual = evaluateMultilingual();
  const feeds = await evaluateFeedCountries();
  const ours = language.candidates[0];
  const headline = [
    ...(ours === undefined ? [] : [`language ID mean accuracy on SIB-200 dev ${ours.mean.toFixed(3)} over ${language.sets} languages (target ≥ 0.97)`]),
    `multilingual items country micro-F1 ${multilingual.countries.f1.toFixed(3)} and primary accuracy ${multilingual.primaryAccuracy.toFixed(3)} (${multilingual.items} items, ${multilingual.languages} languages; targets ≥ 0.90)`,
  ];
  return {
    headline,
    lines: [
      '## Countries in every language',
      '',
      ...renderMultilingualSection(multilingual),
      ...renderFeedCountriesSection(feeds),
      ...renderLanguageSection(language),
    ],
  };
}
