// The match snapshot job's dependencies, for its Lambda (functions/lambda/match-snapshot.ts) and the local runtime
// (which writes every shard's snapshot when it stops) alike.
import { DynamoSubscriptionRepository } from '#adapters/dynamo/subscriptions-repository.js';
import type { MatchSnapshotDeps } from '#handlers/match-snapshot.js';
import { systemClock } from '#shared/clients.js';
import type { Observability } from '#shared/middleware.js';
import type { Platform } from './platform.js';
import type { FUNCTION_RESOURCES } from './resources.js';

export interface MatchSnapshotOptions {
  /** Parallel scan segments of the one-time backfill scan. @default the repository's */
  scanSegments?: number;
}

export function composeMatchSnapshot(
  platform: Platform<(typeof FUNCTION_RESOURCES)['match-snapshot']>,
  observability: Observability,
  options: MatchSnapshotOptions = {},
): MatchSnapshotDeps {
  return {
    subscriptions: new DynamoSubscriptionRepository(platform.doc, platform.table('subscriptions'), {
      ...(options.scanSegments === undefined ? {} : { scanSegments: options.scanSegments }),
    }),
    matchSnapshots: platform.matchSnapshots,
    clock: systemClock,
    ...observability,
  };
}
