// The two names the frozen lr-2.0.0 topic code took from the country matcher of its day.
import type { Evidence } from '../../../functions/domain/types.js';
import type { TokenStream } from './tokenize.js';

export const LEAD_CHARS = 300;

export interface FieldTokens {
  field: Evidence['field'];
  tokens: TokenStream;
}
