// The language and country sections of `npm run eval`: language identification against the npm candidates on the
// SIB-200 dev sentences, the hand-written multilingual test set, and countries found per feed language on real
// items. scripts/eval.ts calls evaluateGeo() once and appends what it returns.
import { evaluateLanguageId, renderLanguageSection } from './eval-language.js';

export interface GeoEvaluation {
  headline: string[];
  lines: string[];
}

export async function evaluateGeo(): Promise<GeoEvaluation> {
  const language = await evaluateLanguageId();
  const ours = language.candidates[0];
  const headline = ours === undefined ? [] : [`language ID mean accuracy on SIB-200 dev ${ours.mean.toFixed(3)} over ${language.sets} languages (target ≥ 0.97)`];
  return { headline, lines: renderLanguageSection(language) };
}
