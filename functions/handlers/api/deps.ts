import type { ApiKeyRepository } from '#domain/ports.js';
import type { Observability } from '#shared/middleware.js';
import type { Ports } from '../deps.js';

/** deliveryDeadLetters: the admin's redrive of the delivery DLQ. */
export type ApiDeps = Pick<
  Ports,
  | 'feeds'
  | 'subscriptions'
  | 'deliveries'
  | 'articles'
  | 'deliveryQueue'
  | 'fetcher'
  | 'websub'
  | 'assertUrlAllowed'
  | 'clock'
  | 'newId'
  | 'randomBytes'
  | 'unsubscribeLinks'
> &
  Observability & {
    apiKeys: ApiKeyRepository;
    deliveryDeadLetters: Pick<Ports['deliveryDeadLetters'], 'redrive'>;
  };
