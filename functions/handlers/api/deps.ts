import type { ApiKeyRepository } from '#domain/ports.js';
import type { UnsubscribeLinks } from '#domain/unsubscribe-link.js';
import type { PipelineDeps } from '../deps.js';

export type ApiDeps = Pick<
  PipelineDeps,
  | 'feeds'
  | 'subscriptions'
  | 'deliveries'
  | 'articles'
  | 'deliveryQueue'
  | 'fetcher'
  | 'websub'
  | 'deliveryDeadLetters'
  | 'assertUrlAllowed'
  | 'clock'
  | 'newId'
  | 'randomBytes'
  | 'logger'
  | 'metrics'
  | 'tracer'
> & {
  apiKeys: ApiKeyRepository;
  /** Builds the link alerts carry and checks the token of one that comes back. */
  unsubscribeLinks: UnsubscribeLinks;
};
