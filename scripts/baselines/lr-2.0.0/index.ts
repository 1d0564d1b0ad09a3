// The previous topic classifier (lr-2.0.0, main before issue 10), frozen as the evaluation's baseline: English BBC
// News logistic regression joined with the English hand vocabulary. Its own copy of the tokenizer and lexicon, so
// that it scores exactly as it did. Never used by the pipeline.
import type { TopicScore } from '../../../functions/domain/types.js';
import { withTokenIds } from './lexicon.js';
import { loadTopicVocabularies, scoreTopics } from './topics.js';
import { tokenize } from './tokenize.js';

export function previousTopics(title: string, text: string): TopicScore[] {
  loadTopicVocabularies();
  return scoreTopics([
    { field: 'title', tokens: withTokenIds(tokenize(title)) },
    { field: 'text', tokens: withTokenIds(tokenize(text)) },
  ]);
}
