import type { ApiKeyRepository } from '#domain/ports.js';
import type { Observability } from '#shared/middleware.js';
import type { Ports } from '../deps.js';
import type { ActionLimits } from './action-limits.js';
import type { ConsoleAssets } from './console-routes.js';

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
    /** The per-owner counters of test-fires and replays (action-limits.ts). */
    actionSlots: Pick<Ports['digestBuffer'], 'takeRateSlot'>;
    /** @default DEFAULT_ACTION_LIMITS (per owner and minute) */
    actionLimits?: Partial<ActionLimits>;
    /**
     * The HMAC key of list cursors (pages.ts), the same in every instance so a cursor works wherever the next request
     * lands. It may be the unsubscribe secret: each use signs under its own purpose string.
     * @default - a random key per process: cursors hold only within one process
     */
    cursorSecret?: string;
    /**
     * The web console's built files, served at `/` and `/console/*`.
     * @default - no console: those paths answer 404
     */
    consoleAssets?: ConsoleAssets;
  };
